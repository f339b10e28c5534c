package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sekisho admin}: the admin API (docs/admin.md) from a terminal, so a change can be
 * scripted, or kept and reviewed in git. Every subcommand takes --url, --token-file and --cacert
 * and exits 0 done, 1 refused, 2 invalid, 3 unreachable or failed, 4 conflict.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administer a running proxy through its admin API: apps and their policy, the whole policy, "
                + "proposals (two-person rule), quarantine and sessions. Token: --token-file or $SEKISHO_ADMIN_TOKEN.",
        exitCodeListHeading = "%nExit codes (every subcommand):%n",
        exitCodeList = {AdminExit.HELP_OK, AdminExit.HELP_REFUSED, AdminExit.HELP_INVALID,
                AdminExit.HELP_UNAVAILABLE, AdminExit.HELP_CONFLICT},
        subcommands = {AdminCommand.Whoami.class, AdminAppCommands.List.class, AdminAppCommands.Group.class,
                AdminPolicyCommands.Group.class, AdminProposalCommands.List.class, AdminProposalCommands.Group.class,
                AdminOperatorCommands.Quarantine.class, AdminOperatorCommands.Sessions.class})
final class AdminCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true,
            description = "Who the token says you are: your roles and tenants (団体コード).")
    static final class Whoami extends AdminAction {
        @Override
        int run(AdminClient admin) {
            JsonObject me = admin.get("/whoami").orFail().json();
            out().println("username: " + me.getString("username"));
            out().println("subject:  " + me.getString("subject"));
            out().println("issuer:   " + me.getString("issuer"));
            out().println("roles:    " + join(me.getJsonArray("roles")));
            out().println("tenants:  " + (me.getJsonArray("tenants", new JsonArray()).isEmpty() ? "(none)"
                    : join(me.getJsonArray("tenants"))));
            return AdminExit.OK;
        }

        private static String join(JsonArray values) {
            return String.join(", ", values.stream().map(String::valueOf).toList());
        }
    }
}
