package jp.sekisho.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.export.CsvExport;
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

/** {@code sekisho audit report DIR --from T --to T}: the periodic review a CISO reads. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Review a period of the audit trail: access outside business hours, users with unusually "
                + "many requests, denial spikes, step-up and MFA failures, quarantines, policy changes and the "
                + "trail's own health. HTML (default) or CSV. Does not verify the chain: run 'audit verify' for "
                + "that. Exit 0 when written, 2 on a usage error.")
final class AuditReportCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
    Path dir;



    @Option(names = {"-c", "--config"}, description = "the configuration whose time window 'business-hours' "
            + "(timeZone, holidays) defines business hours; without it, weekdays 08:30-18:15 Asia/Tokyo")
    Path config;

    @Option(names = "--business-hours", paramLabel = "WINDOW_ID", description = "the time window of --config to "
            + "use as business hours (default: business-hours)")
    String businessHours;

    @Option(names = "--format", defaultValue = "html", description = "html (default) or csv")
    String format;



    @Option(names = "--output", description = "the file to write (default: standard output)")
    Path output;

    @CommandLine.Mixin
    AuditPeriodOptions range = new AuditPeriodOptions();

    @CommandLine.Mixin
    CsvOptions csv = new CsvOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        AuditCommand.checkPaths(spec, dir, output, "report");
        if (businessHours != null && config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--business-hours names a time window of --config; give the configuration too");
        }
        ReviewPeriod period = range.period(spec);
        String chosen = choice("--format", format, Map.of("html", "html", "csv", "csv"));
        CsvExport.Headers language = csv.headers(spec);
        CsvExport.Encoding csvEncoding = csv.encoding(spec);
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
        try (OutputStream out = AuditCommand.open(output)) {
            if (chosen.equals("csv")) {
                replaced = CsvReport.write(review, language, csvEncoding, out);
            } else {
                HtmlReport.write(review, language, out);
            }
        }
        err.println("reviewed " + review.totals().requests() + " request(s) " + range.said()
                + (output == null ? "" : "; written to " + output));
        AuditCommand.warn(err, review.health().unreadable(), replaced);
        return 0;
    }

    private <T> T choice(String option, String value, Map<String, T> choices) {
        return AuditCommand.choice(spec, option, value, choices);
    }
}
