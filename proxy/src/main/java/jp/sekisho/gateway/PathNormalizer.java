package jp.sekisho.gateway;

/**
 * Turns a request's raw path into the one canonical form that both the policy judges and the
 * upstream receives, or refuses it.
 *
 * <p>Percent-encoded unreserved characters are decoded (so {@code %2e%2e} is seen as {@code ..}),
 * dot segments are resolved and repeated slashes folded. What could be read differently by an
 * upstream is refused: an encoded slash or backslash, a raw backslash, control characters, NUL,
 * malformed escapes, raw non-ASCII, and any {@code ..} that climbs above the root.
 */
public final class PathNormalizer {

    private PathNormalizer() {
    }

    /** The canonical path, or null when the path cannot be normalised safely. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        String decoded = decodeUnreserved(raw);
        if (decoded == null) {
            return null;
        }
        return resolveSegments(decoded);
    }

    private static String decodeUnreserved(String raw) {
        StringBuilder out = null;
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= n) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = (hi << 4) | lo;
                if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
                    return null;
                }
                if (out == null) {
                    out = new StringBuilder(n).append(raw, 0, i);
                }
                if (isUnreserved(b)) {
                    out.append((char) b);
                } else {
                    out.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                            .append(Character.toUpperCase(raw.charAt(i + 2)));
                }
                i += 2;
            } else if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return null;
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? raw : out.toString();
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static String resolveSegments(String path) {
        if (path.indexOf("//") < 0 && path.indexOf("/.") < 0) {
            return path; // the common case: already canonical, no allocation
        }
        String[] segments = path.substring(1).split("/", -1);
        String[] stack = new String[segments.length];
        int depth = 0;
        boolean trailingSlash = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = last;
            } else if (segment.equals("..")) {
                if (depth == 0) {
                    return null;
                }
                depth--;
                trailingSlash = last;
            } else {
                stack[depth++] = segment;
                trailingSlash = false;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < depth; i++) {
            out.append('/').append(stack[i]);
        }
        if (depth == 0 || trailingSlash) {
            out.append('/');
        }
        return out.toString();
    }
}
