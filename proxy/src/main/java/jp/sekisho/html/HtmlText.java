package jp.sekisho.html;

/** The one HTML escape every page Sekisho writes uses: safe in element content and in quoted attributes. */
public final class HtmlText {

    private HtmlText() {
    }

    /** {@code value} with {@code & < > " '} escaped; null becomes the empty string. */
    public static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
