package jp.sekisho.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM (a rolling update, a node drain) must not cost staff a request: readiness fails
 * first, clients are told to reconnect, the listener stops accepting, and what is under way
 * finishes and is audited before the process goes.
 */
class GracefulStopTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private String token() {
        return proxy.idp.token("sato", "shimin-ka");
    }

    @Test
    void aRequestUnderWayFinishesWhileTheListenerStopsAcceptingNewConnections() throws Exception {
        proxy.start();
        int port = proxy.port();
        String token = token();
        proxy.upstream.hang();
        CompletableFuture<ProxyFixture.Response> underWay = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.get("127.0.0.1", "/slow-report", "Authorization", "Bearer " + token);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await("the request reached the upstream", () -> proxy.upstream.received().size() == 1);

        SekishoServer server = proxy.server();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                () -> server.stop(Duration.ZERO, Duration.ofSeconds(30)));
        Eventually.await("the listener stops accepting", () -> !accepts(port));
        JsonObject ready = new JsonObject(proxy.management("/readyz").body());
        assertFalse(ready.getBoolean("ready"), ready.encode());
        assertTrue(ready.getBoolean("draining"), ready.encode());
        assertFalse(stopping.isDone(), "the stop waits for the request under way");

        proxy.upstream.release();

        ProxyFixture.Response response = underWay.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertEquals("released /slow-report", response.body());
        stopping.get(10, TimeUnit.SECONDS);
        List<String> audit = proxy.stopAndReadAudit();
        assertEquals(1, audit.size(), "the request was audited before the process went");
        assertEquals(200, new JsonObject(audit.get(0)).getInteger("status"));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void duringTheDelayRequestsAreServedAndToldToReconnectElsewhere() throws Exception {
        proxy.start();
        int port = proxy.port();
        String token = token();
        SekishoServer server = proxy.server();
        Thread stopper = new Thread(() -> server.stop(Duration.ofMinutes(10), Duration.ofSeconds(10)));
        stopper.start();
        Eventually.await("readiness fails at once", () -> draining());

        String response = RawHttp.exchange(port, "GET /records HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + token + "\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.toLowerCase().contains("\r\nconnection: close\r\n"), response);
        assertTrue(accepts(port), "still accepting during the delay");
        stopper.interrupt(); // ends the delay early; the drain goes on as after a full one
        stopper.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(stopper.isAlive());
        assertFalse(accepts(port));
    }

    private boolean draining() {
        try {
            return new JsonObject(proxy.management("/readyz").body()).getBoolean("draining");
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
