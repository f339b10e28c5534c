package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Open WebSockets are closed by a hold, whether the hold comes before or after they open. */
class OpenTunnelsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Opens a tunnel on an event loop, as the proxy does, and waits until its close has run (or not). */
    private OpenTunnels.Tunnel open(OpenTunnels tunnels, String device, String user, AtomicInteger closes) throws Exception {
        Promise<OpenTunnels.Tunnel> opened = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> opened.complete(tunnels.opened(Optional.ofNullable(device), user,
                "sub-" + user, closes::incrementAndGet)));
        OpenTunnels.Tunnel tunnel = opened.future().await(10, TimeUnit.SECONDS);
        flush();
        return tunnel;
    }

    /** Lets tasks queued on the event loops run. */
    private void flush() throws Exception {
        for (int i = 0; i < 3; i++) {
            Promise<Void> turn = Promise.promise();
            vertx.getOrCreateContext().runOnContext(v -> turn.complete());
            turn.future().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void holdClosesTheDevicesAndTheUsersTunnelsOnly() throws Exception {
        Quarantine quarantine = new Quarantine();
        OpenTunnels tunnels = new OpenTunnels(quarantine);
        AtomicInteger pc1 = new AtomicInteger();
        AtomicInteger pc2 = new AtomicInteger();
        open(tunnels, "LG-PC-0001", "sato", pc1);
        open(tunnels, "LG-PC-0002", "tanaka", pc2);

        assertEquals(1, tunnels.closeAll(Quarantine.Kind.DEVICE, "lg-pc-0001"));
        assertEquals(1, tunnels.closeAll(Quarantine.Kind.USER, "sub-tanaka"));
        flush();
        assertEquals(1, pc1.get());
        assertEquals(1, pc2.get());
        assertEquals(0, tunnels.size());
        assertEquals(0, tunnels.closeAll(Quarantine.Kind.DEVICE, "LG-PC-0001"), "closed once");
    }

    @Test
    void tunnelOpenedAfterItsDeviceWasHeldClosesAtOnce() throws Exception {
        Quarantine quarantine = new Quarantine();
        quarantine.put(new Quarantine.Hold(Quarantine.Kind.DEVICE, "LG-PC-0001", "EDR alert", "soc",
                Instant.parse("2026-11-23T00:00:00Z")));
        OpenTunnels tunnels = new OpenTunnels(quarantine);
        AtomicInteger closes = new AtomicInteger();
        open(tunnels, "LG-PC-0001", "sato", closes);
        assertEquals(1, closes.get(), "decided before the hold, opened after it: closed anyway");
        assertEquals(0, tunnels.size());
    }
}
