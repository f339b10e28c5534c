package jp.sekisho.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What verifying a token concluded, remembered under the token's hash until the conclusion
 * stops being true (the token expires, or a refusal may be retried). Bounded; time comes from
 * the injected clock, so tests move it instead of sleeping.
 *
 * @param <V> the conclusion
 */
public final class VerifiedCache<V> {

    private record Entry<V>(V value, Instant until) {
    }

    /** Nothing is remembered longer than a day, whatever the token says. */
    private static final Duration MAX_KEEP = Duration.ofDays(1);

    private final Clock clock;
    private final Cache<TokenKey, Entry<V>> cache;

    public VerifiedCache(Clock clock, long maxEntries) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run) // upkeep on the caller's thread: no hand-off to another pool per request
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new Expiry<TokenKey, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(TokenKey key, Entry<V> value, long currentTime) {
                        // Clamped: a claim far in the future must not overflow nanoseconds.
                        Duration left = Duration.between(clock.instant(), value.until);
                        return left.isNegative() ? 0 : left.compareTo(MAX_KEEP) > 0 ? MAX_KEEP.toNanos() : left.toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(TokenKey key, Entry<V> value, long currentTime, long current) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(TokenKey key, Entry<V> value, long currentTime, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The remembered conclusion, or null when there is none still true. */
    public V get(TokenKey key) {
        Entry<V> entry = cache.getIfPresent(key);
        return entry != null && clock.instant().isBefore(entry.until) ? entry.value : null;
    }

    public void put(TokenKey key, V value, Instant until) {
        cache.put(key, new Entry<>(value, until));
    }
}
