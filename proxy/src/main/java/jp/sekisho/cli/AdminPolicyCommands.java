package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sekisho admin policy …}: the whole policy document, for administrators who reach every
 * app in it (global administrators; every administrator of a deployment without tenants).
 * Kept in git: {@code get -o policy.yaml}, review, {@code put policy.yaml}.
 */
final class AdminPolicyCommands {

    private AdminPolicyCommands() {
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = "The whole policy document: read, check, replace, versions, diff, rollback.",
            subcommands = {Get.class, Put.class, Check.class, Versions.class, Diff.class, Rollback.class})
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    static String reread(Path file) {
        return "the policy changed since you read it; get it again (sekisho admin policy get -o "
                + (file == null ? "FILE" : file) + "), redo your edit, then put it again";
    }

    /** {@code ?from=&to=} as given. */
    static void printDiff(AdminAction action, String diff) {
        if (diff.isEmpty()) {
            action.err().println("no difference");
        } else {
            action.out().print(diff);
        }
    }

    static void printVersions(PrintWriter out, JsonArray versions) {
        TextTable table = new TextTable("VERSION", "CREATED", "AUTHOR", "COMMENT");
        for (int i = 0; i < versions.size(); i++) {
            JsonObject v = versions.getJsonObject(i);
            Long rollbackOf = v.getLong("rollbackOf");
            String comment = v.getString("comment", "");
            table.row(v.getString("version"), v.getString("createdAt"), v.getString("author"),
                    comment.isEmpty() && rollbackOf != null ? "rollback to v" + rollbackOf : comment);
        }
        table.print(out);
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Write the policy document to FILE (saving its ETag in FILE.etag for 'policy put') or to "
                    + "standard output.")
    static final class Get extends AdminAction {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write it")
        Path output;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("GET", "/policy", null, null, "accept", "application/yaml").orFail();
            String etag = response.header("etag").orElseThrow(() -> new AdminFailure(AdminExit.UNAVAILABLE,
                    "the proxy sent the policy without an ETag"));
            write(output, response.body());
            if (output == null) {
                err().println("ETag: " + etag);
            } else {
                EtagFile.write(output, etag);
                out().println("wrote " + output + " (ETag " + etag + " in " + EtagFile.beside(output) + ")");
            }
            return AdminExit.OK;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Replace the whole policy with FILE. Sends FILE.etag (or --if-match): if the policy changed "
                    + "since you read it, nothing is replaced (exit 4).")
    static final class Put extends AdminAction {
        @Parameters(index = "0", paramLabel = "FILE", description = "the policy document")
        Path file;

        @Option(names = "--if-match", paramLabel = "ETAG", description = "the ETag you read (default: FILE.etag)")
        String ifMatch;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            String text = read(file);
            String etag = ifMatch(ifMatch, file, "sekisho admin policy get");
            AdminResponse response = admin.send("PUT", "/policy", AdminClient.YAML, text, "if-match", etag,
                    "x-sekisho-comment", comment.header()).orFail(reread(file));
            return reportChange(response, "policy from " + file, file);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check FILE as the new policy without changing anything: its errors (exit 2), or its lint "
                    + "findings and the diff against what serves now (exit 0).")
    static final class Check extends AdminAction {
        @Parameters(index = "0", paramLabel = "FILE", description = "the policy document")
        Path file;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("POST", "/policy/check", AdminClient.YAML, read(file)).orFail();
            printCheck(response.json(), file.toString());
            return AdminExit.OK;
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "The stored versions, newest first.")
    static final class Versions extends AdminAction {
        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        int run(AdminClient admin) {
            printVersions(out(), admin.get("/policy/versions?limit=" + limit).orFail().json().getJsonArray("versions"));
            return AdminExit.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "The policy between two versions, as a unified diff (default: the latest change).")
    static final class Diff extends AdminAction {
        @Mixin
        AdminVersionRange range;

        @Override
        int run(AdminClient admin) {
            printDiff(this, admin.get("/policy/diff" + range.query()).orFail().body());
            return AdminExit.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Make the whole policy what it was in version N again (as a new version).")
    static final class Rollback extends AdminAction {
        @Option(names = "--to", required = true, paramLabel = "N", description = "the version to return to")
        long to;

        @Option(names = "--if-match", paramLabel = "ETAG",
                description = "only if the policy is still as you read it (default: whatever is current)")
        String ifMatch;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            JsonObject body = new JsonObject().put("to", to).put("comment", comment.plain());
            AdminResponse response = admin.send("POST", "/policy/rollback", AdminClient.JSON, body.encode(),
                    "if-match", ifMatch == null ? "*" : ifMatch.strip()).orFail(reread(null));
            return reportChange(response, "policy rolled back to version " + to, null);
        }
    }
}
