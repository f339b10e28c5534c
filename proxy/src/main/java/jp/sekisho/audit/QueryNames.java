package jp.sekisho.audit;

/**
 * A query string with every value masked: {@code name=山田&dob=1970} becomes
 * {@code name=*&dob=*}. Auditors learn what kind of search was made, never the resident it
 * was about, nor a token someone put in a URL.
 */
final class QueryNames {

    private QueryNames() {
    }

    static String masked(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            out.append(eq < 0 ? pair : pair.substring(0, eq)).append("=*");
        }
        return out.toString();
    }
}
