package jp.sekisho.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DeviceFacts;

/**
 * Encodes access records as one JSON object per line. Every string is escaped so that no
 * value, whatever a client put in it, can start a new line: JSON escapes CR and LF, and the
 * Unicode line and paragraph separators (U+2028, U+2029) are escaped here too.
 */
final class AccessRecordJson {

    private static final CharacterEscapes LINE_SAFE = LineSafeEscapes.INSTANCE;

    private final JsonFactory factory = new JsonFactory();
    private final RecordTime times;

    private final boolean queryNames;

    private final String tenant;

    AccessRecordJson(ZoneId zone) {
        this(zone, false, "");
    }

    /**
     * @param queryNames record the query string's parameter names, their values masked
     * @param tenant     the 団体コード every record carries; empty for none
     */
    AccessRecordJson(ZoneId zone, boolean queryNames, String tenant) {
        this.times = new RecordTime(zone);
        this.queryNames = queryNames;
        this.tenant = tenant;
    }

    /** Writes the record as text (for tests and tools that hold a {@link Writer}). */
    void write(AuditEntry entry, Writer out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        write(entry, bytes);
        out.write(bytes.toString(StandardCharsets.UTF_8));
    }

    /** Writes the record as one UTF-8 line, ending in a newline. */
    void write(AuditEntry entry, OutputStream out) throws IOException {
        if (entry instanceof AccessRecord access) {
            writeAccess(access, "access", out);
        } else if (entry instanceof DecisionRecord decision) {
            writeAccess(decision.decided(), "decision", out);
        } else if (entry instanceof BreakoutRecord breakout) {
            writeBreakout(breakout, out);
        } else {
            writeAdmin((AdminRecord) entry, out);
        }
    }

    private void writeAdmin(AdminRecord r, OutputStream out) throws IOException {
        line(out, "admin", "actionId", r.id(), r.time(), r.source(), Optional.empty(), g -> {
            g.writeStringField("operator", r.operator());
            g.writeStringField("action", r.action());
            g.writeObjectFieldStart("target");
            g.writeStringField("kind", r.targetKind());
            g.writeStringField("id", r.target());
            g.writeEndObject();
            g.writeStringField("reason", r.reason());
        });
    }

    /** A forward-proxy tunnel or request: the destination, the entry that decided, and the bytes each way. */
    private void writeBreakout(BreakoutRecord r, OutputStream out) throws IOException {
        line(out, "breakout", "requestId", r.requestId(), r.time(), r.sourceAddress(), Optional.empty(), g -> {
            optional(g, "segment", r.segment());
            g.writeStringField("method", r.method());
            g.writeObjectFieldStart("destination");
            g.writeStringField("host", r.host());
            g.writeNumberField("port", r.port());
            optional(g, "address", r.address());
            g.writeEndObject();
            g.writeStringField("category", r.category());
            optional(g, "entry", r.entry());
            optional(g, "parent", r.parent());
            if (r.intercepted()) {
                g.writeBooleanField("intercepted", true);
            }
            if (r.user().isPresent()) {
                writeUser(g, r.user().get());
            }
            writeDevice(g, r.device());
            g.writeStringField("decision", r.outcome().code());
            strings(g, "reasons", r.reasons().stream().map(Reason::code).toList());
            optional(g, "rule", r.ruleId());
            g.writeStringField("policyVersion", r.policyVersion());
            g.writeNumberField("status", r.status());
            g.writeNumberField("bytesUp", r.bytesUp());
            g.writeNumberField("bytesDown", r.bytesDown());
            g.writeNumberField("durationMs", r.durationNanos() / 1_000_000.0);
            optional(g, "closedBy", r.closedBy());
        });
    }

