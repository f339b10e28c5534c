package jp.sekisho.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cleans headers crossing the proxy. Connection-nominated and hop-by-hop headers go first, then
 * every header that could carry identity; only after that does the proxy add its own, so no
 * client header (not even one named in {@code Connection}) can remove or pre-empt them.
 */
public final class HeaderHygiene {

    /** Hop-by-hop headers (RFC 9110 §7.6.1), plus the legacy Proxy-Connection. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(
            HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE, HttpHeaders.PROXY_AUTHENTICATE,
            HttpHeaders.PROXY_AUTHORIZATION, HttpHeaders.createOptimized("proxy-connection"), HttpHeaders.createOptimized("te"),
            HttpHeaders.createOptimized("trailer"), HttpHeaders.TRANSFER_ENCODING, HttpHeaders.UPGRADE);

    /** Headers upstreams commonly read identity or provenance from; never taken from a client. */
    private static final List<String> IDENTITY_BEARING = List.of(
            "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-forwarded-prefix", "x-real-ip", "x-request-id",
            "x-forwarded-user", "x-forwarded-email", "x-forwarded-groups", "x-forwarded-preferred-username",
            "x-forwarded-access-token", "x-auth-request-user", "x-auth-request-email", "x-auth-request-groups",
            "x-auth-request-preferred-username", "x-auth-request-access-token", "x-remote-user",
            "x-remote-groups", "remote-user", "x-sekisho-user", "x-sekisho-groups");

    private final List<CharSequence> identityHeaders;

    /**
     * @param assertionHeader the header the proxy signs identity into
     * @param configured      further identity-bearing header names from configuration
     */
    public HeaderHygiene(String assertionHeader, List<String> configured) {
        List<CharSequence> names = new ArrayList<>();
        names.add(HttpHeaders.createOptimized(assertionHeader.toLowerCase(Locale.ROOT)));
        for (String name : IDENTITY_BEARING) {
            names.add(HttpHeaders.createOptimized(name));
        }
        for (String name : configured) {
            names.add(HttpHeaders.createOptimized(name.toLowerCase(Locale.ROOT)));
        }
        this.identityHeaders = List.copyOf(names);
    }

    /**
     * Removes hop-by-hop headers from a request or response.
     *
     * @param keepUpgrade keep {@code Connection: upgrade} and {@code Upgrade} for a WebSocket handshake
     */
    public static void removeHopByHop(MultiMap headers, boolean keepUpgrade) {
        for (String connection : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !(keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
                    headers.remove(name);
                }
            }
        }
        for (CharSequence name : HOP_BY_HOP) {
            if (!(keepUpgrade && (name == HttpHeaders.UPGRADE || name == HttpHeaders.CONNECTION))) {
                headers.remove(name);
            }
        }
    }

    /** Removes every identity-bearing header, in any spelling or case. */
    public void removeIdentityHeaders(MultiMap headers) {
        for (CharSequence name : identityHeaders) {
            headers.remove(name);
        }
    }
}
