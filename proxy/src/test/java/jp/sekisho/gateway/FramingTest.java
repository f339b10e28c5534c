package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request framing from the outside, on raw sockets: a body whose length two hops could read
 * differently is refused and its connection closed; each request on a connection is decided on
 * its own; "Connection: close" is honoured whatever else it lists.
 */
class FramingTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private RawHttp.Reply send(String raw) throws Exception {
        return RawHttp.sendUntilClosed(proxy.port(), raw, 3_000);
    }

    private String head() {
        return "Host: 127.0.0.1\r\nAuthorization: Bearer " + proxy.idp.token("sato", "shimin-ka") + "\r\n";
    }

    private static List<Integer> statuses(String text) {
        Matcher m = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ").matcher(text);
        List<Integer> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void contentLengthBesideChunkedIsReadAsChunkedAndReframedSoNoHopReadsItDifferently() throws Exception {
        // RFC 9112 §6.3: Transfer-Encoding wins; the HTTP codec drops Content-Length, and the body
        // goes upstream in the proxy's own framing. What follows is a request of its own.
        String answer = RawHttp.exchange(proxy.port(), "POST /upload HTTP/1.1\r\n" + head()
                + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 2);
        assertEquals(List.of(200, 401), statuses(answer), answer);
        assertEquals(List.of("/upload"), proxy.upstream.received().stream().map(r -> r.uri()).toList());
        assertEquals("hello", proxy.upstream.last().body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Transfer-Encoding: gzip, chunked",
            "Transfer-Encoding: chunked, gzip",
            "Transfer-Encoding: xchunked",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"})
    void ambiguousBodyLengthIsRefusedAndTheConnectionClosed(String framing) throws Exception {
        RawHttp.Reply answer = send("POST /upload HTTP/1.1\r\n" + head() + framing + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(List.of(400), statuses(answer.text()), answer.text());
        assertTrue(answer.text().contains("request-invalid"), answer.text());
        assertTrue(answer.closed(), "nothing after a framing error is read");
        assertEquals(List.of(), proxy.upstream.received());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chunked", "CHUNKED", " Chunked"})
    void plainChunkedBodyIsForwardedWhole(String coding) throws Exception {
        RawHttp.Reply answer = send("POST /upload HTTP/1.1\r\n" + head() + "Transfer-Encoding: " + coding + "\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals(List.of(200), statuses(answer.text()), answer.text());
        assertEquals("hello world", proxy.upstream.last().body());
    }

    @Test
    void eachPipelinedRequestIsDecidedOnItsOwn() throws Exception {
        String answer = RawHttp.exchange(proxy.port(), "GET /one HTTP/1.1\r\n" + head() + "\r\n"
                + "GET /two HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 2);
        assertEquals(List.of(200, 401), statuses(answer), answer);
        assertEquals(List.of("/one"), proxy.upstream.received().stream().map(r -> r.uri()).toList());
    }

    @Test
    void http10KeepAliveRequestsAreDecidedOnTheirOwn() throws Exception {
        String answer = RawHttp.exchange(proxy.port(), "GET /one HTTP/1.0\r\n" + head() + "Connection: keep-alive\r\n\r\n"
                + "GET /two HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n", 2);
        assertEquals(List.of(200, 401), statuses(answer), answer);
        assertEquals(List.of("/one"), proxy.upstream.received().stream().map(r -> r.uri()).toList());
    }

    @Test
    void connectionCloseIsHonouredAndCannotStripTheProxysOwnHeaders() throws Exception {
        RawHttp.Reply answer = send("GET / HTTP/1.1\r\n" + head()
                + "Connection: close, X-Sekisho-Assertion, X-Forwarded-For, X-Request-Id\r\n\r\n");
        assertEquals(List.of(200), statuses(answer.text()), answer.text());
        assertTrue(answer.closed(), "close was among the tokens");
        var received = proxy.upstream.last();
        assertTrue(received.header("X-Sekisho-Assertion").startsWith("eyJ"));
        assertEquals("127.0.0.1", received.header("X-Forwarded-For"));
        assertTrue(received.header("X-Request-Id") != null);
    }

    @Test
    void aRelayedResponseCarriesOneRequestId() throws Exception {
        RawHttp.Reply answer = send("GET / HTTP/1.1\r\n" + head() + "Connection: close\r\n\r\n");
        assertEquals(1, answer.text().toLowerCase().split("x-request-id:", -1).length - 1, answer.text());
    }
}
