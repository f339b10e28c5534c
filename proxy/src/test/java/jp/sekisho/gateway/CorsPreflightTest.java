package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CORS preflights carry no credentials. An app may let them through without identity; then
 * only a real preflight passes, with no assertion, and everything else is decided as usual.
 */
class CorsPreflightTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private static final String PREFLIGHT = "OPTIONS /api/items HTTP/1.1\r\nHost: %s\r\n"
            + "Origin: https://portal.example.lg.jp\r\nAccess-Control-Request-Method: PUT\r\n%s\r\n";

    private void startWithPreflightOn(String host) throws Exception {
        proxy.start(proxy.configWithApps("", """
                  - id: api
                    hosts: [%s]
                    upstream: %s
                    cors: {anonymousPreflight: true}
                    allow:
                      - id: staff
                        groups: [shimin-ka]
                """.formatted(host, proxy.upstream.url())));
    }

    @Test
    void aPreflightIsForwardedWithoutIdentityWhereTheAppAllowsIt() throws Exception {
        startWithPreflightOn("api.localhost");
        String answer = RawHttp.exchange(proxy.port(), PREFLIGHT.formatted("api.localhost",
                "X-Sekisho-Assertion: forged\r\nX-Forwarded-User: tanaka\r\n"));

        assertEquals(200, RawHttp.status(answer), answer);
        assertEquals("OPTIONS", proxy.upstream.last().method());
        assertNull(proxy.upstream.last().header("X-Sekisho-Assertion"), "nobody is vouched for");
        assertNull(proxy.upstream.last().header("X-Forwarded-User"));
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("allow", record.getString("decision"));
        assertEquals("cors-anonymous-preflight", record.getString("rule"));
        assertTrue(record.getJsonArray("reasons").contains("anonymous-preflight"));
    }

    @Test
    void withoutTheOptionAPreflightIsDecidedLikeAnyRequest() throws Exception {
        startWithPreflightOn("api.localhost");
        // the default app (127.0.0.1) has no cors option
        String answer = RawHttp.exchange(proxy.port(), PREFLIGHT.formatted("127.0.0.1", ""));
        assertEquals(401, RawHttp.status(answer), answer);
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void onlyARealPreflightPassesAnonymously() throws Exception {
        startWithPreflightOn("api.localhost");
        List<String> notPreflights = List.of(
                // no Access-Control-Request-Method
                "OPTIONS /api/items HTTP/1.1\r\nHost: api.localhost\r\nOrigin: https://x.example\r\n\r\n",
                // credentials: a browser never sends them with a preflight
                PREFLIGHT.formatted("api.localhost", "Cookie: a=b\r\n"),
                // a body
                PREFLIGHT.formatted("api.localhost", "Content-Length: 5\r\n").replace("\r\n\r\n", "\r\n\r\nhello"),
                // another method
                PREFLIGHT.formatted("api.localhost", "").replace("OPTIONS", "DELETE"));
        for (String request : notPreflights) {
            String answer = RawHttp.exchange(proxy.port(), request);
            assertEquals(401, RawHttp.status(answer), request + " → " + answer);
        }
        assertEquals(List.of(), proxy.upstream.received());
    }
}
