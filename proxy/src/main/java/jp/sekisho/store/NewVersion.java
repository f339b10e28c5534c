package jp.sekisho.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A change about to be stored: the whole new document, checked already by the caller.
 *
 * @param text       the policy document
 * @param author     who applies it
 * @param comment    why
 * @param rollbackOf the version it restores, when it is a rollback
 */
public record NewVersion(String text, String author, String comment, Optional<Long> rollbackOf) {

    public NewVersion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(rollbackOf, "rollbackOf");
    }

    public NewVersion(String text, String author, String comment) {
        this(text, author, comment, Optional.empty());
    }
}
