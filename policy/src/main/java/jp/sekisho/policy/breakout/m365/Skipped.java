package jp.sekisho.policy.breakout.m365;

import java.util.Objects;

/**
 * Something of Microsoft's list that was not imported, and why: a URL pattern the allowlist cannot
 * express, a name another entry already lists, or a whole endpoint set.
 *
 * @param entryId the entry it would have gone into, such as {@code m365-46}
 * @param item    the URL, address or ports as Microsoft wrote them; empty for the whole set
 * @param reason  why, in words an administrator can act on
 */
public record Skipped(String entryId, String item, String reason) {

    public Skipped {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return entryId + (item.isEmpty() ? "" : " " + item) + ": " + reason;
    }
}
