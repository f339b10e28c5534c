package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A WebSocket is authenticated and decided before the upgrade, like any request. */
class WebSocketTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private static String upgrade(String authorization) {
        return "GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
    }

    @Test
    void upgradeWithoutATokenIsRefusedAndNeverReachesTheUpstream() throws Exception {
        String answer = RawHttp.exchange(proxy.port(), upgrade(null));
        assertEquals(401, RawHttp.status(answer), answer);
        assertTrue(answer.contains("token-missing"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void upgradeByAUserTheAppDoesNotAllowIsForbidden() throws Exception {
        String answer = RawHttp.exchange(proxy.port(), upgrade("Bearer " + proxy.idp.token("suzuki", "soumu-ka")));
        assertEquals(403, RawHttp.status(answer), answer);
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void allowedUpgradeRelaysFramesBothWaysWithTheAssertion() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(upgrade("Bearer " + proxy.idp.token("sato", "shimin-ka")).getBytes(StandardCharsets.US_ASCII));
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);

            byte[] payload = "こんにちは".getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81); // FIN + text
            frame.write(0x80 | payload.length); // masked, as clients must
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();

            assertEquals(0x81, in.read());
            int length = in.read();
            assertEquals(payload.length, length, "server frames are unmasked");
            assertEquals("こんにちは", new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
        assertTrue(proxy.upstream.last().header("X-Sekisho-Assertion").startsWith("eyJ"));
    }

    @Test
    void aWebSocketSilentBothWaysIsClosedAtTheIdleTimeout() throws Exception {
        proxy.start(proxy.config("").replace("listen: {host: 127.0.0.1, port: 0}",
                "listen: {host: 127.0.0.1, port: 0, limits: {idleTimeoutSeconds: 2}}"));
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000); // a bound for the test, far beyond the 2 s limit
            socket.getOutputStream().write(upgrade("Bearer " + proxy.idp.token("sato", "shimin-ka"))
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertTrue(RawHttp.readHead(in).startsWith("HTTP/1.1 101"));
            assertTrue(proxy.management("/metrics").body().contains("sekisho_websockets_open 1.0"));

            assertEquals(-1, in.read(), "the proxy closes the silent tunnel");
        }
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_websockets_open 0.0"), metrics);
    }
}
