package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing and the app's policy, and the one audit record and count each request leaves. */
class DecisionTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @Test
    void userOutsideTheAllowedGroupsIsForbiddenAndNotForwarded() throws Exception {
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("suzuki", "soumu-ka", "all-staff"));

        assertEquals(403, response.status());
        JsonObject body = new JsonObject(response.body());
        assertEquals("user-not-allowed", body.getString("error"));
        assertEquals(response.header("x-request-id"), body.getString("requestId"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void theSameUserReachesAnotherAppTheirGroupMayUse() throws Exception {
        ProxyFixture.Response response = proxy.get("localhost", "/", "Authorization",
                "Bearer " + proxy.idp.token("suzuki", "soumu-ka", "all-staff"));
        assertEquals(200, response.status());
    }

    @Test
    void userNamedInARuleIsAllowedWithoutTheGroup() throws Exception {
        assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("tanaka", "joho-ka")).status());
    }

    @Test
    void unknownHostIsNotFoundWithoutTouchingAnyUpstream() throws Exception {
        String answer = jp.sekisho.testing.RawHttp.exchange(proxy.port(),
                "GET / HTTP/1.1\r\nHost: unknown.example.lg.jp\r\nConnection: close\r\n\r\n");
        assertEquals(404, jp.sekisho.testing.RawHttp.status(answer));
        assertTrue(answer.contains("app-unknown"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void everyRequestLeavesExactlyOneAuditRecordAndOneCount() throws Exception {
        String sato = proxy.idp.token("sato", "shimin-ka");
        String suzuki = proxy.idp.token("suzuki", "soumu-ka");
        String allowedId = proxy.get("127.0.0.1", "/records?name=%E5%B1%B1%E7%94%B0", "Authorization",
                "Bearer " + sato).header("x-request-id");
        proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + suzuki);
        proxy.get("127.0.0.1", "/");
        jp.sekisho.testing.RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: nowhere\r\nConnection: close\r\n\r\n");
        String metrics = proxy.management("/metrics").body();

        List<String> audit = proxy.stopAndReadAudit();

        assertEquals(4, audit.size(), String.join("\n", audit));
        JsonObject allowed = new JsonObject(audit.get(0));
        assertEquals(allowedId, allowed.getString("requestId"));
        assertEquals("allow", allowed.getString("decision"));
        assertEquals("records", allowed.getString("app"));
        assertEquals("clerks", allowed.getString("rule"));
        assertEquals("sato", allowed.getJsonObject("user").getString("username"));
        assertEquals("/records", allowed.getString("path"), "the query string is never recorded");
        assertEquals(null, allowed.getString("query"), "not even masked, unless configured");
        assertEquals(200, allowed.getInteger("status"));
        assertTrue(allowed.getString("time").endsWith("+09:00"), "times are in JST by default");
        assertEquals("user-not-allowed", new JsonObject(audit.get(1)).getJsonArray("reasons").getString(0));
        assertEquals("token-missing", new JsonObject(audit.get(2)).getJsonArray("reasons").getString(0));
        assertEquals("app-unknown", new JsonObject(audit.get(3)).getJsonArray("reasons").getString(0));

        assertTrue(metrics.contains("sekisho_requests_total{app=\"records\",decision=\"allow\",reason=\"group-allowed\","
                + "status_class=\"2xx\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_requests_total{app=\"records\",decision=\"deny\","
                + "reason=\"user-not-allowed\",status_class=\"4xx\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_requests_total{app=\"-\",decision=\"deny\",reason=\"app-unknown\","
                + "status_class=\"4xx\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_request_duration_seconds_bucket{app=\"records\""), metrics);
        assertTrue(metrics.contains("sekisho_upstream_duration_seconds_count{app=\"records\"} 1"), metrics);
        assertFalse(metrics.contains("sekisho_upstream_duration_seconds_count{app=\"-\"}"), "nothing went upstream");
    }
}
