package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A SIEM takes the export as ECS events: one per line, with the field names of the mapping in docs/audit.md. */
class EcsExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    List<JsonNode> events = new ArrayList<>();
    KnownTrail.Export export;

    @BeforeEach
    void export() throws IOException {
        export = KnownTrail.write(root).export("--format", "jsonl");
        for (String line : export.lines()) {
            events.add(JSON.readTree(line));
        }
    }

    private JsonNode request(String id) {
        return events.stream().filter(e -> e.at("/http/request/id").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void everyRequestAndOperatorActionIsOneEventAndCheckpointsAreNot() {
        assertEquals(0, export.exitCode(), export.err());
        assertEquals(8, events.size(), "seven requests and one operator action: " + events);
        for (JsonNode event : events) {
            assertEquals("8.11.0", event.at("/ecs/version").asText());
            assertTrue(event.hasNonNull("@timestamp"), event.toString());
            assertFalse(event.toString().contains("checkpoint"), event.toString());
            assertFalse(event.toString().contains("signature"), event.toString());
        }
    }

    @Test
    void aRequestUsesTheEcsNamesOfTheMapping() {
        JsonNode r1 = request("r1");

        assertEquals("2026-11-23T09:00:00+09:00", r1.path("@timestamp").asText());
        assertEquals("event", r1.at("/event/kind").asText());
        assertEquals("web", r1.at("/event/category/0").asText());
        assertEquals("allow", r1.at("/event/action").asText());
        assertEquals("success", r1.at("/event/outcome").asText());
        assertEquals("group-allowed", r1.at("/event/reason").asText());
        assertEquals(1, r1.at("/event/sequence").asLong());
        assertEquals(1_500_000, r1.at("/event/duration").asLong(), "nanoseconds");
        assertEquals("GET", r1.at("/http/request/method").asText());
        assertEquals(120, r1.at("/http/request/bytes").asLong());
        assertEquals(200, r1.at("/http/response/status_code").asInt());
        assertEquals(2048, r1.at("/http/response/bytes").asLong());
        assertEquals("records.example.lg.jp", r1.at("/url/domain").asText());
        assertEquals("/住民記録/検索", r1.at("/url/path").asText());
        assertEquals("192.0.2.10", r1.at("/source/ip").asText());
        assertEquals("lgwan", r1.at("/network/name").asText());
        assertEquals("佐藤", r1.at("/user/name").asText());
        assertEquals("sub-佐藤", r1.at("/user/id").asText());
        assertEquals("https://idp.example.lg.jp", r1.at("/user/domain").asText());
        assertEquals("shimin-ka", r1.at("/user/group/name/0").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", r1.at("/trace/id").asText());
        assertEquals("clerks", r1.at("/rule/id").asText());
        assertEquals("v42", r1.at("/rule/version").asText());
        assertEquals("juminhyo", r1.at("/service/target/name").asText());
        assertEquals("dev-1", r1.at("/device/id").asText());
        assertEquals("住民票.pdf", r1.at("/file/name").asText());
        assertEquals(2048, r1.at("/file/size").asLong());
        assertEquals(KnownTrail.SHA256, r1.at("/file/hash/sha256").asText());
        assertEquals("passed", r1.at("/labels/posture").asText());
        assertEquals("pwd otp", r1.at("/labels/amr").asText());
    }

    @Test
    void aDeniedRequestFailsAndAnUnfinishedOneIsMarked() {
        assertEquals("failure", request("r2").at("/event/outcome").asText());
        assertEquals("user-not-allowed", request("r2").at("/event/reason").asText());
        JsonNode r4 = request("r4");
        assertEquals("incomplete", r4.at("/labels/note").asText());
        assertTrue(r4.at("/http/response/status_code").isMissingNode(), "never finished: no status");
        assertEquals("r4", events.get(events.size() - 1).at("/http/request/id").asText(), "unfinished ones come last");
    }

    @Test
    void anOperatorActionIsAnEventWithItsActionOperatorAndReason() {
        JsonNode admin = events.stream().filter(e -> e.at("/event/dataset").asText().equals("sekisho.admin"))
                .findFirst().orElseThrow();

        assertEquals("quarantine", admin.at("/event/action").asText());
        assertEquals("管理者", admin.at("/user/name").asText());
        assertEquals("紛失届", admin.at("/event/reason").asText());
        assertEquals("dev-7", admin.at("/labels/target_id").asText());
    }

    @Test
    void hostileValuesStayOnOneLine() {
        assertEquals(8, export.lines().size());
        String raw = export.lines().stream().filter(line -> line.contains("\"r6\"")).findFirst().orElseThrow();
        assertFalse(raw.contains("\r") || raw.contains("\u2028") || raw.contains("\u2029"), raw);
        assertTrue(raw.contains("\\r\\n") && raw.contains("\\u2028") && raw.contains("\\u2029"), raw);
        assertEquals(KnownTrail.HOSTILE_PATH, request("r6").at("/url/path").asText(), "escaped, not altered");
    }

    @Test
    void filtersApplyToOperatorActionsToo() throws IOException {
        KnownTrail trail = KnownTrail.write(root.resolve("again"));

        assertEquals(1, trail.export("--format", "jsonl", "--user", "管理者").lines().size());
        assertTrue(trail.export("--format", "jsonl", "--decision", "allow").lines().stream()
                .noneMatch(line -> line.contains("sekisho.admin")), "an operator action has no decision");
    }
}
