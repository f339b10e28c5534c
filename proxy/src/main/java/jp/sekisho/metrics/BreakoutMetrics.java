package jp.sekisho.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.BreakoutPolicy;

/**
 * The forward proxy's series. Labelled by category, decision, reason and allowlist entry id,
 * never by raw destination host: a host is chosen by the client and would grow the series
 * without bound (the audit trail and the shadow-IT report name hosts instead).
 */
public final class BreakoutMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    BreakoutMetrics(MeterRegistry registry) {
        this.registry = registry;
        io.micrometer.core.instrument.Gauge.builder("sekisho_breakout_tunnels_open", open, AtomicInteger::get)
                .description("Forward-proxy tunnels open now").register(registry);
        // Present from the first scrape, so that dashboards and alerts see a 0 rather than nothing.
        decidedCounter(jp.sekisho.policy.breakout.BreakoutDecision.UNLISTED, "deny", "destination-not-allowed", "-");
        bytesCounter(jp.sekisho.policy.breakout.BreakoutDecision.UNLISTED, "up");
        bytesCounter(jp.sekisho.policy.breakout.BreakoutDecision.UNLISTED, "down");
        closedCounter("client");
        failureCounter("parent-proxy-failed");
    }

    /** One decided tunnel or request. */
    public void decided(String category, String decision, String reason, String entry) {
        decidedCounter(category, decision, reason, entry).increment();
    }

    private Counter decidedCounter(String category, String decision, String reason, String entry) {
        return counter("sekisho_breakout_requests", "Forward-proxy tunnels and requests, by category, decision,"
                + " reason and allowlist entry", "category", category, "decision", decision, "reason", reason,
                "entry", entry);
    }

    /** Bytes relayed, {@code up} (client to destination) or {@code down}. */
    public void bytes(String category, String direction, long bytes) {
        if (bytes > 0) {
            bytesCounter(category, direction).increment(bytes);
        }
    }

    private Counter bytesCounter(String category, String direction) {
        return counter("sekisho_breakout_bytes", "Bytes relayed by the forward proxy", "category", category,
                "direction", direction);
    }

    /** A tunnel ended: client, destination, idle-timeout, max-duration, quarantine or error. */
    public void tunnelClosed(String closedBy) {
        closedCounter(closedBy).increment();
    }

    private Counter closedCounter(String closedBy) {
        return counter("sekisho_breakout_tunnels_closed", "Forward-proxy tunnels closed, by what closed them", "by",
                closedBy);
    }

    /** A connection to a destination or parent that failed after the decision allowed it. */
    public void connectFailed(String reason) {
        failureCounter(reason).increment();
    }

    private Counter failureCounter(String reason) {
        return counter("sekisho_breakout_connect_failures", "Allowed tunnels that could not be opened, by reason",
                "reason", reason);
    }

    /** A request inside an intercepted (tenant-restriction) tunnel: forwarded, refused (421) or failed. */
    public void intercepted(String result) {
        counter("sekisho_breakout_intercepted_requests", "Requests inside tenant-restriction tunnels, by result",
                "result", result).increment();
    }

    public void tunnelOpened() {
        open.incrementAndGet();
    }

    public void tunnelEnded() {
        open.decrementAndGet();
    }

    /**
     * Seconds until each allowlist entry's ISMAP registration expires (negative once expired),
     * read from the serving policy at every scrape, so that entries added by a policy change appear
     * without a restart.
     */
    public static void ismapExpiry(PrometheusMeterRegistry registry, Supplier<BreakoutPolicy> policy, Clock clock) {
        GaugeWithCallback.builder().name("sekisho_breakout_ismap_expiry_seconds")
                .help("Seconds until the ISMAP registration of a local-breakout allowlist entry expires (negative:"
                        + " expired)")
                .labelNames("entry", "ismap")
                .callback(callback -> {
                    BreakoutPolicy current = policy.get();
                    long now = clock.instant().getEpochSecond();
                    for (BreakoutEntry entry : current.entries()) {
                        entry.ismap().ifPresent(ismap -> callback.call(
                                ismap.endsAt(current.zone()).getEpochSecond() - now, entry.id(), ismap.id()));
                    }
                })
                .register(registry.getPrometheusRegistry());
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + '\u0000' + String.join("\u0000", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
