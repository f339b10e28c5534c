package jp.sekisho.gateway;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cleans headers crossing the proxy. Connection-nominated and hop-by-hop headers go first, then
 * every header that could carry identity; only after that does the proxy add its own, so no
 * client header (not even one named in {@code Connection}) can remove or pre-empt them.
 */
public final class HeaderHygiene {

    /** Hop-by-hop headers (RFC 9110 §7.6.1), plus the legacy Proxy-Connection; lower case. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade");

    /** Headers upstreams commonly read identity or provenance from; never taken from a client. */
    private static final List<String> IDENTITY_BEARING = List.of(
            "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-forwarded-prefix", "x-real-ip", "x-request-id",
            "x-forwarded-user", "x-forwarded-email", "x-forwarded-groups", "x-forwarded-preferred-username",
            "x-forwarded-access-token", "x-auth-request-user", "x-auth-request-email", "x-auth-request-groups",
            "x-auth-request-preferred-username", "x-auth-request-access-token", "x-remote-user",
            "x-remote-groups", "remote-user", "x-sekisho-user", "x-sekisho-groups");

    private final Set<String> identityHeaders; // lower case

    /**
     * @param assertionHeader the header the proxy signs identity into
     * @param configured      further identity-bearing header names from configuration
     */
    public HeaderHygiene(String assertionHeader, List<String> configured) {
        Set<String> names = new HashSet<>(IDENTITY_BEARING);
        names.add(assertionHeader.toLowerCase(Locale.ROOT));
        for (String name : configured) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        this.identityHeaders = Set.copyOf(names);
    }

    /**
     * Removes hop-by-hop headers from a request or response.
     *
     * @param keepUpgrade keep {@code Connection: upgrade} and {@code Upgrade} for a WebSocket handshake
     */
    public static void removeHopByHop(MultiMap headers, boolean keepUpgrade) {
        // One pass over the headers present, rather than a lookup for each name that might be.
        List<String> doomed = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("connection")) {
                for (String token : header.getValue().split(",")) {
                    String nominated = token.trim();
                    if (!nominated.isEmpty() && !(keepUpgrade && nominated.equalsIgnoreCase("upgrade"))) {
                        doomed = add(doomed, nominated);
                    }
                }
            }
            if (HOP_BY_HOP.contains(name) && !(keepUpgrade && (name.equals("upgrade") || name.equals("connection")))) {
                doomed = add(doomed, name);
            }
        }
        removeAll(headers, doomed);
    }

    /** Removes every identity-bearing header, in any spelling or case. */
    public void removeIdentityHeaders(MultiMap headers) {
        List<String> doomed = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT); // the same string when already lower case
            if (identityHeaders.contains(name)) {
                doomed = add(doomed, name);
            }
        }
        removeAll(headers, doomed);
    }

    private static List<String> add(List<String> names, String name) {
        List<String> list = names == null ? new ArrayList<>(4) : names;
        list.add(name);
        return list;
    }

    /** After the pass: a map is not changed while it is iterated. */
    private static void removeAll(MultiMap headers, List<String> names) {
        if (names != null) {
            for (String name : names) {
                headers.remove(name);
            }
        }
    }
}
