package jp.sekisho.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sekisho audit}: evidence from the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check that the audit trail is whole and unaltered, export it, review a period of it, and "
                + "rank the destinations the forward proxy refused (shadow IT).",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class, AuditReportCommand.class,
                AuditShadowItCommand.class})
final class AuditCommand implements Runnable {

    static final int TAMPERED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Refuses a directory that is not there, and an output file inside it (it would join the trail). */
    static void checkPaths(CommandLine.Model.CommandSpec spec, Path dir, Path output, String what) {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), dir + " is not a directory");
        }
        if (output != null && output.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--output " + output + " is inside the audit directory; write the " + what + " elsewhere");
        }
    }

    /** Where an export or report goes: the file, or standard output (left open). */
    static OutputStream open(Path output) throws IOException {
        return output == null ? new NotClosing(System.out) : Files.newOutputStream(output);
    }

    /** The warnings an export and a report share: unreadable lines, characters CP932 cannot hold. */
    static void warn(PrintWriter err, long unreadable, long replaced) {
        if (unreadable > 0) {
            err.println("warning: " + unreadable + " line(s) could not be read and were skipped; "
                    + "run 'sekisho audit verify' on the directory");
        }
        if (replaced > 0) {
            err.println("warning: " + replaced + " character(s) cannot be written in CP932 and were replaced by "
                    + "'?'; use --encoding utf-8 to keep them");
        }
        err.flush();
    }

    static <T> T choice(CommandLine.Model.CommandSpec spec, String option, String value, Map<String, T> choices) {
        T chosen = choices.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " '" + value + "' is not one of "
                    + String.join(", ", new TreeSet<>(choices.keySet())));
        }
        return chosen;
    }

    /** Standard output, flushed but left open when an export or report closes its writer. */
    private static final class NotClosing extends FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
