package jp.sekisho.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jp.sekisho.policy.network.CidrSet;

/**
 * Sets {@code X-Forwarded-For/-Proto/-Host} for the upstream. A client's own values are
 * replaced; only a configured trusted proxy in front of Sekisho may extend the chain.
 */
public final class ForwardedHeaders {

    static final String X_FORWARDED_FOR = "x-forwarded-for";
    static final String X_FORWARDED_PROTO = "x-forwarded-proto";
    static final String X_FORWARDED_HOST = "x-forwarded-host";

    private final CidrSet trustedProxies;

    public ForwardedHeaders(CidrSet trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** The peer's IP address as text. */
    static String peer(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    /** The address to record as the client: the peer, or the client a trusted proxy names. */
    public String clientAddress(HttpServerRequest request) {
        String peer = peer(request);
        if (trustedProxies.contains(peer)) {
            String chain = request.getHeader(X_FORWARDED_FOR);
            if (chain != null && !chain.isBlank()) {
                String last = chain.substring(chain.lastIndexOf(',') + 1).trim();
                if (CidrSet.literal(last) != null) {
                    return last;
                }
            }
        }
        return peer;
    }

    /**
     * Writes the forwarding headers into {@code upstreamHeaders} (from which every client copy
     * was already removed), reading the client's originals from {@code request}.
     */
    public void apply(HttpServerRequest request, MultiMap upstreamHeaders) {
        String peer = peer(request);
        boolean trusted = trustedProxies.contains(peer);
        String priorChain = trusted ? joined(request.headers(), X_FORWARDED_FOR) : null;
        upstreamHeaders.set(X_FORWARDED_FOR, priorChain == null ? peer : priorChain + ", " + peer);
        String proto = trusted ? request.getHeader(X_FORWARDED_PROTO) : null;
        upstreamHeaders.set(X_FORWARDED_PROTO, proto != null ? proto : request.isSSL() ? "https" : "http");
        String host = trusted ? request.getHeader(X_FORWARDED_HOST) : null;
        if (host == null && request.authority() != null) {
            host = request.authority().toString();
        }
        if (host != null) {
            upstreamHeaders.set(X_FORWARDED_HOST, host);
        }
    }

    private static String joined(MultiMap headers, String name) {
        var all = headers.getAll(name);
        return all.isEmpty() ? null : String.join(", ", all);
    }
}
