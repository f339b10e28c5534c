package jp.sekisho.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.breakout.ShadowIt;
import jp.sekisho.audit.breakout.ShadowItReport;
import jp.sekisho.audit.breakout.ShadowItSections;
import jp.sekisho.audit.breakout.ShadowItTally;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.audit.review.ReviewPeriod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho audit shadow-it DIR --from T --to T}: the SaaS staff reach for that the allowlist does not name. */
@Command(name = "shadow-it", mixinStandardHelpOptions = true,
        description = "Rank the destinations the forward proxy refused because the allowlist does not name them "
                + "(shadow IT) over a period: refusals, distinct users and devices, first and last seen, the "
                + "segments and groups they came from; with refusals by segment, by group, and the breakout "
                + "refusals for other reasons. Text (default), CSV or JSON. Does not verify the chain: run "
                + "'audit verify' for that. Exit 0 when written, 2 on a usage error.")
final class AuditShadowItCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the audit directory (dataDir/audit)")
    Path dir;



    @Option(names = "--top", defaultValue = "20", paramLabel = "N",
            description = "rows in each ranked table (default: 20)")
    int top;

    @Option(names = "--segment", paramLabel = "ID", description = "count only requests from this network segment")
    String segment;

    @Option(names = "--format", defaultValue = "text", description = "text (default), csv or json")
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
        ReviewPeriod period = range.period(spec);
        if (top < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top " + top + ": give 1 or more rows");
        }
        String chosen = choice("--format", format, Map.of("text", "text", "csv", "csv", "json", "json"));
        CsvExport.Headers language = csv.headers(spec);
        CsvExport.Encoding csvEncoding = csv.encoding(spec);

        ShadowIt report;
        try (Stream<String> lines = AuditFiles.lines(dir)) {
            report = ShadowItTally.read(lines, dir.toString(), period, Optional.ofNullable(segment), top,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
        long replaced = 0;
        try (OutputStream out = AuditCommand.open(output)) {
            switch (chosen) {
                case "csv" -> replaced = ShadowItReport.csv(report, language, csvEncoding, out);
                case "json" -> ShadowItReport.json(report, out);
                default -> text(report, language, out);
            }
        }
        err.println("counted " + report.totals().notListed() + " refusal(s) of " + report.totals().destinations()
                + " destination(s) not on the allowlist " + range.said()
                + (output == null ? "" : "; written to " + output));
        AuditCommand.warn(err, report.reading().unreadable(), replaced);
        return 0;
    }

    /** The sections as aligned tables for a terminal (UTF-8). */
    private static void text(ShadowIt report, CsvExport.Headers language, OutputStream out) {
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        text.println(ShadowItSections.title(language));
        for (ShadowItSections.Section section : ShadowItSections.of(report, language)) {
            text.println();
            text.println("■ " + section.title());
            section.notes().forEach(text::println);
            for (ShadowItSections.Table table : section.tables()) {
                text.println();
                text.println("□ " + table.caption());
                TextTable rows = new TextTable(table.headers().toArray(String[]::new));
                table.rows().forEach(row -> rows.row(row.toArray()));
                rows.print(text);
                if (table.rows().isEmpty()) {
                    text.println(language == CsvExport.Headers.JA ? "該当なし" : "none");
                }
            }
        }
        text.flush();
    }

    private <T> T choice(String option, String value, Map<String, T> choices) {
        return AuditCommand.choice(spec, option, value, choices);
    }
}
