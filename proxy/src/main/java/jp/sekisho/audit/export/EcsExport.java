package jp.sekisho.audit.export;

import static jp.sekisho.audit.export.JsonLines.object;
import static jp.sekisho.audit.export.JsonLines.put;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Records as Elastic Common Schema (ECS 8.11) JSON Lines, one event per line, with the field
 * names of the mapping in docs/audit.md. Requests are {@code web} events whose outcome is
 * {@code success} when the decision was allow; forward-proxy (breakout) records are
 * {@code network} connection events to their {@code destination}; operator actions are
 * {@code configuration} events.
 */
public final class EcsExport extends JsonLinesExport {

    static final String ECS_VERSION = "8.11.0";

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public EcsExport(OutputStream out) throws IOException {
        super(out);
    }

    @Override
    ObjectNode request(ExportRecord record) {
        ExportRecord.Request r = record.request();
        boolean allowed = "allow".equals(r.decision());
        ObjectNode line = common(record, "sekisho.access");
        ObjectNode event = (ObjectNode) line.get("event");
        put(event, "category", List.of("web"));
        put(event, "type", List.of("access", allowed ? "allowed" : "denied"));
        put(event, "action", r.decision());
        put(event, "outcome", allowed ? "success" : "failure");
        put(event, "reason", r.reasons().isEmpty() ? null : String.join(" ", r.reasons()));
        put(event, "duration", r.durationMs() == null ? null : Math.round(r.durationMs() * 1_000_000));
        put(line, "http", put(put(object(), "request",
                put(put(put(object(), "id", record.id()), "method", r.method()), "bytes", r.bytesIn())),
                "response", put(put(object(), "status_code", r.status()), "bytes", r.bytesOut())));
        put(line, "url", put(put(object(), "domain", r.host()), "path", r.path()));
        put(line, "network", put(object(), "name", r.segment()));
        put(line, "user", user(r));
        put(line, "trace", put(object(), "id", r.traceId()));
        put(line, "rule", put(put(object(), "id", r.rule()), "version", r.policyVersion()));
        put(line, "service", put(object(), "target", put(object(), "name", r.app())));
        put(line, "device", put(object(), "id", r.deviceId()));
        put(line, "file", put(put(put(object(), "name", r.fileName()), "size", r.fileBytes()), "hash",
                put(object(), "sha256", r.fileSha256())));
        ObjectNode labels = object();
        put(labels, "segment", r.segment());
        put(labels, "posture", r.posture());
        put(labels, "amr", r.amr().isEmpty() ? null : String.join(" ", r.amr()));
        put(labels, "acr", r.acr());
        put(labels, "file_direction", r.fileDirection());
        put(labels, "note", record.incomplete() ? "incomplete" : null);
        put(line, "labels", labels);
        return line;
    }

    @Override
    ObjectNode breakout(ExportRecord record) {
        ExportRecord.Request r = record.request();
        ExportRecord.Breakout b = record.breakout();
        boolean allowed = "allow".equals(r.decision());
        ObjectNode line = common(record, "sekisho.breakout");
        ObjectNode event = (ObjectNode) line.get("event");
        put(event, "category", List.of("network"));
        put(event, "type", List.of("connection", allowed ? "allowed" : "denied"));
        put(event, "action", r.decision());
        put(event, "outcome", allowed ? "success" : "failure");
        put(event, "reason", r.reasons().isEmpty() ? null : String.join(" ", r.reasons()));
        put(event, "duration", r.durationMs() == null ? null : Math.round(r.durationMs() * 1_000_000));
        // ECS counts source.bytes from the source (the terminal) and destination.bytes back to it
        ObjectNode source = line.has("source") ? (ObjectNode) line.get("source") : object();
        put(line, "source", put(source, "bytes", r.bytesIn()));
        ObjectNode destination = put(put(object(), "domain", r.host()), "port", b.port());
        if (b.address() != null) {
            put(destination, isIp(b.address()) ? "ip" : "address", b.address());
        }
        put(line, "destination", put(destination, "bytes", r.bytesOut()));
        put(line, "url", put(put(object(), "domain", r.host()), "port", b.port()));
        put(line, "http", put(put(object(), "request", put(put(object(), "id", record.id()), "method", r.method())),
                "response", put(object(), "status_code", r.status())));
        put(line, "network", put(object(), "name", r.segment()));
        put(line, "user", user(r));
        put(line, "rule", put(put(put(put(object(), "id", r.rule()), "version", r.policyVersion()), "name",
                b.entry()), "category", b.category()));
        put(line, "device", put(object(), "id", r.deviceId()));
        ObjectNode labels = object();
        put(labels, "segment", r.segment());
        put(labels, "posture", r.posture());
        put(labels, "amr", r.amr().isEmpty() ? null : String.join(" ", r.amr()));
        put(labels, "acr", r.acr());
        put(labels, "category", b.category());
        put(labels, "entry", b.entry());
        put(labels, "parent", b.parent());
        put(labels, "intercepted", b.intercepted() ? "true" : null);
        put(labels, "closed_by", b.closedBy());
        put(line, "labels", labels);
        return line;
    }

    private static ObjectNode user(ExportRecord.Request r) {
        return put(put(put(put(object(), "id", r.subject()), "name", r.username()), "domain", r.issuer()),
                "group", put(object(), "name", r.groups()));
    }

    @Override
    ObjectNode admin(ExportRecord record) {
        ExportRecord.Admin a = record.admin();
        ObjectNode line = common(record, "sekisho.admin");
        ObjectNode event = (ObjectNode) line.get("event");
        put(event, "id", record.id());
        put(event, "category", List.of("configuration"));
        put(event, "type", List.of("change"));
        put(event, "action", a.action());
        put(event, "outcome", "success");
        put(event, "reason", a.reason());
        ObjectNode user = put(object(), "name", a.operator());
        if ("user".equals(a.targetKind())) {
            put(user, "target", put(object(), "name", a.target()));
        }
        put(line, "user", user);
        put(line, "labels", put(put(object(), "target_kind", a.targetKind()), "target_id", a.target()));
        return line;
    }

    /** {@code @timestamp}, the event's kind, dataset and sequence, the source, and the ECS version. */
    private static ObjectNode common(ExportRecord record, String dataset) {
        ObjectNode line = object();
        line.put("@timestamp", record.timeText());
        line.set("event", put(put(put(object(), "kind", "event"), "dataset", dataset), "sequence", record.seq()));
        String source = record.source();
        if (source != null) {
            line.set("source", put(object(), isIp(source) ? "ip" : "address", source));
        }
        if (record.tenant() != null) {
            line.set("organization", put(object(), "id", record.tenant()));
        }
        line.set("ecs", put(object(), "version", ECS_VERSION));
        return line;
    }

    /** Whether {@code text} is an IP address literal, as {@code source.ip} must be; never looks a name up. */
    static boolean isIp(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text); // with a colon it is taken as an IPv6 literal: parsed, never resolved
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
