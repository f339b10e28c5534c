package jp.sekisho.audit;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON escapes under which no value, whatever a client put in it, can start a new line: JSON
 * escapes CR and LF already; the Unicode line and paragraph separators (U+2028, U+2029), which
 * some log tools treat as line ends, are escaped here too. Shared by the trail and its exports.
 */
public final class LineSafeEscapes extends CharacterEscapes {

    public static final LineSafeEscapes INSTANCE = new LineSafeEscapes();

    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    private final int[] asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();

    private LineSafeEscapes() {
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return switch (ch) {
            case 0x2028 -> LINE_SEPARATOR;
            case 0x2029 -> PARAGRAPH_SEPARATOR;
            default -> null;
        };
    }
}
