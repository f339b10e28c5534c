package jp.sekisho.cli;

import jp.sekisho.audit.review.ReviewPeriod;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --from} and {@code --to}: the period a report over the audit trail covers. */
final class AuditPeriodOptions {

    @Option(names = "--from", required = true, description = "the period's start: 2026-11-01 (the day's start), "
            + "2026-11-01T09:00 (both in Asia/Tokyo) or 2026-11-01T09:00:00+09:00")
    String from;

    @Option(names = "--to", required = true, description = "the period's end (exclusive), same forms as --from")
    String to;

    /** The period; a usage error (exit 2) when it cannot be read or is empty. */
    ReviewPeriod period(CommandLine.Model.CommandSpec spec) {
        try {
            return ReviewPeriod.parse(from, to);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** "from A to B", as the summary line says it. */
    String said() {
        return "from " + from + " to " + to;
    }
}
