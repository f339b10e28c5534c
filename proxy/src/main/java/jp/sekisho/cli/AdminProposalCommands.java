package jp.sekisho.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sekisho admin proposals} and {@code proposal approve|reject ID}: the two-person rule's
 * held changes. They live in the memory of the replica that took them: approve on that one.
 */
final class AdminProposalCommands {

    private AdminProposalCommands() {
    }

    @Command(name = "proposals", mixinStandardHelpOptions = true,
            description = "List the changes waiting for a second administrator (two-person rule).")
    static final class List extends AdminAction {
        @Override
        int run(AdminClient admin) {
            JsonArray proposals = admin.get("/proposals").orFail().json().getJsonArray("proposals");
            TextTable table = new TextTable("ID", "AUTHOR", "ACTION", "TARGET", "BASE", "AT", "COMMENT");
            for (int i = 0; i < proposals.size(); i++) {
                JsonObject p = proposals.getJsonObject(i);
                table.row(p.getString("id"), p.getString("author"), p.getString("action"), p.getString("target"),
                        p.getString("base"), p.getString("at"), p.getString("comment"));
            }
            table.print(out());
            return AdminExit.OK;
        }
    }

    @Command(name = "proposal", mixinStandardHelpOptions = true,
            description = "Approve or reject a held change; its author cannot approve it.",
            subcommands = {Approve.class, Reject.class})
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Apply a held change. If the policy changed since it was proposed, it is dropped (exit 4):"
                    + " its author proposes it again.")
    static final class Approve extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the proposal id")
        String id;

        @Override
        int run(AdminClient admin) {
            AdminResponse response = admin.send("POST", "/proposals/" + AdminClient.segment(id) + "/approve", null, null)
                    .orFail("the policy changed after proposal " + id + " was made, so it was dropped; its author"
                            + " gets the current version and proposes the change again");
            return reportChange(response, "proposal " + id, null);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Drop a held change.")
    static final class Reject extends AdminAction {
        @Parameters(index = "0", paramLabel = "ID", description = "the proposal id")
        String id;

        @Override
        int run(AdminClient admin) {
            admin.send("POST", "/proposals/" + AdminClient.segment(id) + "/reject", null, null).orFail();
            out().println("rejected: proposal " + id);
            return AdminExit.OK;
        }
    }
}
