package jp.sekisho.audit.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import jp.sekisho.audit.LineSafeEscapes;
import jp.sekisho.policy.replay.Change;
import jp.sekisho.policy.replay.NotReplayable;
import jp.sekisho.policy.replay.ReplayExample;
import jp.sekisho.policy.replay.ReplayReport;
import jp.sekisho.policy.replay.Verdict;

/**
 * A replay's report as one JSON object, for deploy scripts and the admin API: counts under the
 * report's names, changes and reasons by their stable codes, times with the trail's offset.
 * Names from tokens (users, groups) are escaped as in the trail.
 */
public final class ReplayReportJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ReplayReportJson() {
    }

    public static void write(AuditReplay.Result result, ZoneId zone, Writer out) throws IOException {
        ReplayReport r = result.report();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setCharacterEscapes(LineSafeEscapes.INSTANCE);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("draftVersion", r.draftVersion());
            g.writeObjectFieldStart("period");
            if (r.first().isPresent()) {
                g.writeStringField("first", time(r.first().get(), zone));
                g.writeStringField("last", time(r.last().get(), zone));
            }
            g.writeEndObject();
            g.writeNumberField("lines", result.lines());
            g.writeNumberField("unreadable", result.unreadable());
            g.writeNumberField("total", r.total());
            g.writeNumberField("replayed", r.replayed());
            g.writeNumberField("unchanged", r.unchanged());
            g.writeNumberField("changed", r.changed());
            g.writeNumberField("outcomesChanged", r.outcomesChanged());
            g.writeNumberField("notReplayed", r.notReplayed());
            g.writeObjectFieldStart("notReplayable");
            for (Map.Entry<NotReplayable, Long> e : r.notReplayable().entrySet()) {
                g.writeNumberField(e.getKey().code(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("changes");
            for (Map.Entry<Change, Long> e : r.changes().entrySet()) {
                g.writeNumberField(e.getKey().code(), e.getValue());
            }
            g.writeEndObject();
            counts(g, "changedByApp", r.changedByApp());
            counts(g, "changedByUser", r.changedByUser());
            counts(g, "changedByReason", r.changedByReason());
            counts(g, "recordedPolicyVersions", r.recordedVersions());
            g.writeObjectFieldStart("examples");
            for (Map.Entry<Change, List<ReplayExample>> e : r.examples().entrySet()) {
                g.writeArrayFieldStart(e.getKey().code());
                for (ReplayExample example : e.getValue()) {
                    example(g, example, zone);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void example(JsonGenerator g, ReplayExample example, ZoneId zone) throws IOException {
        g.writeStartObject();
        g.writeStringField("requestId", example.requestId());
        g.writeStringField("time", time(example.time(), zone));
        g.writeStringField("user", example.user());
        g.writeStringField("method", example.method());
        g.writeStringField("host", example.host());
        g.writeStringField("path", example.path());
        verdict(g, "before", example.before());
        verdict(g, "after", example.after());
        g.writeEndObject();
    }

    /** A verdict under the audit record's names: app, decision, reasons, rule. */
    private static void verdict(JsonGenerator g, String name, Verdict verdict) throws IOException {
        g.writeObjectFieldStart(name);
        if (verdict.app().isPresent()) {
            g.writeStringField("app", verdict.app().get());
        }
        g.writeStringField("decision", verdict.outcome().code());
        g.writeArrayFieldStart("reasons");
        for (String code : verdict.reasonCodes()) {
            g.writeString(code);
        }
        g.writeEndArray();
        if (verdict.rule().isPresent()) {
            g.writeStringField("rule", verdict.rule().get());
        }
        g.writeEndObject();
    }

    static String time(Instant instant, ZoneId zone) {
        return OffsetDateTime.ofInstant(instant, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
