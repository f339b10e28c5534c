package jp.sekisho.audit.breakout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.audit.export.CsvRows;

/**
 * Writes a {@link ShadowIt} as CSV for Excel (the sections read top to bottom, encoded as every
 * Sekisho CSV is: {@link CsvRows}) or as one JSON object with English keys for scripts. The text
 * form for a terminal is the command's ({@code sekisho audit shadow-it}), from the same sections.
 */
public final class ShadowItReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ShadowItReport() {
    }

    /**
     * The report as CSV: the title, then each section as a title row, its notes, and each table as
     * a caption row, a heading row and its rows, a blank row between blocks. Returns how many
     * characters CP932 could not hold and were written as '?' (0 in UTF-8).
     */
    public static long csv(ShadowIt report, CsvExport.Headers language, CsvExport.Encoding encoding,
                           OutputStream out) throws IOException {
        CsvRows csv = new CsvRows(out, encoding);
        csv.row(List.of(ShadowItSections.title(language)));
        csv.row(List.of());
        for (ShadowItSections.Section section : ShadowItSections.of(report, language)) {
            csv.row(List.of("■ " + section.title()));
            for (String note : section.notes()) {
                csv.row(List.of(note));
            }
            for (ShadowItSections.Table table : section.tables()) {
                csv.row(List.of("□ " + table.caption()));
                csv.row(table.headers());
                for (List<String> row : table.rows()) {
                    csv.row(row);
                }
                if (table.rows().isEmpty()) {
                    csv.row(List.of(language == CsvExport.Headers.JA ? "該当なし" : "none"));
                }
                csv.row(List.of());
            }
        }
        csv.flush();
        return csv.replacedCharacters();
    }

    /** The report as one JSON object (UTF-8); times with the period's offset, a missing segment as null. */
    public static void json(ShadowIt report, OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("report", "shadow-it");
        root.put("trail", report.trail());
        ObjectNode period = root.putObject("period");
        period.put("from", time(report, report.period().from()));
        period.put("to", time(report, report.period().to()));
        period.put("zone", report.period().zone().getId());
        root.put("segment", report.segment().orElse(null));
        root.put("top", report.top());
        root.put("generated", time(report, report.generated()));
        ShadowIt.Totals t = report.totals();
        ObjectNode totals = root.putObject("totals");
        totals.put("records", t.records());
        totals.put("allowed", t.allowed());
        totals.put("notListed", t.notListed());
        totals.put("otherRefusals", t.otherRefusals());
        totals.put("unauthenticated", t.unauthenticated());
        totals.put("stepUp", t.stepUp());
        totals.put("destinations", t.destinations());
        totals.put("segments", t.segments());
        totals.put("groups", t.groups());
        ArrayNode destinations = root.putArray("destinations");
        for (ShadowIt.Destination d : report.destinations()) {
            ObjectNode row = destinations.addObject();
            row.put("destination", d.label());
            row.put("host", d.host());
            row.put("port", d.port());
            row.put("refusals", d.refusals());
            row.put("users", d.users());
            row.put("devices", d.devices());
            row.put("firstSeen", time(report, d.firstSeen()));
            row.put("lastSeen", time(report, d.lastSeen()));
            shares(row.putArray("segments"), d.segments());
            shares(row.putArray("groups"), d.groups());
        }
        slices(root.putArray("segments"), "segment", report.segments());
        slices(root.putArray("groups"), "group", report.groups());
        ArrayNode other = root.putArray("otherRefusals");
        for (ShadowIt.ReasonCount c : report.otherRefusals()) {
            other.addObject().put("reason", c.reason().isEmpty() ? null : c.reason()).put("count", c.count());
        }
        root.putObject("reading").put("linesRead", report.reading().linesRead())
                .put("unreadable", report.reading().unreadable());
        JSON.writeValue(out, root);
        out.write('\n');
        out.flush();
    }

    private static void shares(ArrayNode array, List<ShadowIt.Share> shares) {
        for (ShadowIt.Share s : shares) {
            array.addObject().put("name", s.name()).put("refusals", s.refusals());
        }
    }

    private static void slices(ArrayNode array, String name, List<ShadowIt.Slice> slices) {
        for (ShadowIt.Slice s : slices) {
            array.addObject().put(name, s.name()).put("refusals", s.refusals()).put("destinations", s.destinations())
                    .put("users", s.users());
        }
    }

    private static String time(ShadowIt report, Instant time) {
        return time.atZone(report.period().zone()).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
