package jp.sekisho.policy.breakout;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import jp.sekisho.policy.network.CidrSet;

/**
 * Reads and normalises destination host names, the one way every host is compared with the
 * allowlist. Never resolves anything: an IP literal is recognised by its text alone.
 */
final class DestinationNames {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private DestinationNames() {
    }

    static Optional<Destination> normalise(String host, int port) {
        if (host == null || port < 1 || port > 65535) {
            return Optional.empty();
        }
        String text = host.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("[") || text.indexOf(':') >= 0) {
            String v6 = ipv6(text);
            return v6 == null ? Optional.empty() : Optional.of(new Destination(v6, port, true));
        }
        if (isIpv4(text)) {
            return Optional.of(new Destination(text, port, true));
        }
        String name = name(text);
        return name == null ? Optional.empty() : Optional.of(new Destination(name, port, false));
    }

    static Optional<Destination> parseAuthority(String authority) {
        if (authority == null || authority.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            // userinfo, a path, a query, a fragment or a space is not a CONNECT authority
            if (c == '@' || c == '/' || c == '\\' || c == '?' || c == '#' || c <= 0x20 || c == 0x7f) {
                return Optional.empty();
            }
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || close + 1 >= authority.length() || authority.charAt(close + 1) != ':') {
                return Optional.empty();
            }
            host = authority.substring(0, close + 1);
            port = authority.substring(close + 2);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon < 0 || authority.indexOf(':') != colon) {
                return Optional.empty(); // no port, or an IPv6 literal without brackets: ambiguous
            }
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        int number = port(port);
        return number < 0 ? Optional.empty() : normalise(host, number);
    }

    /**
     * A host name in its normalised ASCII form (no trailing dot), or null when it is not a valid
     * DNS name. Used for names only: IP literals are told apart before.
     */
    static String name(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        if (!isAscii(name)) {
            try {
                name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return null;
        }
        int start = 0;
        while (true) {
            int end = name.indexOf('.', start);
            int stop = end < 0 ? name.length() : end;
            if (!isLabel(name, start, stop)) {
                return null;
            }
            if (end < 0) {
                // A resolver reads "1.2.3" or "0x7f.1" as an address: a name's last label starts with a letter.
                char first = name.charAt(start);
                return first >= 'a' && first <= 'z' ? name : null;
            }
            start = end + 1;
        }
    }

    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        if (length == 0 || length > MAX_LABEL || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Four decimal parts of 0 to 255 without leading zeros (which some resolvers read as octal). */
    static boolean isIpv4(String text) {
        int parts = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('.', start);
            int stop = end < 0 ? text.length() : end;
            int length = stop - start;
            if (length < 1 || length > 3 || length > 1 && text.charAt(start) == '0') {
                return false;
            }
            int value = 0;
            for (int i = start; i < stop; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return false;
            }
            parts++;
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return parts == 4;
    }

    /** The IPv6 literal without brackets, or null. */
    private static String ipv6(String text) {
        String inner = text;
        if (text.startsWith("[")) {
            if (!text.endsWith("]")) {
                return null;
            }
            inner = text.substring(1, text.length() - 1);
        }
        if (inner.indexOf(':') < 0) {
            return null;
        }
        // Only hex digits, ':' and '.' reach the parser, starting as a literal must: it never looks a name up.
        char first = inner.charAt(0);
        if (!(first == ':' || first >= '0' && first <= '9' || first >= 'a' && first <= 'f')) {
            return null;
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (!(c == ':' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return CidrSet.literal(inner) == null ? null : inner;
    }

    /** The port's number, or -1 when it is not 1 to 65535 in decimal digits. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 65535 ? value : -1;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
