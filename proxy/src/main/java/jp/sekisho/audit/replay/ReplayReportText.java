package jp.sekisho.audit.replay;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import jp.sekisho.policy.replay.Change;
import jp.sekisho.policy.replay.NotReplayable;
import jp.sekisho.policy.replay.ReplayExample;
import jp.sekisho.policy.replay.ReplayReport;
import jp.sekisho.policy.replay.Verdict;

/**
 * A replay's report for an administrator at a terminal: the totals, then each count as a
 * two-column table (the largest {@value #ROWS} rows), then the examples. Control characters in
 * names that came from tokens or clients are shown escaped, never sent to the terminal.
 */
public final class ReplayReportText {

    static final int ROWS = 20;

    private ReplayReportText() {
    }

    public static void write(AuditReplay.Result result, ZoneId zone, PrintWriter out) {
        ReplayReport r = result.report();
        out.println("draft policy " + r.draftVersion());
        if (r.first().isPresent()) {
            out.println("requests from " + ReplayReportJson.time(r.first().get(), zone) + " to "
                    + ReplayReportJson.time(r.last().get(), zone));
        }
        out.println();
        row(out, "requests in scope", r.total());
        row(out, "  replayed", r.replayed());
        row(out, "    unchanged", r.unchanged());
        row(out, "    changed", r.changed());
        row(out, "  not replayed", r.notReplayed());
        if (result.unreadable() > 0) {
            row(out, "unreadable lines", result.unreadable());
        }
        if (!r.changes().isEmpty()) {
            out.println();
            out.println("changes");
            for (Map.Entry<Change, Long> e : r.changes().entrySet()) {
                row(out, "  " + e.getKey().label(), e.getValue());
            }
        }
        if (!r.notReplayable().isEmpty()) {
            out.println();
            out.println("not replayed");
            for (Map.Entry<NotReplayable, Long> e : r.notReplayable().entrySet()) {
                out.printf("  %-26s %9d  %s%n", e.getKey().code(), e.getValue(), e.getKey().description());
            }
        }
        table(out, "changed by app", r.changedByApp());
        table(out, "changed by user", r.changedByUser());
        table(out, "changed by new reason", r.changedByReason());
        table(out, "recorded under policy version", r.recordedVersions());
        for (Map.Entry<Change, List<ReplayExample>> e : r.examples().entrySet()) {
            out.println();
            out.println("examples: " + e.getKey().label() + " (" + e.getValue().size() + " of "
                    + r.changes().get(e.getKey()) + ")");
            for (ReplayExample example : e.getValue()) {
                out.println("  " + ReplayReportJson.time(example.time(), zone) + "  " + printable(example.requestId())
                        + "  " + printable(example.user()) + "  " + printable(example.method()) + " "
                        + printable(example.host()) + printable(example.path()));
                out.println("    before: " + verdict(example.before()));
                out.println("    after:  " + verdict(example.after()));
            }
        }
        out.println();
        out.println(r.outcomesChanged() > 0 ? r.outcomesChanged() + " request(s) would get another outcome"
                : r.anyChanged() ? "no outcome would change (" + r.changed() + " for another reason or rule)"
                : "nothing would change");
        out.flush();
    }

    private static void row(PrintWriter out, String label, long count) {
        out.printf("%-28s %9d%n", label, count);
    }

    private static void table(PrintWriter out, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println();
        out.println(title);
        int shown = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (shown++ == ROWS) {
                out.println("  … and " + (counts.size() - ROWS) + " more");
                break;
            }
            out.printf("  %-26s %9d%n", printable(e.getKey()), e.getValue());
        }
    }

    private static String verdict(Verdict verdict) {
        return verdict.app().map(ReplayReportText::printable).orElse(ReplayReport.NO_APP) + "  " + verdict;
    }

    /** {@code text} with control characters (and the Unicode line separators) as {@code \\uXXXX}. */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
