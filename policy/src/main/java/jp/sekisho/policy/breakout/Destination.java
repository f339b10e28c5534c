package jp.sekisho.policy.breakout;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a staff terminal asked the forward proxy to take it: a normalised host and a port.
 *
 * <p>The host is compared with allowlist patterns exactly as normalised here (lower case, no
 * trailing dot, internationalised names in their ASCII form, IPv6 literals without brackets), so
 * that {@code Outlook.Office.com.} and {@code outlook.office.com} are one destination.
 *
 * @param host      the normalised host name or IP literal
 * @param port      1 to 65535
 * @param ipLiteral the client named an IP address, not a host name
 */
public record Destination(String host, int port, boolean ipLiteral) {

    public Destination {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** {@code host:port} as a CONNECT request names it (IPv6 literals in brackets). */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The destination of a host and port, normalised; empty when the host is not a valid DNS name
     * or IP literal, or the port is out of range.
     */
    public static Optional<Destination> of(String host, int port) {
        return DestinationNames.normalise(host, port);
    }

    /**
     * The destination of a CONNECT request's authority ({@code host:port}, {@code [v6]:port}); the
     * port is required. Empty when it cannot be read.
     */
    public static Optional<Destination> parseAuthority(String authority) {
        return DestinationNames.parseAuthority(authority);
    }
}
