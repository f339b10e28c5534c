package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sekisho admin quarantine …} and {@code sessions revoke}: what security operators do to
 * people and devices, through the admin API (roles, tenants, audit) rather than the management
 * listener.
 */
final class AdminOperatorCommands {

    private AdminOperatorCommands() {
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = "Cut a device or a user off at once (every replica), list the holds, release them.",
            subcommands = {List.class, Hold.class, Release.class})
    static final class Quarantine implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** Exactly one of a device or a user. */
    static final class Target {
        @Option(names = "--device", required = true, paramLabel = "ID", description = "the device id")
        String device;

        @Option(names = "--user", required = true, paramLabel = "NAME", description = "the user's username (staff id) or subject")
        String user;
    }

    /** What a hold and a release send. */
    abstract static class Action extends AdminAction {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = {"-r", "--reason"}, required = true, paramLabel = "REASON",
                description = "why (kept in the audit trail)")
        String reason;

        JsonObject body() {
            return new JsonObject().put("kind", target.device != null ? "device" : "user")
                    .put("id", target.device != null ? target.device : target.user).put("reason", reason);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = "Quarantine a device or a user: every next request is refused and open WebSockets close.")
    static final class Hold extends Action {
        @Option(names = "--tenant", paramLabel = "CODE",
                description = "the 団体コード the hold belongs to (who may see and release it); needed when you have"
                        + " several, default: your only one")
        String tenant;

        @Override
        int run(AdminClient admin) {
            JsonObject body = tenant == null ? body() : body().put("tenant", tenant);
            JsonObject hold = admin.send("POST", "/quarantine", AdminClient.JSON, body.encode()).orFail().json();
            out().println("held: " + hold.getString("kind") + " " + hold.getString("id") + " ("
                    + hold.getInteger("closedConnections", 0) + " open connection(s) closed)");
            return AdminExit.OK;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Lift a quarantine.")
    static final class Release extends Action {
        @Override
        int run(AdminClient admin) {
            JsonObject hold = admin.send("POST", "/quarantine/release", AdminClient.JSON, body().encode()).orFail().json();
            out().println("released: " + hold.getString("kind") + " " + hold.getString("id"));
            return AdminExit.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The devices and users held, within your tenants.")
    static final class List extends AdminAction {
        @Override
        int run(AdminClient admin) {
            JsonArray holds = admin.get("/quarantine").orFail().json().getJsonArray("holds");
            TextTable table = new TextTable("KIND", "ID", "TENANT", "SINCE", "OPERATOR", "REASON");
            for (int i = 0; i < holds.size(); i++) {
                JsonObject h = holds.getJsonObject(i);
                table.row(h.getString("kind"), h.getString("id"), h.getString("tenant"), h.getString("since"),
                        h.getString("operator"), h.getString("reason"));
            }
            table.print(out());
            return AdminExit.OK;
        }
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true, description = "End browser sessions.",
            subcommands = {Revoke.class})
    static final class Sessions implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** One session, or every session of one user. */
    static final class RevokeTarget {
        @Option(names = "--session", required = true, paramLabel = "ID", description = "one session id")
        String session;

        @ArgGroup(exclusive = false, multiplicity = "1")
        User user;
    }

    static final class User {
        @Option(names = "--issuer", required = true, paramLabel = "ISS", description = "the user's issuer (iss)")
        String issuer;

        @Option(names = "--subject", required = true, paramLabel = "SUB", description = "the user's subject (sub)")
        String subject;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End one browser session (--session), or every session of a user (--issuer and --subject).")
    static final class Revoke extends AdminAction {
        @ArgGroup(exclusive = true, multiplicity = "1")
        RevokeTarget which;

        @Override
        int run(AdminClient admin) {
            JsonObject body = which.session != null ? new JsonObject().put("sessionId", which.session)
                    : new JsonObject().put("issuer", which.user.issuer).put("subject", which.user.subject);
            admin.send("POST", "/sessions/revoke", AdminClient.JSON, body.encode()).orFail();
            out().println(which.session != null ? "revoked: session " + which.session
                    : "revoked: every session of " + which.user.subject + " (" + which.user.issuer + ")");
            return AdminExit.OK;
        }
    }
}
