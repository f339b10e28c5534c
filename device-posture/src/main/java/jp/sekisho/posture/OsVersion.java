package jp.sekisho.posture;

import java.util.Arrays;
import java.util.Optional;

/**
 * A dotted numeric version such as {@code 10.0.22631.4460} or {@code 17.6}, compared part by
 * part as numbers ({@code 10.10 > 10.9}); missing parts count as zero.
 */
public record OsVersion(int[] parts) implements Comparable<OsVersion> {

    public OsVersion {
        parts = parts.clone();
        if (parts.length == 0) {
            throw new IllegalArgumentException("a version needs at least one part");
        }
    }

    /** The version, or empty when the text is not dotted non-negative numbers. */
    public static Optional<OsVersion> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String[] pieces = text.split("\\.", -1);
        int[] parts = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (piece.isEmpty() || piece.length() > 9 || !piece.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            parts[i] = Integer.parseInt(piece);
        }
        return Optional.of(new OsVersion(parts));
    }

    @Override
    public int compareTo(OsVersion other) {
        int n = Math.max(parts.length, other.parts.length);
        for (int i = 0; i < n; i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < other.parts.length ? other.parts[i] : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int[] trimmed = parts;
        int end = parts.length;
        while (end > 1 && parts[end - 1] == 0) {
            end--;
        }
        return Arrays.hashCode(Arrays.copyOf(trimmed, end));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(parts[i]);
        }
        return out.toString();
    }
}
