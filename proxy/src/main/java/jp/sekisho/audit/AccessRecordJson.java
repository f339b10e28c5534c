package jp.sekisho.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.Writer;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import jp.sekisho.policy.Reason;

/**
 * Encodes access records as one JSON object per line. Every string is escaped so that no
 * value, whatever a client put in it, can start a new line: JSON escapes CR and LF, and the
 * Unicode line and paragraph separators (U+2028, U+2029) are escaped here too.
 */
final class AccessRecordJson {

    private static final CharacterEscapes LINE_SAFE = new CharacterEscapes() {
        private final int[] asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    };

    private final JsonFactory factory = new JsonFactory();
    private final ZoneId zone;

    AccessRecordJson(ZoneId zone) {
        this.zone = zone;
    }

    void write(AuditEntry entry, Writer out) throws IOException {
        if (entry instanceof AccessRecord access) {
            writeAccess(access, out);
        } else {
            writeAdmin((AdminRecord) entry, out);
        }
    }

    private void writeAdmin(AdminRecord r, Writer out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setCharacterEscapes(LINE_SAFE);
            g.writeStartObject();
            g.writeNumberField("schema", AccessRecord.SCHEMA);
            g.writeStringField("kind", "admin");
            g.writeStringField("actionId", r.id());
            g.writeStringField("time", time(r.time()));
            g.writeStringField("source", r.source());
            g.writeStringField("operator", r.operator());
            g.writeStringField("action", r.action());
            g.writeObjectFieldStart("target");
            g.writeStringField("kind", r.targetKind());
            g.writeStringField("id", r.target());
            g.writeEndObject();
            g.writeStringField("reason", r.reason());
            g.writeEndObject();
        }
        out.write('\n');
    }

    private String time(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), zone)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private void writeAccess(AccessRecord r, Writer out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setCharacterEscapes(LINE_SAFE);
            g.writeStartObject();
            g.writeNumberField("schema", AccessRecord.SCHEMA);
            g.writeStringField("kind", "access");
            g.writeStringField("requestId", r.requestId());
            g.writeStringField("time", time(r.time()));
            g.writeStringField("source", r.sourceAddress());
            g.writeStringField("method", r.method());
            g.writeStringField("host", r.host());
            g.writeStringField("path", r.path());
            optional(g, "app", r.app());
            if (r.subject().isPresent()) {
                g.writeObjectFieldStart("user");
                optional(g, "issuer", r.issuer());
                optional(g, "subject", r.subject());
                optional(g, "username", r.username());
                g.writeArrayFieldStart("amr");
                for (String method : r.amr()) {
                    g.writeString(method);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("methods");
                for (String method : r.methods()) {
                    g.writeString(method);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            writeDevice(g, r.device());
            g.writeStringField("decision", r.outcome().code());
            g.writeArrayFieldStart("reasons");
            for (Reason reason : r.reasons()) {
                g.writeString(reason.code());
            }
            g.writeEndArray();
            optional(g, "rule", r.ruleId());
            g.writeStringField("policyVersion", r.policyVersion());
            g.writeNumberField("status", r.status());
            g.writeNumberField("bytesIn", r.bytesIn());
            g.writeNumberField("bytesOut", r.bytesOut());
            g.writeNumberField("durationMs", r.durationNanos() / 1_000_000.0);
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeDevice(JsonGenerator g, AccessRecord.Device device) throws IOException {
        g.writeObjectFieldStart("device");
        optional(g, "id", device.id());
        g.writeArrayFieldStart("evidence");
        for (String evidence : device.evidence()) {
            g.writeString(evidence);
        }
        g.writeEndArray();
        g.writeStringField("posture", device.result());
        if (!device.failed().isEmpty()) {
            g.writeArrayFieldStart("failed");
            for (String check : device.failed()) {
                g.writeString(check);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }
}
