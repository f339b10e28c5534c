package jp.sekisho.audit.export;

import static jp.sekisho.audit.export.JsonLines.object;
import static jp.sekisho.audit.export.JsonLines.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Records as OCSF 1.1 events, one per line, with the attributes of the mapping in docs/audit.md:
 * a request is an HTTP Activity (4002) whose activity is its method, {@code Allowed} (1) when the
 * decision was allow and {@code Blocked} (2) otherwise; a forward-proxy (breakout) record is the
 * same, to its {@code dst_endpoint}; an operator's action is an API Activity (6003). Time is epoch
 * milliseconds, with the recorded offset in {@code timezone_offset}.
 */
public final class OcsfExport extends JsonLinesExport {

    static final String OCSF_VERSION = "1.1.0";
    static final int HTTP_ACTIVITY = 4002;
    static final int API_ACTIVITY = 6003;

    /** HTTP Activity's activity ids by method; any other method is 99, Other. */
    private static final Map<String, Integer> ACTIVITIES = Map.of("CONNECT", 1, "DELETE", 2, "GET", 3, "HEAD", 4,
            "OPTIONS", 5, "POST", 6, "PUT", 7, "TRACE", 8);

    /** OCSF's operating system type ids by the platforms posture facts name; any other is 99, Other. */
    private static final Map<String, Integer> OS_TYPES = Map.of("windows", 100, "linux", 200, "android", 201,
            "macos", 300, "ios", 301);
    private static final Map<Integer, String> OS_TYPE_NAMES = Map.of(100, "Windows", 200, "Linux", 201, "Android",
            300, "macOS", 301, "iOS", 99, "Other");

    public OcsfExport(OutputStream out) throws IOException {
        super(out);
    }

    @Override
    ObjectNode request(ExportRecord record) {
        ExportRecord.Request r = record.request();
        boolean allowed = "allow".equals(r.decision());
        int activity = r.method() == null ? 99 : ACTIVITIES.getOrDefault(r.method(), 99);
        String method = r.method() == null ? "Other" : activity == 99 ? "Other"
                : r.method().charAt(0) + r.method().substring(1).toLowerCase(java.util.Locale.ROOT);
        ObjectNode line = common(record, 4, "Network Activity", HTTP_ACTIVITY, "HTTP Activity", activity, method,
                r.traceId());
        put(line, "action_id", allowed ? 1 : 2);
        put(line, "action", allowed ? "Allowed" : "Denied");
        put(line, "disposition_id", allowed ? 1 : 2);
        put(line, "disposition", allowed ? "Allowed" : "Blocked");
        put(line, "status_id", allowed ? 1 : 2);
        put(line, "status", allowed ? "Success" : "Failure");
        put(line, "status_detail", r.reasons().isEmpty() ? null : String.join(" ", r.reasons()));
        put(line, "duration", r.durationMs() == null ? null : Math.round(r.durationMs()));
        put(line, "http_request", put(put(put(object(), "uid", record.id()), "http_method", r.method()), "url",
                put(put(object(), "hostname", r.host()), "path", r.path())));
        put(line, "http_response", put(object(), "code", r.status()));
        put(line, "src_endpoint", put(put(object(), "ip", record.source()), "zone", r.segment()));
        put(line, "dst_endpoint", put(object(), "svc_name", r.app()));
        ObjectNode user = put(put(put(object(), "uid", r.subject()), "name", r.username()), "domain", r.issuer());
        if (!r.groups().isEmpty()) {
            ArrayNode groups = user.putArray("groups");
            r.groups().forEach(group -> groups.add(put(object(), "name", group)));
        }
        put(line, "actor", put(object(), "user", user));
        if (r.deviceId() != null || "passed".equals(r.posture()) || "failed".equals(r.posture())) {
            ObjectNode device = put(put(object(), "type_id", 0), "uid", r.deviceId());
            put(device, "is_compliant", "passed".equals(r.posture()) ? Boolean.TRUE
                    : "failed".equals(r.posture()) ? Boolean.FALSE : null);
            put(device, "is_managed", r.deviceManaged());
            if (r.osPlatform() != null) {
                int type = OS_TYPES.getOrDefault(r.osPlatform(), 99);
                put(device, "os", put(put(put(put(object(), "name", r.osPlatform()), "type_id", type), "type",
                        OS_TYPE_NAMES.get(type)), "version", r.osVersion()));
            }
            put(line, "device", device);
        }
        if (r.fileDirection() != null) {
            ObjectNode file = put(put(put(object(), "type_id", 1), "name", r.fileName()), "size", r.fileBytes());
            if (r.fileSha256() != null) {
                file.putArray("hashes").add(put(put(put(object(), "algorithm_id", 3), "algorithm", "SHA-256"),
                        "value", r.fileSha256()));
            }
            put(line, "file", file);
        }
        put(line, "policy", put(put(object(), "uid", r.rule()), "version", r.policyVersion()));
        put(line, "traffic", put(put(object(), "bytes_in", r.bytesIn()), "bytes_out", r.bytesOut()));
        ObjectNode unmapped = object();
        put(unmapped, "amr", r.amr());
        put(unmapped, "acr", r.acr());
        put(unmapped, "posture", r.posture());
        put(unmapped, "file_direction", r.fileDirection());
        put(unmapped, "note", record.incomplete() ? "incomplete" : null);
        put(line, "unmapped", unmapped);
        return line;
    }

