package jp.sekisho.breakout.intercept;

import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.Target;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.TunnelObserver;

/**
 * Which intercepted tunnel each loopback connection into the interceptor belongs to, keyed by
 * the connection's client end (address and port: the listener is reachable from any loopback
 * address), and how many open tunnels there are per host.
 */
final class TunnelRegistry {

    /** One end of a loopback TCP connection. */
    record Peer(String address, int port) {
        static Peer of(SocketAddress socketAddress) {
            return new Peer(socketAddress.hostAddress(), socketAddress.port());
        }
    }

    /** An intercepted tunnel: where it goes, and whom to tell what happened in it. */
    record Tunnel(Target target, TunnelObserver observer) {
    }

    private final Map<Peer, Tunnel> byPeer = new ConcurrentHashMap<>();
    private final Map<String, Integer> openPerHost = new ConcurrentHashMap<>();

    void register(Peer peer, Tunnel tunnel) {
        if (byPeer.putIfAbsent(peer, tunnel) != null) {
            // Two live connections cannot share one client end: a stale entry outlived its socket.
            throw new IllegalStateException("a tunnel is already registered for " + peer);
        }
        openPerHost.merge(tunnel.target().host(), 1, Integer::sum);
    }

    /** Removes the tunnel if it is still the one registered for {@code peer}; repeated calls are harmless. */
    void remove(Peer peer, Tunnel tunnel) {
        if (byPeer.remove(peer, tunnel)) {
            openPerHost.computeIfPresent(tunnel.target().host(), (host, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The tunnel of a connection, or null for a connection the proxy did not open. */
    Tunnel find(SocketAddress remote) {
        return remote == null ? null : byPeer.get(Peer.of(remote));
    }

    /** Whether an open tunnel goes to {@code host} (lower case). */
    boolean intercepts(String host) {
        return openPerHost.containsKey(host);
    }

    int size() {
        return byPeer.size();
    }
}
