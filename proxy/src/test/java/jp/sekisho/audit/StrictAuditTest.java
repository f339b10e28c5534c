package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In strict mode a request reaches its app only after its decision record is on the disk; when
 * the disk fails (here: the next segment is /dev/full, which refuses every write with ENOSPC),
 * requests are refused with 503 audit-unavailable and nothing is forwarded.
 */
class StrictAuditTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private ProxyFixture.Response get() throws Exception {
        return proxy.get("127.0.0.1", "/records", "Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka"));
    }

    private List<String> segmentLines() throws Exception {
        try (var lines = AuditFiles.lines(proxy.dir.resolve("data/audit"))) {
            return lines.toList();
        }
    }

    @Test
    void theDecisionIsOnTheDiskBeforeTheUpstreamSeesTheRequest() throws Exception {
        proxy.start(proxy.config("audit: {mode: strict}"));

        assertEquals(200, get().status());

        List<String> lines = segmentLines(); // read while running: the decision was synced before forwarding
        JsonObject decision = new JsonObject(lines.get(0));
        assertEquals("decision", decision.getString("kind"));
        assertEquals("allow", decision.getString("decision"));
        assertEquals(proxy.upstream.last().header("x-request-id"), decision.getString("requestId"));
        assertEquals(null, decision.getInteger("status"), "the outcome comes with the access record");
    }

    @Test
    void aFailingDiskRefusesRequestsRatherThanServeThemUnaudited() throws Exception {
        proxy.start(proxy.config("audit: {mode: strict, segmentMaxSeconds: 60}"));
        assertEquals(200, get().status());
        Eventually.await("the decision and the access record are written", () -> {
            try {
                return segmentLines().size() == 2; // the decision, then the access record
            } catch (Exception e) {
                return false;
            }
        });
        // The next segment (after the closing checkpoint, seq 3) lands on a device that is always full.
        Files.createSymbolicLink(proxy.dir.resolve("data/audit").resolve(ChainFormat.segmentName(4)), Path.of("/dev/full"));
        proxy.clock.advance(Duration.ofSeconds(61));

        ProxyFixture.Response refused = get();
        ProxyFixture.Response again = get();

        assertEquals(503, refused.status());
        assertEquals("audit-unavailable", new JsonObject(refused.body()).getString("error"));
        assertEquals(503, again.status(), "still refused while the disk fails");
        assertEquals(1, proxy.upstream.received().size(), "nothing forwarded unaudited");
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_audit_durable_failures_total 2.0"), metrics);
        assertTrue(metrics.contains("reason=\"audit-unavailable\",status_class=\"5xx\"} 2.0"), metrics);
    }
}
