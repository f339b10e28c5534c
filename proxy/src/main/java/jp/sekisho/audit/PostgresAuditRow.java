package jp.sekisho.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * One trail record as a row of {@code sekisho_audit}: the columns auditors filter on, taken
 * from the record, and the whole record as {@code jsonb}.
 */
record PostgresAuditRow(long seq, OffsetDateTime time, String tenant, String kind, String requestId,
                        String username, String app, String decision, Integer status, String json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JSON {@code \u0000} escape (not an escaped backslash followed by "u0000"). */
    private static final Pattern NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    static final String INSERT = "insert into sekisho_audit (instance, seq, time, tenant, kind, request_id, username,"
            + " app, decision, status, record) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb)";

    static PostgresAuditRow of(TrailFollower.Line line) throws IOException {
        JsonNode record = JSON.readTree(line.text());
        String kind = text(record, "kind");
        boolean admin = "admin".equals(kind);
        String time = text(record, "time");
        if (kind == null || time == null) {
            throw new IOException("audit record " + line.seq() + " has no kind or time");
        }
        return new PostgresAuditRow(line.seq(), OffsetDateTime.parse(time), text(record, "tenant"), kind,
                text(record, admin ? "actionId" : "requestId"),
                admin ? text(record, "operator") : text(record.path("user"), "username"),
                text(record, "app"), text(record, "decision"),
                record.path("status").isInt() ? record.path("status").intValue() : null,
                // jsonb cannot hold U+0000; the trail itself keeps it
                line.text().contains("\\u0000") ? NUL.matcher(line.text()).replaceAll("$1\\\\ufffd") : line.text());
    }

    /** The monthly partition (UTC) the row goes to. */
    YearMonth month() {
        return YearMonth.from(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    Tuple tuple(String instance) {
        return Tuple.tuple().addString(instance).addLong(seq).addOffsetDateTime(time).addString(tenant)
                .addString(kind).addString(requestId).addString(username).addString(app).addString(decision)
                .addInteger(status).addString(json);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : null;
    }
}
