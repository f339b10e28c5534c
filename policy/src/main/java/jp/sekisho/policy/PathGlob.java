package jp.sekisho.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A path pattern in a rule: {@code *} is any run of characters within one segment, {@code **}
 * any number of whole segments, {@code ?} one character. Matched the way routes are, so that
 * no spelling of a path escapes a rule that a route would not let it escape: without regard
 * to case, and with {@code ;parameters} ending their segment.
 */
public final class PathGlob {

    private final String pattern;
    private final Pattern compiled;

    private PathGlob(String pattern, Pattern compiled) {
        this.pattern = pattern;
        this.compiled = compiled;
    }

    /** @throws IllegalArgumentException with what is wrong, for the compiler to report */
    public static PathGlob of(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with '/'");
        }
        if (pattern.contains("***")) {
            throw new IllegalArgumentException("'***' means nothing: use '**' for any number of segments");
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("/**", i) && (i + 3 == pattern.length() || pattern.charAt(i + 3) == '/')) {
                regex.append("(?:/.*)?"); // "/**" also matches nothing: /docs/** matches /docs
                i += 3;
            } else if (pattern.startsWith("**", i)) {
                throw new IllegalArgumentException("'**' must be a whole segment, as in /docs/** or /**/x.pdf");
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return new PathGlob(pattern, Pattern.compile(regex.toString(),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }

    /** True when {@code path} (canonical, in routing form) matches. */
    public boolean matches(String path) {
        return compiled.matcher(withoutParameters(path)).matches();
    }

    /** "/export;jsessionid=1/a" is "/export/a" to a servlet container, so it is to the rule. */
    static String withoutParameters(String path) {
        int semicolon = path.indexOf(';');
        if (semicolon < 0) {
            return path;
        }
        StringBuilder plain = new StringBuilder(path.length());
        boolean skipping = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                skipping = false;
            } else if (c == ';') {
                skipping = true;
            }
            if (!skipping) {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathGlob g && g.pattern.toLowerCase(Locale.ROOT).equals(pattern.toLowerCase(Locale.ROOT));
    }

    @Override
    public int hashCode() {
        return pattern.toLowerCase(Locale.ROOT).hashCode();
    }
}