    /** A request (a CONNECT is activity 1), to the destination instead of an app. */
    @Override
    ObjectNode breakout(ExportRecord record) {
        ExportRecord.Request r = record.request();
        ExportRecord.Breakout b = record.breakout();
        ObjectNode line = request(record);
        put(line, "http_request", put(put(put(object(), "uid", record.id()), "http_method", r.method()), "url",
                put(put(object(), "hostname", r.host()), "port", b.port())));
        put(line, "dst_endpoint", put(put(put(object(), "hostname", r.host()), "port", b.port()), "ip", b.address()));
        // OCSF's bytes_out go from the source (the terminal) to the destination, bytes_in come back
        line.remove("traffic");
        put(line, "traffic", put(put(object(), "bytes_out", r.bytesIn()), "bytes_in", r.bytesOut()));
        ObjectNode unmapped = line.has("unmapped") ? (ObjectNode) line.get("unmapped") : object();
        put(unmapped, "category", b.category());
        put(unmapped, "entry", b.entry());
        put(unmapped, "parent", b.parent());
        put(unmapped, "intercepted", b.intercepted() ? Boolean.TRUE : null);
        put(unmapped, "closed_by", b.closedBy());
        put(line, "unmapped", unmapped);
        return line;
    }

    @Override
    ObjectNode admin(ExportRecord record) {
        ExportRecord.Admin a = record.admin();
        ObjectNode line = common(record, 6, "Application Activity", API_ACTIVITY, "API Activity", 99,
                a.action() == null ? "Other" : a.action(), null);
        put(line, "status_id", 1);
        put(line, "status", "Success");
        put(line, "actor", put(object(), "user", put(object(), "name", a.operator())));
        put(line, "api", put(put(object(), "operation", a.action()), "request", put(object(), "uid", record.id())));
        put(line, "src_endpoint", put(object(), "ip", record.source()));
        if (a.target() != null) {
            line.putArray("resources").add(put(put(object(), "type", a.targetKind()), "uid", a.target()));
        }
        put(line, "message", a.reason());
        return line;
    }

    /** Classification, time, severity and metadata, which every OCSF event has. */
    private static ObjectNode common(ExportRecord record, int category, String categoryName, int classUid,
                                     String className, int activity, String activityName, String correlation) {
        ObjectNode line = object();
        line.put("category_uid", category);
        line.put("category_name", categoryName);
        line.put("class_uid", classUid);
        line.put("class_name", className);
        line.put("activity_id", activity);
        line.put("activity_name", activityName);
        line.put("type_uid", classUid * 100L + activity);
        line.put("type_name", className + ": " + activityName);
        line.put("severity_id", 1);
        line.put("severity", "Informational");
        line.put("time", record.time().toInstant().toEpochMilli());
        line.put("timezone_offset", record.time().getOffset().getTotalSeconds() / 60);
        ObjectNode product = put(put(object(), "name", "Sekisho"), "vendor_name", "Sekisho");
        line.set("metadata", put(put(put(put(put(object(), "version", OCSF_VERSION), "product", product), "sequence",
                record.seq()), "correlation_uid", correlation), "tenant_uid", record.tenant()));
        return line;
    }
}