    /** The rest of one record's fields, after the ones every record shares. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One line: schema, kind, id, time and source, then {@code fields}; every string line-safe. */
    private void line(OutputStream out, String kind, String idField, String id, java.time.Instant time, String source,
                      Optional<String> ownTenant, Fields fields) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setCharacterEscapes(LINE_SAFE);
            g.writeStartObject();
            g.writeNumberField("schema", AccessRecord.SCHEMA);
            g.writeStringField("kind", kind);
            g.writeStringField(idField, id);
            g.writeStringField("time", time(time));
            g.writeStringField("source", source);
            // The app's owner in a shared deployment; the deployment's own 団体コード otherwise.
            String recordTenant = ownTenant.orElse(tenant);
            if (!recordTenant.isEmpty()) {
                g.writeStringField("tenant", recordTenant);
            }
            fields.write(g);
            g.writeEndObject();
        }
        out.write('\n');
    }

    private String time(java.time.Instant instant) {
        return times.format(instant);
    }

    /** An access record; a {@code decision} record has no outcome of forwarding yet (status, bytes, duration). */
    private void writeAccess(AccessRecord r, String kind, OutputStream out) throws IOException {
        boolean finished = kind.equals("access");
        line(out, kind, "requestId", r.requestId(), r.time(), r.sourceAddress(), r.tenant(), g -> {
            g.writeStringField("traceId", r.traceId());
            optional(g, "segment", r.segment());
            g.writeStringField("method", r.method());
            g.writeStringField("host", r.host());
            g.writeStringField("path", r.path());
            if (r.method().equals("OPTIONS")) {
                // Only an OPTIONS request can be one; saying so on each lets a replay tell older records apart.
                g.writeBooleanField("corsPreflight", r.corsPreflight());
            }
            if (queryNames && !r.query().isEmpty()) {
                g.writeStringField("query", QueryNames.masked(r.query()));
            }
            optional(g, "app", r.app());
            if (r.user().isPresent()) {
                writeUser(g, r.user().get());
            }
            writeDevice(g, r.device());
            if (r.file().isPresent()) {
                g.writeObjectFieldStart("file");
                g.writeStringField("direction", r.file().get().direction());
                optional(g, "name", r.file().get().name());
                if (r.file().get().bytes().isPresent()) {
                    g.writeNumberField("bytes", r.file().get().bytes().get());
                }
                optional(g, "sha256", r.file().get().sha256());
                g.writeEndObject();
            }
            g.writeStringField("decision", r.outcome().code());
            strings(g, "reasons", r.reasons().stream().map(Reason::code).toList());
            optional(g, "rule", r.ruleId());
            g.writeStringField("policyVersion", r.policyVersion());
            if (finished) {
                g.writeNumberField("status", r.status());
                g.writeNumberField("bytesIn", r.bytesIn());
                g.writeNumberField("bytesOut", r.bytesOut());
                g.writeNumberField("durationMs", r.durationNanos() / 1_000_000.0);
            }
        });
    }

    /** Who the decision saw, with every fact a rule can ask of them (so that a draft policy can be replayed). */
    private void writeUser(JsonGenerator g, Identity user) throws IOException {
        g.writeObjectFieldStart("user");
        g.writeStringField("issuer", user.issuer());
        g.writeStringField("subject", user.subject());
        g.writeStringField("username", user.username());
        strings(g, "groups", sorted(user.groups()));
        strings(g, "amr", user.amr());
        strings(g, "methods", sorted(user.methods()));
        optional(g, "acr", user.acr());
        if (user.authTime().isPresent()) {
            g.writeStringField("authTime", time(user.authTime().get()));
        }
        g.writeStringField("expiresAt", time(user.expiresAt()));
        if (!user.claims().isEmpty()) {
            g.writeObjectFieldStart("claims");
            for (var claim : new TreeMap<>(user.claims()).entrySet()) {
                strings(g, claim.getKey(), claim.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeDevice(JsonGenerator g, AccessRecord.Device device) throws IOException {
        g.writeObjectFieldStart("device");
        optional(g, "id", device.id());
        strings(g, "evidence", device.evidence());
        g.writeStringField("posture", device.result());
        if (!device.failed().isEmpty()) {
            strings(g, "failed", device.failed());
        }
        optional(g, "tokenProblem", device.tokenProblem());
        if (device.facts().isPresent()) {
            writeFacts(g, device.facts().get());
        }
        g.writeEndObject();
    }

    /** A posture token's facts, named as the record names things (camelCase), each only when known. */
    private void writeFacts(JsonGenerator g, DeviceFacts facts) throws IOException {
        g.writeObjectFieldStart("facts");
        if (facts.managed().isPresent()) {
            g.writeBooleanField("managed", facts.managed().get());
        }
        g.writeStringField("compliance", facts.compliance().code());
        if (facts.edr().isPresent()) {
            DeviceFacts.Edr edr = facts.edr().get();
            g.writeObjectFieldStart("edr");
            g.writeStringField("vendor", edr.vendor());
            g.writeBooleanField("running", edr.running());
            g.writeStringField("risk", edr.risk().code());
            g.writeEndObject();
        }
        if (facts.diskEncrypted().isPresent()) {
            g.writeBooleanField("diskEncrypted", facts.diskEncrypted().get());
        }
        if (facts.screenLock().isPresent()) {
            g.writeBooleanField("screenLock", facts.screenLock().get());
        }
        if (facts.os().isPresent()) {
            DeviceFacts.OperatingSystem os = facts.os().get();
            g.writeObjectFieldStart("os");
            g.writeStringField("platform", os.platform());
            g.writeStringField("version", os.version().toString());
            if (os.patchAgeDays().isPresent()) {
                g.writeNumberField("patchAgeDays", os.patchAgeDays().get());
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("observedAt");
        for (var observed : facts.observedAtSorted().entrySet()) {
            g.writeStringField(observed.getKey(), time(observed.getValue()));
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static List<String> sorted(Set<String> values) {
        String[] array = values.toArray(new String[0]);
        Arrays.sort(array);
        return Arrays.asList(array);
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }
}
