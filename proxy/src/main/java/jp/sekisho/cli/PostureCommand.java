package jp.sekisho.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sekisho posture}: device posture tokens, device records, and quarantine. */
@Command(name = "posture", mixinStandardHelpOptions = true,
        description = "Device posture: make signing keys, import MDM/EDR exports, issue posture tokens, quarantine.",
        subcommands = {PostureKeygenCommand.class, PostureImportCommand.class, PostureIssueCommand.class,
                QuarantineCommands.Hold.class, QuarantineCommands.Release.class, QuarantineCommands.List.class})
final class PostureCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
