package jp.sekisho.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One exported record of the audit trail, read from its JSON line: a request ({@code access},
 * or a {@code decision} whose request never finished), an operator's action ({@code admin}), or
 * a forward-proxy tunnel or request ({@code breakout}). Fields a record does not carry are null;
 * lists are empty.
 *
 * <p>A breakout record is read as a request, so that the filters and the columns that mean the
 * same thing (who, from where, decision, reasons, status, bytes) serve it unchanged: its
 * destination host is the request's {@code host}, its bytes up and down are {@code bytesIn} and
 * {@code bytesOut}; it has no app, path or trace id. What only a breakout has is in {@link Breakout}.
 *
 * @param kind          {@code access}, {@code decision}, {@code admin} or {@code breakout}
 * @param seq           the record's place in the chain
 * @param id            requestId, or actionId for an admin record
 * @param time          the recorded time, with the offset it was written in
 * @param source        the client's (or operator's) address
 * @param request       what was asked and what came of it; null for an admin record
 * @param admin         the operator's action; null for a request
 * @param incomplete    a decision record without its access record: the process stopped while the request was under way
 * @param tenant        the 団体コード the record carries, or null
 * @param breakout      the destination side of a breakout record; null for every other kind
 */
public record ExportRecord(String kind, long seq, String id, OffsetDateTime time, String source, Request request,
                           Admin admin, boolean incomplete, String tenant, Breakout breakout) {

    public static final String ACCESS = "access";
    public static final String DECISION = "decision";
    public static final String ADMIN = "admin";
    public static final String BREAKOUT = "breakout";

    public ExportRecord {
        if ((request == null) == (admin == null)) {
            throw new IllegalArgumentException("a record is either a request or an admin action");
        }
        if ((breakout != null) != kind.equals(BREAKOUT) || breakout != null && request == null) {
            throw new IllegalArgumentException("a breakout record, and only one, has a destination");
        }
    }

    /**
     * The fields of an {@code access} or {@code decision} record; a decision has no status, bytes or duration.
     * The user's groups and acr, and the device's {@code managed} and {@code os} facts, are absent from
     * records written before they were recorded.
     */
    public record Request(String traceId, String segment, String method, String host, String path, String app,
                          String issuer, String subject, String username, List<String> groups, List<String> amr,
                          String acr, String deviceId, String posture, Boolean deviceManaged, String osPlatform,
                          String osVersion, String fileDirection, String fileName, Long fileBytes, String fileSha256,
                          String decision, List<String> reasons, String rule, String policyVersion, Integer status,
                          Long bytesIn, Long bytesOut, Double durationMs) {
        public Request {
            groups = List.copyOf(groups);
            amr = List.copyOf(amr);
            reasons = List.copyOf(reasons);
        }
    }

    /** The fields of an {@code admin} record. */
    public record Admin(String operator, String action, String targetKind, String target, String reason) {
    }

    /**
     * What only a {@code breakout} record has: the destination's port (0 when it could not be read)
     * and the address connected to, the allowlist's category ({@code unlisted} when no entry matched)
     * and entry, the parent proxy, whether TLS was opened for tenant restrictions, and how an
     * established tunnel ended.
     */
    public record Breakout(Integer port, String address, String category, String entry, String parent,
                           boolean intercepted, String closedBy) {
    }

    /** The kind a person filters on: {@code access} for a request whether it finished or not. */
    public String filterKind() {
        return kind.equals(DECISION) ? ACCESS : kind;
    }

    /** The time as the trail writes it: ISO 8601 with its offset, seconds always shown. */
    public String timeText() {
        return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** This record as a request that never finished. */
    ExportRecord asIncomplete() {
        return new ExportRecord(kind, seq, id, time, source, request, admin, true, tenant, breakout);
    }

    /**
     * Reads one line of the trail. Returns null for the kinds that are not exported (the trail's
     * own {@code checkpoint}, {@code recovery} and {@code purge} records, and kinds a later version
     * may add).
     *
     * @throws IllegalArgumentException when the line is not a record this version can read
     */
    public static ExportRecord of(JsonNode line) {
        String kind = line.path("kind").asText();
        if (!kind.equals(ACCESS) && !kind.equals(DECISION) && !kind.equals(ADMIN) && !kind.equals(BREAKOUT)) {
            return null;
        }
        if (!line.path("seq").canConvertToExactIntegral()) {
            throw new IllegalArgumentException("no seq");
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(line.path("time").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unreadable time: " + line.path("time").asText());
        }
        long seq = line.path("seq").asLong();
        String source = text(line, "source");
        if (kind.equals(ADMIN)) {
            JsonNode target = line.path("target");
            return new ExportRecord(kind, seq, text(line, "actionId"), time, source, null,
                    new Admin(text(line, "operator"), text(line, "action"), text(target, "kind"), text(target, "id"),
                            text(line, "reason")), false, text(line, "tenant"), null);
        }
        if (kind.equals(BREAKOUT)) {
            return breakout(line, seq, time, source);
        }
        JsonNode user = line.path("user");
        JsonNode device = line.path("device");
        JsonNode file = line.path("file");
        JsonNode facts = device.path("facts");
        Request request = new Request(text(line, "traceId"), text(line, "segment"), text(line, "method"),
                text(line, "host"), text(line, "path"), text(line, "app"), text(user, "issuer"), text(user, "subject"),
                text(user, "username"), strings(user.path("groups")), strings(user.path("amr")), text(user, "acr"),
                text(device, "id"), text(device, "posture"),
                facts.path("managed").isBoolean() ? facts.path("managed").asBoolean() : null,
                text(facts.path("os"), "platform"), text(facts.path("os"), "version"), text(file, "direction"), text(file, "name"), file.path("bytes").isIntegralNumber()
                ? file.path("bytes").asLong() : null, text(file, "sha256"), text(line, "decision"),
                strings(line.path("reasons")), text(line, "rule"), text(line, "policyVersion"),
                line.path("status").isIntegralNumber() ? line.path("status").asInt() : null,
                line.path("bytesIn").isIntegralNumber() ? line.path("bytesIn").asLong() : null,
                line.path("bytesOut").isIntegralNumber() ? line.path("bytesOut").asLong() : null,
                line.path("durationMs").isNumber() ? line.path("durationMs").asDouble() : null);
        return new ExportRecord(kind, seq, text(line, "requestId"), time, source, request, null, false,
                text(line, "tenant"), null);
    }

    private static ExportRecord breakout(JsonNode line, long seq, OffsetDateTime time, String source) {
        JsonNode user = line.path("user");
        JsonNode device = line.path("device");
        JsonNode facts = device.path("facts");
        JsonNode destination = line.path("destination");
        Request request = new Request(null, text(line, "segment"), text(line, "method"), text(destination, "host"),
                null, null, text(user, "issuer"), text(user, "subject"), text(user, "username"),
                strings(user.path("groups")), strings(user.path("amr")), text(user, "acr"), text(device, "id"),
                text(device, "posture"), facts.path("managed").isBoolean() ? facts.path("managed").asBoolean() : null,
                text(facts.path("os"), "platform"), text(facts.path("os"), "version"), null, null, null, null,
                text(line, "decision"), strings(line.path("reasons")), text(line, "rule"), text(line, "policyVersion"),
                integer(line, "status"), longValue(line, "bytesUp"), longValue(line, "bytesDown"),
                line.path("durationMs").isNumber() ? line.path("durationMs").asDouble() : null);
        Breakout breakout = new Breakout(integer(destination, "port"), text(destination, "address"),
                text(line, "category"), text(line, "entry"), text(line, "parent"),
                line.path("intercepted").asBoolean(false), text(line, "closedBy"));
        return new ExportRecord(BREAKOUT, seq, text(line, "requestId"), time, source, request, null, false,
                text(line, "tenant"), breakout);
    }

    private static Integer integer(JsonNode node, String field) {
        return node.path(field).isIntegralNumber() ? node.path(field).asInt() : null;
    }

    private static Long longValue(JsonNode node, String field) {
        return node.path(field).isIntegralNumber() ? node.path(field).asLong() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (value.isValueNode() && !value.isNull()) {
                values.add(value.asText());
            }
        }
        return values;
    }
}
