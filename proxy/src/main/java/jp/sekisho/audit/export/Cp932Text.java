package jp.sekisho.audit.export;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

/**
 * Text made writable in CP932 (Windows-31J, Excel's "Shift_JIS"). Characters that JIS X 0208
 * and Microsoft map differently (WAVE DASH 〜, DOUBLE VERTICAL LINE ‖, MINUS SIGN −, EM DASH —)
 * are written as the Microsoft forms a Japanese reader sees as the same character; anything else
 * CP932 cannot hold (emoji, 𠮷, accented Latin…) becomes '?' and is counted. Not thread-safe.
 */
public final class Cp932Text {

    public static final Charset CHARSET = Charset.forName("windows-31j");

    private final CharsetEncoder encoder = CHARSET.newEncoder();
    private long replaced;

    public String of(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int width = Character.charCount(cp);
            String replacement = cp < 0x80 ? null : replacement(cp, value.substring(i, i + width));
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : value.substring(i, i + width));
            }
            i += width;
        }
        return out == null ? value : out.toString();
    }

    /** How many characters became '?'. */
    public long replaced() {
        return replaced;
    }

    private String replacement(int cp, String character) {
        String microsoft = switch (cp) {
            case 0x301C -> "\uFF5E"; // WAVE DASH -> FULLWIDTH TILDE
            case 0x2016 -> "\u2225"; // DOUBLE VERTICAL LINE -> PARALLEL TO
            case 0x2212 -> "\uFF0D"; // MINUS SIGN -> FULLWIDTH HYPHEN-MINUS
            case 0x2014 -> "\u2015"; // EM DASH -> HORIZONTAL BAR
            default -> null;
        };
        if (microsoft != null) {
            return microsoft;
        }
        if (encoder.canEncode(character)) {
            return null;
        }
        replaced++;
        return "?";
    }
}
