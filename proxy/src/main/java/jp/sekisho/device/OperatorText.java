package jp.sekisho.device;

/**
 * What an operator types into a quarantine action (an id, a reason, a name): short, one line,
 * no control characters, since it lands in the audit trail and on other operators' screens.
 */
public final class OperatorText {

    /** A device id, a username, an operator's name. */
    public static final int MAX_ID = 256;
    /** A reason. */
    public static final int MAX_TEXT = 500;

    private OperatorText() {
    }

    /** Null when {@code value} is a non-blank string of at most {@code max} characters without control characters. */
    public static String problem(String field, Object value, int max) {
        if (!(value instanceof String text) || text.isBlank()) {
            return field + " is required";
        }
        if (text.length() > max) {
            return field + " is longer than " + max + " characters";
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return field + " must not contain control characters";
        }
        return null;
    }
}
