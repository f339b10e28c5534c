package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.RecordingUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What crosses the proxy, seen from a raw socket on one side and the upstream on the other. */
class ForwardingTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private String request(String path, String token, String... extraHeaderLines) {
        StringBuilder raw = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token != null) {
            raw.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String line : extraHeaderLines) {
            raw.append(line).append("\r\n");
        }
        return raw.append("Connection: close\r\n\r\n").toString();
    }

    @Test
    void clientCannotSmuggleAnAssertionOrForwardingHeaders() throws Exception {
                String token = proxy.idp.token("sato", "shimin-ka");

        String answer = RawHttp.exchange(proxy.port(), request("/", token,
                "X-Sekisho-Assertion: forged",
                "x-sekisho-assertion: forged-lower",
                "X-Forwarded-For: 203.0.113.7",
                "X-Forwarded-Host: evil.example",
                "X-Forwarded-Proto: https",
                "Forwarded: for=203.0.113.7",
                "X-Remote-User: admin",
                "X-Forwarded-User: admin",
                "X-Request-Id: chosen-by-client"));

        assertEquals(200, RawHttp.status(answer), answer);
        RecordingUpstream.Received seen = proxy.upstream.last();
        assertEquals(1, seen.headers().getAll("X-Sekisho-Assertion").size());
        assertNotEquals("forged", seen.header("X-Sekisho-Assertion"));
        assertTrue(seen.header("X-Sekisho-Assertion").startsWith("eyJ"));
        assertEquals("127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("http", seen.header("X-Forwarded-Proto"));
        assertEquals("127.0.0.1", seen.header("X-Forwarded-Host"));
        assertNull(seen.header("Forwarded"));
        assertNull(seen.header("X-Remote-User"));
        assertNull(seen.header("X-Forwarded-User"));
        assertNotEquals("chosen-by-client", seen.header("X-Request-Id"));
    }

    @Test
    void connectionHeaderCannotStripTheProxysOwnHeaders() throws Exception {
                String token = proxy.idp.token("sato", "shimin-ka");

        String answer = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Connection: close, X-Sekisho-Assertion, X-Forwarded-For, X-Request-Id, X-Custom\r\n"
                + "X-Custom: hop\r\n\r\n");

        assertEquals(200, RawHttp.status(answer), answer);
        RecordingUpstream.Received seen = proxy.upstream.last();
        assertTrue(seen.header("X-Sekisho-Assertion").startsWith("eyJ"));
        assertEquals("127.0.0.1", seen.header("X-Forwarded-For"));
        assertTrue(seen.header("X-Request-Id") != null);
        assertNull(seen.header("X-Custom"), "a header named in Connection is hop-by-hop and removed");
    }

    @Test
    void trustedProxyInFrontMayExtendTheForwardedChain() throws Exception {
        proxy.start(proxy.config("trustedProxies: [127.0.0.0/8]"));
        String token = proxy.idp.token("sato", "shimin-ka");

        RawHttp.exchange(proxy.port(), request("/", token, "X-Forwarded-For: 198.51.100.20",
                "X-Forwarded-Proto: https"));

        RecordingUpstream.Received seen = proxy.upstream.last();
        assertEquals("198.51.100.20, 127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("https", seen.header("X-Forwarded-Proto"));
        List<String> audit = proxy.stopAndReadAudit();
        assertEquals("198.51.100.20", new JsonObject(audit.get(0)).getString("source"));
    }

    @Test
    void configuredIdentityHeadersAreRemovedInAnyCase() throws Exception {
        proxy.start(proxy.config("identityHeaders: [X-Shokuin-Id]"));
        String token = proxy.idp.token("sato", "shimin-ka");

        RawHttp.exchange(proxy.port(), request("/", token, "x-SHOKUIN-id: 0001"));

        assertNull(proxy.upstream.last().header("X-Shokuin-Id"));
    }

    @Test
    void upstreamReceivesTheCanonicalPathThePolicyJudged() throws Exception {
                String token = proxy.idp.token("sato", "shimin-ka");

        String answer = RawHttp.exchange(proxy.port(), request("/a/./b//c/%2e%2e/d%7e?x=%2F", token));

        assertEquals(200, RawHttp.status(answer), answer);
        assertEquals("/a/b/d~?x=%2F", proxy.upstream.last().uri());
    }

    @Test
    void pathThatCannotBeNormalisedSafelyIsRefusedBeforeRouting() throws Exception {
                String token = proxy.idp.token("sato", "shimin-ka");
        for (String path : List.of("/a%2fb", "/a%5cb", "/../etc/passwd", "/a/%2e%2e/%2e%2e/x", "/a%00", "/a%zz")) {
            String answer = RawHttp.exchange(proxy.port(), request(path, token));
            assertEquals(400, RawHttp.status(answer), path + " -> " + answer);
            assertTrue(answer.contains("path-invalid"), answer);
        }
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void traceIsRefused() throws Exception {
                String answer = RawHttp.exchange(proxy.port(), "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertEquals(405, RawHttp.status(answer));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void unauthenticatedRequestWithABodyIsRefusedWithoutReadingItAndTheConnectionClosed() throws Exception {
                String answer = RawHttp.exchange(proxy.port(), "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 1000000\r\n\r\npartial body");
        assertEquals(401, RawHttp.status(answer));
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        assertFalse(answer.contains("hello from upstream"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void deniedRequestsKeepTheConnectionAliveForTheNextRequest() throws Exception {
                String token = proxy.idp.token("sato", "shimin-ka");
        // two pipelined requests on one connection: the first refused, the second allowed
        String answer = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "GET /second HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n", 2);
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.contains("HTTP/1.1 200"), answer);
        assertEquals("/second", proxy.upstream.last().uri());
    }

    @Test
    void cleartextHttp2UpgradeIsNotAcceptedSoNothingCanBeSmuggledPastThePipeline() throws Exception {
        String token = proxy.idp.token("sato", "shimin-ka");
        String answer = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        assertEquals(200, RawHttp.status(answer), "answered as HTTP/1.1, not switched: " + answer);
        assertNull(proxy.upstream.last().header("Upgrade"));
        assertNull(proxy.upstream.last().header("HTTP2-Settings"));
    }
}
