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
        private final String deviceKey;
        private final String usernameKey;
        private final String subjectKey;
        private final Context context;
        private final Runnable close;

        private Tunnel(Optional<String> deviceId, String username, String subject, Context context, Runnable close) {
            this.deviceKey = deviceId.map(Quarantine::key).orElse(null);
            this.usernameKey = Quarantine.key(username);
            this.subjectKey = Quarantine.key(subject);
            this.context = context;
            this.close = close;
        }

        public void closed() {
            open.remove(this);
        }

        boolean belongsTo(Quarantine.Kind kind, String key) {
            return kind == Quarantine.Kind.DEVICE ? key.equals(deviceKey)
                    : key.equals(usernameKey) || key.equals(subjectKey);
        }

        private void closeOnItsContext() {
            context.runOnContext(v -> close.run());
        }
    }

    private final Quarantine quarantine;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();

    public OpenTunnels(Quarantine quarantine) {
        this.quarantine = quarantine;
    }

    /**
     * Records a tunnel opened on the current Vert.x context; {@code close} will run on that
     * context, where the tunnel's sockets live. A hold placed between the request's decision
     * and this moment closes the tunnel here: either this check sees the hold, or the hold's
     * {@link #closeAll} sees the tunnel.
     */
    public Tunnel opened(Optional<String> deviceId, String username, String subject, Runnable close) {
        Tunnel tunnel = new Tunnel(deviceId, username, subject, Vertx.currentContext(), close);
        open.add(tunnel);
        if (quarantine.deviceHeld(deviceId) || quarantine.userHeld(username, subject)) {
            open.remove(tunnel);
            tunnel.closeOnItsContext();
        }
        return tunnel;
    }

    /** Closes every tunnel of the held device or user; returns how many. */
    public int closeAll(Quarantine.Kind kind, String id) {
        String key = Quarantine.key(id);
        int closed = 0;
        for (Tunnel tunnel : open) {
            if (tunnel.belongsTo(kind, key) && open.remove(tunnel)) {
                tunnel.closeOnItsContext();
                closed++;
            }
        }
        return closed;
    }

    public int size() {
        return open.size();
    }
}
