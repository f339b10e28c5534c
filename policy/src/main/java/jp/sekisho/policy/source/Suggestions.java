package jp.sekisho.policy.source;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** "Did you mean" for a misspelt name, or the names allowed when none is close. */
final class Suggestions {

    private Suggestions() {
    }

    /** "; did you mean 'allow'?", "; allowed here: a, b, c", or "" when nothing is known. */
    static String hint(String written, List<String> allowed) {
        if (allowed.isEmpty()) {
            return "";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : allowed) {
            if (written.length() >= 4 && name.toLowerCase(Locale.ROOT).startsWith(written.toLowerCase(Locale.ROOT))) {
                return "; did you mean '" + name + "'?"; // a name cut short: maxAge for maxAgeSeconds
            }
        }
        for (String name : allowed) {
            int distance = distance(written.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        // close enough to be a slip: two edits, or one for a short name
        if (best != null && bestDistance <= (written.length() <= 4 ? 1 : 2)) {
            return "; did you mean '" + best + "'?";
        }
        return "; allowed here: " + String.join(", ", new TreeSet<>(allowed));
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
