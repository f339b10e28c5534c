package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An allowed request whose upstream fails gets a clear status and reason, and is audited. */
class UpstreamFailureTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @Test
    void upstreamThatIsDownGives502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        proxy.start(proxy.config("").replaceFirst("upstream: " + proxy.upstream.url(),
                "upstream: http://127.0.0.1:" + closedPort));

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals(502, response.status());
        assertEquals("upstream-unreachable", new JsonObject(response.body()).getString("error"));
        List<String> audit = proxy.stopAndReadAudit();
        JsonObject record = new JsonObject(audit.get(0));
        assertEquals("allow", record.getString("decision"));
        assertEquals("upstream-unreachable", record.getJsonArray("reasons").getString(1));
        assertEquals(502, record.getInteger("status"));
    }

    @Test
    void upstreamThatDoesNotAnswerInTimeGives504() throws Exception {
        proxy.upstream.hang();
        proxy.start(proxy.config("upstreams: {responseTimeoutMs: 300}"));

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals(504, response.status());
        assertEquals("upstream-timeout", new JsonObject(response.body()).getString("error"));
        assertEquals(1, proxy.upstream.received().size(), "the request did reach the (slow) upstream");
    }
}
