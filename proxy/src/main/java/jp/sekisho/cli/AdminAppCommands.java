package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho admin apps} and {@code sekisho admin app …}: one app's policy at a time, within your tenants. */
final class AdminAppCommands {

    private AdminAppCommands() {
    }

    @Command(name = "apps", mixinStandardHelpOptions = true, description = "List the apps within your tenants.")
    static final class List extends AdminAction {
        @Option(names = "--json", description = "print the API's JSON instead of a table")
        boolean json;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.get("/apps").orFail();
            if (json) {
                out().println(response.body());
                return AdminExit.OK;
            }
            JsonArray apps = response.json().getJsonArray("apps");
            TextTable table = new TextTable("ID", "NAME", "TENANT", "OWNER", "CRITICAL", "HOSTS");
            for (int i = 0; i < apps.size(); i++) {
                JsonObject app = apps.getJsonObject(i);
                table.row(app.getString("id"), app.getString("name"), app.getString("tenant"), app.getString("owner"),
                        app.getBoolean("critical", false) ? "yes" : "no",
                        String.join(",", app.getJsonArray("hosts", new JsonArray()).stream().map(String::valueOf).toList()));
            }
            table.print(out());
            return AdminExit.OK;
        }
    }

    @Command(name = "app", mixinStandardHelpOptions = true,
            description = "Read, check, change, create, delete and roll back one app's policy (its YAML).",
            subcommands = {Get.class, Put.class, Create.class, Delete.class, Check.class, History.class, Diff.class,
                    Rollback.class})
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    static String path(String id) {
        return "/apps/" + AdminClient.segment(id);
    }

    /** What to do after a 412 on app {@code id}. */
    static String reread(String id, Path file) {
        return "app " + id + " changed since you read it; get it again (sekisho admin app get " + id + " -o "
                + (file == null ? "FILE" : file) + "), redo your edit, then put it again";
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Write the app's YAML to FILE (saving its ETag in FILE.etag for 'app put') or to standard output.")
    static final class Get extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the YAML")
        Path output;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("GET", path(id), null, null, "accept", "application/yaml").orFail();
            String etag = response.header("etag").orElseThrow(() -> new AdminFailure(AdminExit.UNAVAILABLE,
                    "the proxy sent app " + id + " without an ETag"));
            write(output, response.body());
            if (output == null) {
                err().println("ETag: " + etag);
            } else {
                EtagFile.write(output, etag);
                out().println("wrote " + output + " (app " + id + "; ETag " + etag + " in " + EtagFile.beside(output) + ")");
            }
            return AdminExit.OK;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Replace the app's policy with FILE. Sends FILE.etag (or --if-match) so that a change made "
                    + "since you read it is not overwritten (exit 4). A critical app under the two-person rule "
                    + "waits for a second administrator: the proposal id is printed.")
    static final class Put extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Parameters(index = "1", paramLabel = "FILE", description = "the app's YAML")
        Path file;

        @Option(names = "--if-match", paramLabel = "ETAG", description = "the ETag you read (default: FILE.etag)")
        String ifMatch;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            String yaml = read(file);
            String etag = ifMatch(ifMatch, file, "sekisho admin app get " + id);
            AdminResponse response = admin.send("PUT", path(id), AdminClient.YAML, yaml, "if-match", etag,
                    "x-sekisho-comment", comment.header()).orFail(reread(id, file));
            return reportChange(response, "app " + id, file);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Add the app in FILE (its id is the file's id:). Saves its ETag in FILE.etag.")
    static final class Create extends AdminAction {
        @Parameters(index = "0", paramLabel = "FILE", description = "the new app's YAML")
        Path file;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            String yaml = read(file);
            AdminResponse response = admin.send("POST", "/apps", AdminClient.YAML, yaml, "if-none-match", "*",
                    "x-sekisho-comment", comment.header()).orFail();
            return reportChange(response, "app created from " + file, file);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove the app. Without --if-match it removes whatever version is current.")
    static final class Delete extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Option(names = "--if-match", paramLabel = "ETAG", description = "only if the app is still as you read it")
        String ifMatch;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("DELETE", path(id), null, null,
                    "if-match", ifMatch == null ? "*" : ifMatch.strip(),
                    "x-sekisho-comment", comment.header()).orFail(reread(id, null));
            return reportChange(response, "app " + id + " deleted", null);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check FILE as the app's new policy without changing anything: its errors (exit 2), or its "
                    + "lint findings and the diff against what serves now (exit 0).")
    static final class Check extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Parameters(index = "1", paramLabel = "FILE", description = "the app's YAML")
        Path file;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("POST", path(id) + "/check", AdminClient.YAML, read(file)).orFail();
            printCheck(response.json(), file.toString());
            return AdminExit.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "The policy versions in which the app changed, newest first.")
    static final class History extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        int run(AdminClient admin) {
            JsonArray versions = admin.get(path(id) + "/history?limit=" + limit).orFail().json().getJsonArray("versions");
            AdminPolicyCommands.printVersions(out(), versions);
            return AdminExit.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "The app's YAML between two versions, as a unified diff (default: the latest change).")
    static final class Diff extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Mixin
        AdminVersionRange range;

        @Override
        int run(AdminClient admin) {
            String diff = admin.get(path(id) + "/diff" + range.query()).orFail().body();
            AdminPolicyCommands.printDiff(this, diff);
            return AdminExit.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Make the app's policy what it was in version N again (as a new version).")
    static final class Rollback extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the app id")
        String id;

        @Option(names = "--to", required = true, paramLabel = "N", description = "the version to return to")
        long to;

        @Option(names = "--if-match", paramLabel = "ETAG",
                description = "only if the app is still as you read it (default: whatever is current)")
        String ifMatch;

        @Mixin
        AdminComment comment;

        @Override
        int run(AdminClient admin) {
            JsonObject body = new JsonObject().put("to", to).put("comment", comment.plain());
            AdminResponse response = admin.send("POST", path(id) + "/rollback", AdminClient.JSON, body.encode(),
                    "if-match", ifMatch == null ? "*" : ifMatch.strip()).orFail(reread(id, null));
            return reportChange(response, "app " + id + " rolled back to version " + to, null);
        }
    }
}
