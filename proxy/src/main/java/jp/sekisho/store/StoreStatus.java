package jp.sekisho.store;

import java.time.Instant;
import java.util.Optional;

/**
 * How the store looks from this replica, for {@code /readyz} and metrics.
 *
 * @param kind        {@code embedded} or {@code postgresql}
 * @param connected   the replica can read and write the store now (always true for embedded)
 * @param since       when {@code connected} last changed
 * @param lastError   what went wrong last, when disconnected
 */
public record StoreStatus(String kind, boolean connected, Instant since, Optional<String> lastError) {
}
