package jp.sekisho.cli;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.AuditKey;
import jp.sekisho.audit.ChainVerifier;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.audit.export.EcsExport;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.export.ExportFormat;
import jp.sekisho.audit.export.OcsfExport;
import jp.sekisho.audit.export.TrailExport;
import jp.sekisho.audit.review.BusinessHours;
import jp.sekisho.audit.review.CsvReport;
import jp.sekisho.audit.review.HtmlReport;
import jp.sekisho.audit.review.Review;
import jp.sekisho.audit.review.ReviewCollector;
import jp.sekisho.audit.review.ReviewPeriod;
import jp.sekisho.policy.source.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho audit}: evidence from the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check that the audit trail is whole and unaltered, export it, and review a period of it.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Report.class})
final class AuditCommand implements Runnable {

    static final int TAMPERED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code sekisho audit verify DIR}: the chain, the sequence and every checkpoint signature. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the hash chain and checkpoint signatures of an audit directory. Exit 0 when whole, "
                    + "1 at the first altered, deleted, inserted, reordered or truncated record, 2 on a usage error.")
    static final class Verify implements Callable<Integer> {

        @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
        Path dir;

        @Option(names = "--public-key", description = "the audit public key (JWK) you hold; default: "
                + "../keys/" + AuditKey.PUBLIC_FILE_NAME + " beside the directory, with a warning")
        Path publicKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir)) {
                err.println(dir + " is not a directory");
                return 2;
            }
            Path keyFile = publicKey;
            if (keyFile == null) {
                keyFile = dir.toAbsolutePath().getParent().resolve("keys").resolve(AuditKey.PUBLIC_FILE_NAME);
                err.println("warning: using the key found beside the records (" + keyFile + "); whoever could alter "
                        + "the records could replace it too. Pass --public-key with the copy you keep.");
            }
            OctetKeyPair key = AuditKey.readPublic(keyFile);
            ChainVerifier.Report report = new ChainVerifier(key).verify(dir);
            if (report.problem().isPresent()) {
                out.println("NOT VERIFIED: " + report.problem().get());
                out.println(report.records() + " records read before it, in " + report.segments() + " segment(s)");
                out.flush();
                return TAMPERED;
            }
            out.println("verified: " + report.records() + " records in " + report.segments() + " segment(s), "
                    + report.checkpoints() + " signed checkpoint(s) by key " + key.getKeyID());
            if (report.records() > 0) {
                out.println(report.lastSigned() == 0 ? "no record is covered by a signed checkpoint yet"
                        : "last signed checkpoint: seq " + report.lastSigned() + "; " + report.uncovered()
                        + " record(s) after it are chained but not yet signed");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code sekisho audit export DIR --format csv|jsonl|ocsf}: the trail's requests for spreadsheets and SIEMs. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export requests (and, in jsonl/ocsf, operator actions) from an audit directory as CSV for "
                    + "Excel, ECS JSON Lines or OCSF. Does not verify the chain: run 'audit verify' for that. Exit 0 "
                    + "when written, 2 on a usage error.")
    static final class Export implements Callable<Integer> {

        @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
        Path dir;

        @Option(names = "--format", required = true, description = "csv, jsonl (ECS) or ocsf")
        String format;

        @Option(names = "--from", description = "keep records at or after this time: 2026-11-01 (the day's start), "
                + "2026-11-01T09:00 (both in Asia/Tokyo) or 2026-11-01T09:00:00+09:00")
        String from;

        @Option(names = "--to", description = "keep records before this time (exclusive), same forms as --from")
        String to;

        @Option(names = "--user", description = "keep requests by this username or subject")
        String user;

        @Option(names = "--app", description = "keep requests to this app id")
        String app;

        @Option(names = "--decision", description = "keep requests with this decision: allow, deny, "
                + "unauthenticated or step-up")
        String decision;

        @Option(names = "--encoding", defaultValue = "utf-8", description = "CSV only: utf-8 (with a BOM, default) "
                + "or cp932")
        String encoding;

        @Option(names = "--headers", defaultValue = "ja", description = "CSV only: ja (default) or en")
        String headers;

        @Option(names = "--output", description = "the file to write (default: standard output)")
        Path output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), dir + " is not a directory");
            }
            if (output != null && output.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--output " + output + " is inside the audit directory; write the export elsewhere");
            }
            ExportFilter filter;
            try {
                filter = new ExportFilter(time("--from", from), time("--to", to), Optional.ofNullable(user),
                        Optional.ofNullable(app), Optional.ofNullable(decision));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            CsvExport.Encoding csvEncoding = choice("--encoding", encoding,
                    Map.of("utf-8", CsvExport.Encoding.UTF_8, "cp932", CsvExport.Encoding.CP932));
            CsvExport.Headers csvHeaders = choice("--headers", headers,
                    Map.of("ja", CsvExport.Headers.JA, "en", CsvExport.Headers.EN));
            String chosen = choice("--format", format, Map.of("csv", "csv", "jsonl", "jsonl", "ocsf", "ocsf"));

            TrailExport.Summary summary;
            long replaced = 0;
            try (OutputStream out = output == null ? new NotClosing(System.out) : Files.newOutputStream(output);
                 Stream<String> lines = AuditFiles.lines(dir)) {
                ExportFormat writer = switch (chosen) {
                    case "csv" -> new CsvExport(out, csvEncoding, csvHeaders);
                    case "jsonl" -> new EcsExport(out);
                    default -> new OcsfExport(out);
                };
                try (writer) {
                    summary = TrailExport.run(lines, filter, writer);
                }
                if (writer instanceof CsvExport csv) {
                    replaced = csv.replacedCharacters();
                }
            }
            err.println("exported " + summary.written() + " record(s)" + (output == null ? "" : " to " + output));
            if (summary.incomplete() > 0) {
                err.println("note: " + summary.incomplete() + " request(s) have a decision record but no access record "
                        + "(the process stopped while they were under way); exported as incomplete");
            }
            if (summary.unreadable() > 0) {
                err.println("warning: " + summary.unreadable() + " line(s) could not be read and were skipped; "
                        + "run 'sekisho audit verify' on the directory");
            }
            if (replaced > 0) {
                err.println("warning: " + replaced + " character(s) cannot be written in CP932 and were replaced by "
                        + "'?'; use --encoding utf-8 to keep them");
            }
            err.flush();
            return 0;
        }

        private Optional<Instant> time(String option, String text) {
            return text == null ? Optional.empty()
                    : Optional.of(ExportFilter.instant(option, text, ExportFilter.DEFAULT_ZONE));
        }

        private <T> T choice(String option, String value, Map<String, T> choices) {
            return AuditCommand.choice(spec, option, value, choices);
        }
    }

    /** {@code sekisho audit report DIR --from T --to T}: the periodic review a CISO reads. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Review a period of the audit trail: access outside business hours, users with unusually "
                    + "many requests, denial spikes, step-up and MFA failures, quarantines, policy changes and the "
                    + "trail's own health. HTML (default) or CSV. Does not verify the chain: run 'audit verify' for "
                    + "that. Exit 0 when written, 2 on a usage error.")
    static final class Report implements Callable<Integer> {

        @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
        Path dir;

        @Option(names = "--from", required = true, description = "the period's start: 2026-11-01 (the day's start), "
                + "2026-11-01T09:00 (both in Asia/Tokyo) or 2026-11-01T09:00:00+09:00")
        String from;

        @Option(names = "--to", required = true, description = "the period's end (exclusive), same forms as --from")
        String to;

        @Option(names = {"-c", "--config"}, description = "the configuration whose time window 'business-hours' "
                + "(timeZone, holidays) defines business hours; without it, weekdays 08:30-18:15 Asia/Tokyo")
        Path config;

        @Option(names = "--business-hours", paramLabel = "WINDOW_ID", description = "the time window of --config to "
                + "use as business hours (default: business-hours)")
        String businessHours;

        @Option(names = "--format", defaultValue = "html", description = "html (default) or csv")
        String format;

        @Option(names = "--headers", defaultValue = "ja", description = "ja (default) or en")
        String headers;

        @Option(names = "--encoding", defaultValue = "utf-8", description = "CSV only: utf-8 (with a BOM, default) "
                + "or cp932")
        String encoding;

        @Option(names = "--output", description = "the file to write (default: standard output)")
        Path output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), dir + " is not a directory");
            }
            if (output != null && output.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--output " + output + " is inside the audit directory; write the report elsewhere");
            }
            if (businessHours != null && config == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--business-hours names a time window of --config; give the configuration too");
            }
            ReviewPeriod period;
            try {
                period = ReviewPeriod.parse(from, to);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            String chosen = choice("--format", format, Map.of("html", "html", "csv", "csv"));
            CsvExport.Headers language = choice("--headers", headers,
                    Map.of("ja", CsvExport.Headers.JA, "en", CsvExport.Headers.EN));
            CsvExport.Encoding csvEncoding = choice("--encoding", encoding,
                    Map.of("utf-8", CsvExport.Encoding.UTF_8, "cp932", CsvExport.Encoding.CP932));
            BusinessHours hours;
            try {
                hours = config == null ? BusinessHours.officeHours()
                        : BusinessHours.fromConfig(config, Optional.ofNullable(businessHours));
            } catch (ConfigException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config + ": "
                        + e.getMessage());
            }
            if (config == null) {
                err.println("note: no --config: business hours are weekdays 08:30-18:15 Asia/Tokyo, holidays unknown");
            }

            Review review;
            try (Stream<String> lines = AuditFiles.lines(dir)) {
                review = ReviewCollector.read(lines, dir.toString(), period, hours, Review.Rules.DEFAULT,
                        Instant.now());
            }
            long replaced = 0;
            try (OutputStream out = output == null ? new NotClosing(System.out) : Files.newOutputStream(output)) {
                if (chosen.equals("csv")) {
                    replaced = CsvReport.write(review, language, csvEncoding, out);
                } else {
                    HtmlReport.write(review, language, out);
                }
            }
            err.println("reviewed " + review.totals().requests() + " request(s) from " + from + " to " + to
                    + (output == null ? "" : "; written to " + output));
            if (review.health().unreadable() > 0) {
                err.println("warning: " + review.health().unreadable() + " line(s) could not be read and were "
                        + "skipped; run 'sekisho audit verify' on the directory");
            }
            if (replaced > 0) {
                err.println("warning: " + replaced + " character(s) cannot be written in CP932 and were replaced by "
                        + "'?'; use --encoding utf-8 to keep them");
            }
            err.flush();
            return 0;
        }

        private <T> T choice(String option, String value, Map<String, T> choices) {
            return AuditCommand.choice(spec, option, value, choices);
        }
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
