package jp.sekisho.audit.export;

/**
 * One CSV cell made safe for a spreadsheet and for grep, then quoted per RFC 4180:
 * <ul>
 *   <li>a value starting with {@code = + - @}, a tab or a line break is prefixed with a single quote,
 *       so that Excel shows it as text instead of running it as a formula (OWASP, CSV injection);</li>
 *   <li>CR, LF, U+2028 and U+2029 become a space, so that every record is one line;</li>
 *   <li>a value containing a comma or a double quote is put in double quotes, with double quotes doubled.</li>
 * </ul>
 */
public final class CsvCell {

    private CsvCell() {
    }

    public static String of(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean formula = switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\n' -> true;
            default -> false;
        };
        StringBuilder cell = new StringBuilder(value.length() + 4);
        if (formula) {
            cell.append('\'');
        }
        boolean quote = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r', '\n', '\u2028', '\u2029' -> cell.append(' ');
                case '"' -> {
                    cell.append("\"\"");
                    quote = true;
                }
                case ',' -> {
                    cell.append(c);
                    quote = true;
                }
                default -> cell.append(c);
            }
        }
        return quote ? "\"" + cell + "\"" : cell.toString();
    }
}
