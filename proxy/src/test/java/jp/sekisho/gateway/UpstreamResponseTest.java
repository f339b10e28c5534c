package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream's answer is not passed through blindly: its hop-by-hop headers stay on its own
 * hop, its framing is re-made for the client, and an answer whose length cannot be read is
 * refused rather than relayed.
 */
class UpstreamResponseTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    /** Starts an upstream that answers every request head with {@code response}, byte for byte. */
    private void startWithUpstreamAnswering(String response) throws Exception {
        NetServer upstream = proxy.vertx.createNetServer().connectHandler(socket -> {
            Buffer received = Buffer.buffer();
            socket.handler(data -> {
                received.appendBuffer(data);
                if (received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    received.setBytes(0, new byte[0]);
                    socket.write(Buffer.buffer(response.getBytes(StandardCharsets.ISO_8859_1)));
                }
            });
        });
        int port = upstream.listen(0, "127.0.0.1").await().actualPort();
        proxy.start(proxy.config("").replaceFirst("upstream: " + proxy.upstream.url(),
                "upstream: http://127.0.0.1:" + port));
    }

    private String get(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + proxy.idp.token("sato", "shimin-ka") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = RawHttp.readHead(in);
        int length = Integer.parseInt(header(head, "content-length"));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Test
    void hopByHopHeadersOfTheUpstreamStayOnItsHop() throws Exception {
        startWithUpstreamAnswering("HTTP/1.1 200 OK\r\nConnection: X-Internal-Token\r\nX-Internal-Token: s3cret\r\n"
                + "Keep-Alive: timeout=1\r\nProxy-Authenticate: Basic realm=\"upstream\"\r\nUpgrade: h2c\r\n"
                + "Trailer: X-Checksum\r\nContent-Length: 5\r\n\r\nhello");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            String first = get(socket);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(first.endsWith("hello"), first);
            String lower = first.toLowerCase(Locale.ROOT);
            for (String name : new String[] {"x-internal-token", "keep-alive", "proxy-authenticate", "upgrade:",
                    "trailer"}) {
                assertFalse(lower.contains(name), name + " leaked to the client: " + first);
            }
            // the connection to the client is the proxy's, not the upstream's: it goes on
            assertTrue(get(socket).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void anUpstreamCloseDoesNotCloseTheClientsConnection() throws Exception {
        startWithUpstreamAnswering("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            String first = get(socket);
            assertFalse(first.toLowerCase(Locale.ROOT).contains("connection: close"), first);
            assertTrue(get(socket).endsWith("ok"));
        }
    }

    @Test
    void contentLengthBesideChunkedIsReframedForTheClient() throws Exception {
        startWithUpstreamAnswering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        String answer = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + proxy.idp.token("sato", "shimin-ka") + "\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        String lower = answer.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("content-length: 100"), "one framing only, and the true one: " + answer);
        assertTrue(answer.contains("hello"), answer);
    }

    @Test
    void anAnswerWhoseLengthCannotBeReadIsRefusedNotRelayed() throws Exception {
        startWithUpstreamAnswering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello!!");
        String answer = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + proxy.idp.token("sato", "shimin-ka") + "\r\n\r\n");
        assertEquals(502, RawHttp.status(answer), answer);
        assertTrue(answer.contains("upstream-failed"), answer);
    }
}
