package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listener limits from the outside: slow heads, idle keep-alive, too many headers or connections, oversize lines. */
class LimitsTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private void start(String limits) throws Exception {
        proxy.start(proxy.config("").replace("listen: {host: 127.0.0.1, port: 0}",
                "listen: {host: 127.0.0.1, port: 0, limits: " + limits + "}"));
    }

    /** Reads until the proxy closes; fails the test (socket timeout) if it never does. */
    private static String readUntilClosed(Socket socket) throws Exception {
        socket.setSoTimeout(15_000);
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHeadThatNeverCompletesIsCutOffAtItsDeadline() throws Exception {
        start("{requestHeadTimeoutSeconds: 1}");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("", readUntilClosed(socket), "closed without an answer");
        }
        assertTrue(proxy.management("/metrics").body()
                .contains("sekisho_connections_refused_total{reason=\"request-head-timeout\"} 1.0"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void aKeptAliveConnectionWaitingTooLongForItsNextHeadIsClosed() throws Exception {
        start("{keepAliveTimeoutSeconds: 1}");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + proxy.idp.token("sato", "shimin-ka") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    @Test
    void tooManyHeaderFieldsAre431WithAReason() throws Exception {
        start("{maxHeaders: 20}");
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 25; i++) {
            request.append("X-Filler-").append(i).append(": x\r\n");
        }
        String answer = RawHttp.exchange(proxy.port(), request.append("\r\n").toString());
        assertEquals(431, RawHttp.status(answer), answer);
        assertTrue(answer.contains("request-headers-too-large"), answer);
    }

    @Test
    void connectionsBeyondTheLimitAreAnswered503AndClosed() throws Exception {
        start("{maxConnections: 1}");
        try (Socket first = new Socket("127.0.0.1", proxy.port())) {
            first.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttp.readHead(first.getInputStream()); // the first connection is served (401: no token)
            String second = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(503, RawHttp.status(second), second);
            assertTrue(second.contains("too-many-connections") && second.toLowerCase().contains("retry-after"), second);
        }
    }

    @Test
    void requestsTheCodecCannotReadAreCountedWithTheirReason() throws Exception {
        start("{}");
        String longLine = RawHttp.exchange(proxy.port(), "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(414, RawHttp.status(longLine), longLine);
        String bigHeaders = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n");
        assertEquals(431, RawHttp.status(bigHeaders), bigHeaders);
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_connections_refused_total{reason=\"request-line-too-long\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_connections_refused_total{reason=\"request-headers-too-large\"} 1.0"),
                metrics);
    }

    @Test
    void configuredLineAndHeaderSizesAreEnforced() throws Exception {
        start("{maxRequestLineBytes: 512, maxHeaderSectionBytes: 4096, maxHeaderBytes: 1024}");
        String token = "Bearer " + proxy.idp.token("sato", "shimin-ka");
        String longLine = RawHttp.exchange(proxy.port(), "GET /" + "a".repeat(600) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(414, RawHttp.status(longLine), longLine);
        // One field over its own limit, while the section as a whole is within its limit.
        String oneBigField = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + token + "\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n");
        assertEquals(431, RawHttp.status(oneBigField), oneBigField);
        assertTrue(oneBigField.contains("request-headers-too-large"), oneBigField);
        String bigSection = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: x\r\n"
                + ("X-Part: " + "c".repeat(900) + "\r\n").repeat(6) + "\r\n");
        assertEquals(431, RawHttp.status(bigSection), bigSection);
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void anAnnouncedBodyOverTheLimitIs413BeforeAnythingIsReadOrChecked() throws Exception {
        start("{maxBodyBytes: 1000}");
        RawHttp.Reply reply = RawHttp.sendUntilClosed(proxy.port(), "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 1001\r\n\r\n" + "d".repeat(1001), 2000);
        assertEquals(413, RawHttp.status(reply.text()), reply.text());
        assertTrue(reply.text().contains("request-body-too-large"), reply.text());
        assertTrue(reply.closed(), "the unread body is not left on the connection");
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void aStreamedBodyIsCutWhereItCrossesTheLimit() throws Exception {
        start("{maxBodyBytes: 1000}");
        String token = "Bearer " + proxy.idp.token("sato", "shimin-ka");
        String chunk = "e".repeat(600);
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token
                + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        String within = RawHttp.exchange(proxy.port(), head + "258\r\n" + chunk + "\r\n0\r\n\r\n");
        assertEquals(200, RawHttp.status(within), within);
        RawHttp.Reply over = RawHttp.sendUntilClosed(proxy.port(), head + ("258\r\n" + chunk + "\r\n").repeat(2)
                + "0\r\n\r\n", 2000);
        assertEquals(413, RawHttp.status(over.text()), over.text());
        assertTrue(over.text().contains("request-body-too-large"), over.text());
        assertEquals(1, proxy.upstream.received().size(), "only the body within the limit arrived whole");
        List<String> audit = proxy.stopAndReadAudit();
        assertTrue(audit.get(1).contains("request-body-too-large"), audit.get(1));
    }
}
