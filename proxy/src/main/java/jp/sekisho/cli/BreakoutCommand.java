package jp.sekisho.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sekisho breakout}: the forward proxy's allowlist of cloud services (local breakout). */
@Command(name = "breakout", mixinStandardHelpOptions = true,
        description = "Local breakout: keep the allowlist of cloud services staff reach directly up to date.",
        subcommands = {BreakoutImportM365Command.class})
final class BreakoutCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
