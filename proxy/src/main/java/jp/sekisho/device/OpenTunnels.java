package jp.sekisho.device;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket connections open through the proxy, by device and user, so that a quarantine
 * can close them at once: a decision is taken per request, and an open WebSocket makes no
 * more requests.
 */
public final class OpenTunnels {

    /** One open tunnel; {@link #closed()} when it ends by itself. */
    public final class Tunnel {
        private final String deviceId;
        private final String username;
        private final String subject;
        private final Context context;
        private final Runnable close;

        private Tunnel(String deviceId, String username, String subject, Context context, Runnable close) {
            this.deviceId = deviceId;
            this.username = username;
            this.subject = subject;
            this.context = context;
            this.close = close;
        }

        public void closed() {
            open.remove(this);
        }

        boolean belongsTo(Quarantine.Kind kind, String id) {
            return kind == Quarantine.Kind.DEVICE ? id.equals(deviceId) : id.equals(username) || id.equals(subject);
        }
    }

    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();

    /**
     * Records a tunnel opened on the current Vert.x context; {@code close} will run on that
     * context, where the tunnel's sockets live.
     */
    public Tunnel opened(Optional<String> deviceId, String username, String subject, Runnable close) {
        Tunnel tunnel = new Tunnel(deviceId.orElse(null), username, subject, Vertx.currentContext(), close);
        open.add(tunnel);
        return tunnel;
    }

    /** Closes every tunnel of the held device or user; returns how many. */
    public int closeAll(Quarantine.Kind kind, String id) {
        int closed = 0;
        for (Tunnel tunnel : open) {
            if (tunnel.belongsTo(kind, id)) {
                open.remove(tunnel);
                tunnel.context.runOnContext(v -> tunnel.close.run());
                closed++;
            }
        }
        return closed;
    }

    public int size() {
        return open.size();
    }
}
