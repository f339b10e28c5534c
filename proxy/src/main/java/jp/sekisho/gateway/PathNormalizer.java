package jp.sekisho.gateway;

/**
 * Turns a request's raw path into the one canonical form that both the policy judges and the
 * upstream receives, or refuses it.
 *
 * <p>Percent-encoded unreserved characters are decoded (so {@code %2e%2e} is seen as {@code ..}),
 * dot segments are resolved and repeated slashes folded. What could be read differently by an
 * upstream is refused: an encoded slash or backslash, a raw backslash, control characters, NUL,
 * malformed escapes, raw non-ASCII, and any {@code ..} that climbs above the root; a fragment
 * ({@code #}, never part of a request target); a segment that is a dot segment once its
 * {@code ;} parameters are dropped ({@code ..;}, as Java servlet containers read it); and
 * encoded characters that Unicode compatibility folding turns into a dot, slash or backslash
 * (full-width {@code ．．／}, as some Windows servers read them).
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
        if (decoded == null || !isValidUtf8(decoded) || hasParameterDotSegment(decoded)
                || foldsIntoSeparators(decoded)) {
            return null;
        }
        return resolveSegments(decoded);
    }

    /**
     * False when the escaped bytes are not well-formed UTF-8, overlong forms included:
     * {@code %C0%AE} is a dot to a lax decoder and garbage to a strict one, so it is refused.
     */
    static boolean isValidUtf8(String path) {
        if (path.indexOf('%') < 0) {
            return true;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** True for {@code /..;x/}, {@code /.;/} or {@code /;x/}: segments a servlet container reads as dot or empty. */
    static boolean hasParameterDotSegment(String path) {
        int semicolon = path.indexOf(';');
        while (semicolon >= 0) {
            int start = path.lastIndexOf('/', semicolon) + 1;
            String name = path.substring(start, semicolon);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return true;
            }
            semicolon = path.indexOf(';', semicolon + 1);
        }
        return false;
    }

    /** True when the path's encoded non-ASCII characters fold (NFKC) into '.', '/' or '\\'. */
    static boolean foldsIntoSeparators(String path) {
        if (path.indexOf('%') < 0) {
            return false; // only escaped non-ASCII can fold; the common path has none
        }
        String text;
        try {
            text = java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return true;
        }
        String folded = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
        if (folded.equals(text)) {
            return false;
        }
        return count(folded, '.') != count(text, '.') || count(folded, '/') != count(text, '/')
                || folded.indexOf('\\') >= 0;
    }

    /**
     * The form a path is routed by: its escapes decoded and Unicode compatibility-folded (NFKC),
     * so that {@code /%EF%BD%93ecret} (a full-width s) routes like {@code /secret}, as a server
     * that folds it would read it. Prefixes are plain ASCII, matched without regard to case.
     * The upstream still receives the canonical path itself.
     */
    public static String routingForm(String canonical) {
        if (canonical.indexOf('%') < 0) {
            return canonical;
        }
        try {
            String text = java.net.URLDecoder.decode(canonical.replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8);
            return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
        } catch (IllegalArgumentException e) {
            return canonical;
        }
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
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
            } else if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') {
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
