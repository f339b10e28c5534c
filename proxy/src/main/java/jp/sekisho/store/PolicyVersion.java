package jp.sekisho.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted policy, immutable once stored.
 *
 * @param number     monotonic, from 1; the next change gets {@code number + 1}
 * @param sha256     hex SHA-256 of {@code text}'s UTF-8 bytes
 * @param author     who applied it (an administrator's subject, {@code file ...} for a seed)
 * @param createdAt  when it was stored
 * @param comment    why, in the author's words
 * @param text       the policy document (YAML: segments, timeZone, holidays, timeWindows, defaults, apps)
 * @param rollbackOf the version this one restores, when it is a rollback
 */
public record PolicyVersion(long number, String sha256, String author, Instant createdAt, String comment,
                            String text, Optional<Long> rollbackOf) {

    public PolicyVersion {
        if (number < 1) {
            throw new IllegalArgumentException("versions start at 1");
        }
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(rollbackOf, "rollbackOf");
    }

    /** The version string audit records, metrics and {@code /readyz} show: {@code v12-3f5a9c0e1b2d}. */
    public String label() {
        return label(number, sha256);
    }

    public static String label(long number, String sha256) {
        return "v" + number + "-" + sha256.substring(0, 12);
    }

    /** The HTTP entity tag of this version (strong). */
    public String etag() {
        return "\"" + label() + "\"";
    }
}
