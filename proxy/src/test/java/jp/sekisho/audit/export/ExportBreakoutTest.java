package jp.sekisho.audit.export;

import static jp.sekisho.audit.TestTrail.breakout;
import static jp.sekisho.audit.TestTrail.request;
import static jp.sekisho.audit.export.KnownTrail.jst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.audit.AuditEntry;
import jp.sekisho.audit.BreakoutRecord;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward-proxy (breakout) records in every export format, and under every filter.
 *
 * <pre>
 * r1  11-23 09:00  佐藤  juminhyo  access allow
 * b1  11-23 09:30  佐藤  CONNECT www.dropbox.com:443   deny destination-not-allowed (lgwan, dev-1)
 * a1  11-23 10:00  管理者 quarantines device dev-7
 * b2  11-23 10:30  鈴木  CONNECT outlook.office.com:443 allow, entry m365-1 via pref-cloud, intercepted, 1200 up 48000 down
 * r2  11-23 11:00  鈴木  zeimu     access deny
 * </pre>
 */
class ExportBreakoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HOST = 10;
    private static final int APP = 8;
    private static final int PATH = 11;
    private static final int DECISION = 12;
    private static final int BYTES_IN = 16;
    private static final int BYTES_OUT = 17;
    private static final int KIND = 26;

    @TempDir
    static Path root;

    static KnownTrail trail;

    @BeforeAll
    static void writeTrail() throws IOException {
        Path dir = root.resolve("audit");
        BreakoutRecord b2 = breakout("b2", jst("2026-11-23T10:30"), "鈴木", Set.of("zeimu-ka"), "lgwan", "dev-2",
                "outlook.office.com", 443, Outcome.ALLOW, Reason.BREAKOUT_CHAINED);
        List<AuditEntry> entries = List.of(
                request("r1", jst("2026-11-23T09:00"), "佐藤", "juminhyo", "/住民記録/検索", Outcome.ALLOW, 200),
                breakout("b1", jst("2026-11-23T09:30"), "佐藤", Set.of("shimin-ka"), "lgwan", "dev-1",
                        "www.dropbox.com", 443, Outcome.DENY, Reason.DESTINATION_NOT_ALLOWED),
                new AdminRecord("a1", jst("2026-11-23T10:00"), "管理者", "10.0.0.5", "quarantine", "device", "dev-7",
                        "紛失届"),
                new BreakoutRecord(b2.requestId(), b2.time(), b2.sourceAddress(), b2.segment(), b2.user(),
                        b2.device(), b2.method(), b2.host(), b2.port(), b2.category(), b2.entry(),
                        Optional.of("pref-cloud"), b2.address(), true, b2.outcome(), b2.reasons(), b2.ruleId(),
                        b2.policyVersion(), b2.status(), b2.bytesUp(), b2.bytesDown(), b2.durationNanos(),
                        b2.closedBy()),
                request("r2", jst("2026-11-23T11:00"), "鈴木", "zeimu", "/税務/課税台帳", Outcome.DENY, 403));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
        try (TestTrail written = TestTrail.open(dir, Files.createDirectories(root.resolve("keys")), clock)) {
            for (AuditEntry entry : entries) {
                written.write(entry);
            }
        }
        trail = KnownTrail.at(dir);
    }

    private static List<String> ids(KnownTrail.Export export) {
        assertEquals(0, export.exitCode(), export.err());
        return export.rows(StandardCharsets.UTF_8).stream().map(row -> row.get(1)).toList();
    }

    private static List<JsonNode> events(KnownTrail.Export export) throws IOException {
        assertEquals(0, export.exitCode(), export.err());
        List<JsonNode> events = new ArrayList<>();
        for (String line : export.lines()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static JsonNode event(List<JsonNode> events, String pointer, String id) {
        return events.stream().filter(e -> e.at(pointer).asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theCsvHasABreakoutRowPerTunnelInTheRequestsColumnsAndItsOwnAtTheEnd() throws IOException {
        KnownTrail.Export export = trail.export("--format", "csv");
        List<List<String>> rows = export.rows(StandardCharsets.UTF_8);

        assertEquals(List.of("r1", "b1", "b2", "r2"), ids(export), "in trail order; no operator action");
        List<String> b1 = rows.get(1);
        assertEquals(34, b1.size());
        assertEquals(List.of("2026-11-23T09:30:00+09:00", "b1", "佐藤", "sub-佐藤", "10.20.1.5", "lgwan", "dev-1",
                "not-required", "", "CONNECT", "www.dropbox.com", "", "deny", "destination-not-allowed", "", "403",
                "0", "0", "1.2", "", "v3-test", "", "", "2", "", "", "breakout", "443", "", "unlisted", "", "", "",
                ""), b1);
        List<String> b2 = rows.get(2);
        assertEquals("outlook.office.com", b2.get(HOST));
        assertEquals(List.of("1200", "48000"), List.of(b2.get(BYTES_IN), b2.get(BYTES_OUT)),
                "bytes up are what Sekisho received from the terminal, as a request's bytesIn");
        assertEquals(List.of("breakout", "443", "52.96.0.10", "optimize", "m365-1", "pref-cloud", "true", "client"),
                b2.subList(KIND, 34));
        assertEquals("", b2.get(APP));
        assertEquals("", b2.get(PATH));
        assertEquals("access", rows.get(0).get(KIND));
    }

    @Test
    void ecsMakesABreakoutANetworkConnectionToItsDestination() throws IOException {
        List<JsonNode> events = events(trail.export("--format", "jsonl"));

        assertEquals(5, events.size(), "two requests, two tunnels, one operator action");
        JsonNode b1 = event(events, "/http/request/id", "b1");
        assertEquals("sekisho.breakout", b1.at("/event/dataset").asText());
        assertEquals("network", b1.at("/event/category/0").asText());
        assertEquals("denied", b1.at("/event/type/1").asText());
        assertEquals("failure", b1.at("/event/outcome").asText());
        assertEquals("destination-not-allowed", b1.at("/event/reason").asText());
        assertEquals("www.dropbox.com", b1.at("/destination/domain").asText());
        assertEquals(443, b1.at("/destination/port").asInt());
        assertEquals("www.dropbox.com", b1.at("/url/domain").asText());
        assertEquals("CONNECT", b1.at("/http/request/method").asText());
        assertEquals(403, b1.at("/http/response/status_code").asInt());
        assertEquals("佐藤", b1.at("/user/name").asText());
        assertEquals("shimin-ka", b1.at("/user/group/name/0").asText());
        assertEquals("unlisted", b1.at("/rule/category").asText());
        assertEquals("lgwan", b1.at("/network/name").asText());
        assertEquals("10.20.1.5", b1.at("/source/ip").asText());
        assertTrue(b1.at("/service").isMissingNode(), "no app");
        JsonNode b2 = event(events, "/http/request/id", "b2");
        assertEquals("success", b2.at("/event/outcome").asText());
        assertEquals(1200, b2.at("/source/bytes").asLong(), "from the terminal");
        assertEquals(48000, b2.at("/destination/bytes").asLong(), "back to it");
        assertEquals("52.96.0.10", b2.at("/destination/ip").asText());
        assertEquals("m365-1", b2.at("/rule/name").asText());
        assertEquals("pref-cloud", b2.at("/labels/parent").asText());
        assertEquals("true", b2.at("/labels/intercepted").asText());
        assertEquals("client", b2.at("/labels/closed_by").asText());
        assertEquals("sekisho.access", event(events, "/http/request/id", "r1").at("/event/dataset").asText());
    }

    @Test
    void ocsfMakesABreakoutAnHttpConnectToItsDestination() throws IOException {
        List<JsonNode> events = events(trail.export("--format", "ocsf"));

        JsonNode b1 = event(events, "/http_request/uid", "b1");
        assertEquals(4002, b1.path("class_uid").asInt());
        assertEquals(1, b1.path("activity_id").asInt(), "Connect");
        assertEquals(400201, b1.path("type_uid").asLong());
        assertEquals("Blocked", b1.path("disposition").asText());
        assertEquals("www.dropbox.com", b1.at("/dst_endpoint/hostname").asText());
        assertEquals(443, b1.at("/dst_endpoint/port").asInt());
        assertEquals(443, b1.at("/http_request/url/port").asInt());
        assertEquals("unlisted", b1.at("/unmapped/category").asText());
        JsonNode b2 = event(events, "/http_request/uid", "b2");
        assertEquals("52.96.0.10", b2.at("/dst_endpoint/ip").asText());
        assertEquals(1200, b2.at("/traffic/bytes_out").asLong(), "OCSF: source to destination");
        assertEquals(48000, b2.at("/traffic/bytes_in").asLong(), "OCSF: destination to source");
        assertEquals("pref-cloud", b2.at("/unmapped/parent").asText());
        assertTrue(b2.at("/unmapped/intercepted").asBoolean());
    }

    @Test
    void theFiltersKeepOrLeaveOutBreakoutRecords() throws IOException {
        assertEquals(List.of("r1"), ids(trail.export("--format", "csv", "--app", "juminhyo")),
                "a tunnel has no app");
        assertEquals(List.of("r1", "b1"), ids(trail.export("--format", "csv", "--user", "佐藤")));
        assertEquals(List.of("b2"), ids(trail.export("--format", "csv", "--user", "sub-鈴木", "--decision",
                "allow")));
        assertEquals(List.of("b1", "r2"), ids(trail.export("--format", "csv", "--decision", "deny")));
        assertEquals(List.of("b1", "b2"), ids(trail.export("--format", "csv", "--kind", "breakout")));
        assertEquals(List.of("r1", "r2"), ids(trail.export("--format", "csv", "--kind", "access")));
        assertEquals(List.of("b2"), ids(trail.export("--format", "csv", "--kind", "breakout", "--from",
                "2026-11-23T10:00")));
        List<JsonNode> admin = events(trail.export("--format", "jsonl", "--kind", "admin"));
        assertEquals(1, admin.size());
        assertEquals("sekisho.admin", admin.get(0).at("/event/dataset").asText());
    }

    @Test
    void anUnknownKindOrOperatorActionsInCsvAreUsageErrors() throws IOException {
        KnownTrail.Export bogus = trail.export("--format", "csv", "--kind", "tunnel");
        assertEquals(2, bogus.exitCode());
        assertTrue(bogus.err().contains("unknown kind 'tunnel'"), bogus.err());
        KnownTrail.Export admin = trail.export("--format", "csv", "--kind", "admin");
        assertEquals(2, admin.exitCode());
        assertTrue(admin.err().contains("use --format jsonl or ocsf"), admin.err());
        assertFalse(admin.err().contains("exported"), admin.err());
    }
}
