package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export as OCSF 1.1: requests are HTTP Activity (4002), operator actions API Activity (6003). */
class OcsfExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    List<JsonNode> events = new ArrayList<>();

    @BeforeEach
    void export() throws IOException {
        KnownTrail.Export export = KnownTrail.write(root).export("--format", "ocsf");
        assertEquals(0, export.exitCode(), export.err());
        for (String line : export.lines()) {
            events.add(JSON.readTree(line));
        }
    }

    private JsonNode request(String id) {
        return events.stream().filter(e -> e.at("/http_request/uid").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void requestsAreHttpActivityWithTheirDisposition() {
        assertEquals(8, events.size());
        JsonNode r1 = request("r1");
        assertEquals(4002, r1.path("class_uid").asInt());
        assertEquals(4, r1.path("category_uid").asInt());
        assertEquals(3, r1.path("activity_id").asInt(), "GET");
        assertEquals(400203, r1.path("type_uid").asLong());
        assertEquals(1, r1.path("severity_id").asInt());
        assertEquals(1795392000000L, r1.path("time").asLong(), "2026-11-23T09:00+09:00 in epoch ms");
        assertEquals(540, r1.path("timezone_offset").asInt());
        assertEquals("1.1.0", r1.at("/metadata/version").asText());
        assertEquals("Sekisho", r1.at("/metadata/product/name").asText());
        assertEquals("Sekisho", r1.at("/metadata/product/vendor_name").asText());
        assertEquals(1, r1.at("/metadata/sequence").asLong());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", r1.at("/metadata/correlation_uid").asText());
        assertEquals("Allowed", r1.path("disposition").asText());
        assertEquals(1, r1.path("disposition_id").asInt());
        assertEquals("GET", r1.at("/http_request/http_method").asText());
        assertEquals("records.example.lg.jp", r1.at("/http_request/url/hostname").asText());
        assertEquals("/住民記録/検索", r1.at("/http_request/url/path").asText());
        assertEquals(200, r1.at("/http_response/code").asInt());
        assertEquals("192.0.2.10", r1.at("/src_endpoint/ip").asText());
        assertEquals("lgwan", r1.at("/src_endpoint/zone").asText());
        assertEquals("juminhyo", r1.at("/dst_endpoint/svc_name").asText());
        assertEquals("佐藤", r1.at("/actor/user/name").asText());
        assertEquals("sub-佐藤", r1.at("/actor/user/uid").asText());
        assertEquals("dev-1", r1.at("/device/uid").asText());
        assertTrue(r1.at("/device/is_compliant").asBoolean());
        assertEquals("shimin-ka", r1.at("/actor/user/groups/0/name").asText());
        assertTrue(r1.at("/device/is_managed").asBoolean());
        assertEquals(100, r1.at("/device/os/type_id").asInt(), "Windows");
        assertEquals("10.0.22631.4460", r1.at("/device/os/version").asText());
        assertEquals(KnownTrail.SHA256, r1.at("/file/hashes/0/value").asText());
        assertEquals("clerks", r1.at("/policy/uid").asText());
        assertEquals(120, r1.at("/traffic/bytes_in").asLong());
        assertEquals(2048, r1.at("/traffic/bytes_out").asLong());
        assertEquals(2, r1.path("duration").asLong(), "milliseconds, rounded");

        for (String denied : List.of("r2", "r6", "r7")) {
            assertEquals(2, request(denied).path("disposition_id").asInt(), denied);
            assertEquals("Blocked", request(denied).path("disposition").asText(), denied);
        }
        assertEquals("user-not-allowed", request("r2").path("status_detail").asText());
        assertEquals("incomplete", request("r4").at("/unmapped/note").asText());
    }

    @Test
    void anOperatorActionIsApiActivity() {
        JsonNode admin = events.stream().filter(e -> e.path("class_uid").asInt() == 6003).findFirst().orElseThrow();

        assertEquals(6, admin.path("category_uid").asInt());
        assertEquals(600399, admin.path("type_uid").asLong());
        assertEquals("quarantine", admin.at("/api/operation").asText());
        assertEquals("a1", admin.at("/api/request/uid").asText());
        assertEquals("管理者", admin.at("/actor/user/name").asText());
        assertEquals("dev-7", admin.at("/resources/0/uid").asText());
        assertEquals(3, admin.at("/metadata/sequence").asLong());
    }
}
