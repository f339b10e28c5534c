package jp.sekisho.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sekisho}: the command line of the proxy. */
@Command(name = "sekisho", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Identity-aware zero-trust access proxy for local governments.",
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, PolicyCommand.class,
                PostureCommand.class, AuditCommand.class, AdminCommand.class, BreakoutCommand.class})
public final class SekishoCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(new CommandLine(new SekishoCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
