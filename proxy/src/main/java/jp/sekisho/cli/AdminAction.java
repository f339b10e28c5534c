package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * One {@code sekisho admin} subcommand: connect, call, print. Whatever stops it is printed as
 * one line (plus the policy errors, if any) with the exit code of {@link AdminExit}.
 */
abstract class AdminAction implements Callable<Integer> {

    @Mixin
    AdminConnection connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Does the work; returns the exit code, or throws {@link AdminFailure}. */
    abstract int run(AdminClient admin);

    @Override
    public final Integer call() {
        PrintWriter err = err();
        try {
            return run(connection.connect(err));
        } catch (AdminFailure failure) {
            err.println(failure.getMessage());
            failure.details().forEach(err::println);
            return failure.exitCode();
        } catch (RuntimeException e) {
            // A bug of this command, not the administrator's mistake: still one line, not a trace.
            err.println("sekisho admin failed unexpectedly: " + e);
            return AdminExit.UNAVAILABLE;
        } finally {
            out().flush();
            err.flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AdminFailure(AdminExit.INVALID, "cannot read " + file + ": there is no such file");
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.INVALID, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes {@code text} to {@code file}, or to standard output when there is none. */
    void write(Path file, String text) {
        if (file == null) {
            out().print(text);
            return;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.INVALID, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * The If-Match to send with the edit in {@code file}: {@code --if-match}, else {@code FILE.etag}.
     * Without either the change is not sent: it could silently undo someone else's.
     */
    static String ifMatch(String explicit, Path file, String getCommand) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        return EtagFile.read(file).orElseThrow(() -> new AdminFailure(AdminExit.INVALID, "no ETag for " + file
                + ": fetch it with '" + getCommand + " -o " + file + "' (which saves " + EtagFile.beside(file)
                + ") and edit that, or pass --if-match ETAG. The ETag lets the proxy refuse your change if"
                + " someone changed it after you read it."));
    }

    /**
     * Prints what a change came to: applied (the new version; {@code file}'s ETag brought up to
     * date so the next edit can follow) or held for a second administrator (the proposal).
     */
    int reportChange(AdminResponse response, String what, Path file) {
        JsonObject body = response.json();
        if (response.status() == 202) {
            String id = body.getString("id");
            out().println("held for approval (two-person rule): proposal " + id);
            out().println("a second administrator approves it with: sekisho admin proposal approve " + id);
            return AdminExit.OK;
        }
        out().println("applied: " + what + "; the policy is now " + body.getString("version"));
        String etag = body.getString("appEtag", response.header("etag").orElse(null));
        if (file != null && etag != null) {
            EtagFile.write(file, etag);
        }
        return AdminExit.OK;
    }

    /** A check's findings and the diff against what serves now. */
    void printCheck(JsonObject result, String what) {
        JsonArray findings = result.getJsonArray("findings", new JsonArray());
        out().println(what + ": valid, " + findings.size() + " finding(s)");
        for (int i = 0; i < findings.size(); i++) {
            JsonObject f = findings.getJsonObject(i);
            out().println(f.getString("severity") + " " + f.getString("id") + " " + f.getString("app")
                    + (f.getString("rule") == null ? "" : " rule " + f.getString("rule")) + ": " + f.getString("message"));
        }
        String diff = result.getString("diff", "");
        out().print(diff.isEmpty() ? "no change from what serves now\n" : diff);
    }
}
