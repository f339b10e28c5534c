package jp.sekisho.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a browser may be sent after signing in: a path on the same host, nothing else. Absolute
 * URLs, scheme-relative {@code //evil}, backslashes (which browsers read as slashes), control
 * characters and their percent-encoded forms are refused, so the login cannot become an open
 * redirect.
 */
public final class ReturnPaths {

    private ReturnPaths() {
    }

    /** True when {@code target} is a safe same-host path. */
    public static boolean isSafe(String target) {
        if (target == null || target.isEmpty() || target.length() > 2048) {
            return false;
        }
        String decoded = target;
        for (int round = 0; round < 3; round++) { // catch %2F%2F and %252F%252F alike
            if (!isSafeOnce(decoded)) {
                return false;
            }
            String next;
            try {
                next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (next.equals(decoded)) {
                return true;
            }
            decoded = next;
        }
        return isSafeOnce(decoded);
    }

    private static boolean isSafeOnce(String s) {
        if (s.isEmpty() || s.charAt(0) != '/') {
            return false;
        }
        if (s.length() > 1 && (s.charAt(1) == '/' || s.charAt(1) == '\\')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
