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
import jp.sekisho.audit.export.EcsExport;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.export.ExportFormat;
import jp.sekisho.audit.export.ExportRecord;
import jp.sekisho.audit.export.OcsfExport;
import jp.sekisho.audit.export.TrailExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sekisho audit export DIR --format csv|jsonl|ocsf}: the trail's requests for spreadsheets and SIEMs. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export requests and forward-proxy (breakout) records (and, in jsonl/ocsf, operator actions) "
                + "from an audit directory as CSV for Excel, ECS JSON Lines or OCSF. Does not verify the chain: run "
                + "'audit verify' for that. Exit 0 when written, 2 on a usage error.")
final class AuditExportCommand implements Callable<Integer> {

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

    @Option(names = "--app", description = "keep requests to this app id (breakout records have none)")
    String app;

    @Option(names = "--decision", description = "keep requests with this decision: allow, deny, "
            + "unauthenticated or step-up")
    String decision;

    @Option(names = "--tenant", description = "keep records of this 団体コード (an app's owner in a shared deployment)")
    String tenant;

    @Option(names = "--kind", description = "keep records of this kind: access (requests to apps), breakout "
            + "(forward-proxy tunnels and requests) or admin (operator actions; jsonl and ocsf only)")
    String kind;



    @Option(names = "--output", description = "the file to write (default: standard output)")
    Path output;

    @CommandLine.Mixin
    CsvOptions csvOptions = new CsvOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        AuditCommand.checkPaths(spec, dir, output, "export");
        ExportFilter filter;
        try {
            filter = new ExportFilter(time("--from", from), time("--to", to), Optional.ofNullable(user),
                    Optional.ofNullable(app), Optional.ofNullable(decision), Optional.ofNullable(tenant),
                    Optional.ofNullable(kind));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CsvExport.Encoding csvEncoding = csvOptions.encoding(spec);
        CsvExport.Headers csvHeaders = csvOptions.headers(spec);
        String chosen = choice("--format", format, Map.of("csv", "csv", "jsonl", "jsonl", "ocsf", "ocsf"));
        if (chosen.equals("csv") && ExportRecord.ADMIN.equals(kind)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kind admin: operator actions are not in the CSV; use --format jsonl or ocsf");
        }

        TrailExport.Summary summary;
        long replaced = 0;
        try (OutputStream out = AuditCommand.open(output);
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
        AuditCommand.warn(err, summary.unreadable(), replaced);
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
