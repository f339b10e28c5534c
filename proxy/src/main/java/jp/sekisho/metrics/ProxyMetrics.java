package jp.sekisho.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;

/**
 * Every metric Sekisho exports, declared in one place. Label values come only from config ids
 * and closed enums, never from user input, so cardinality is bounded by the configuration.
 */
public final class ProxyMetrics {

    /** The label used when a request matched no app. */
    public static final String NO_APP = "-";

    private record RequestKey(String app, Outcome outcome, Reason reason, int statusClass) {
    }

    private static final String STAGE_FAILURES = "Requests refused because a stage of their checks failed";
    private static final String PROCESSING_TIMEOUTS = "Requests refused because their checks did not finish in time";
    private static final String CONNECTIONS_REFUSED = "Connections closed or requests refused by a listener limit";
    private static final String POLICY_RELOADS = "Policy reload attempts by result";
    private static final String QUARANTINE_ACTIONS = "Quarantine and release actions by operators";

    private final PrometheusMeterRegistry registry;
    private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> simpleCounters = new ConcurrentHashMap<>();

    public ProxyMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Exported from the start, at 0, so that dashboards and "must stay 0" alerts see a
        // series rather than nothing (MonitoringAssetsTest holds the shipped assets to this).
        Counter.builder("sekisho_audit_dropped_records")
                .description("Audit records lost because the queue was full or the writer failed")
                .register(registry);
        for (String stage : List.of("routing", "authentication", "device-evidence", "decision", "assertion",
                "forwarding", "upstream", "login")) {
            register("sekisho_stage_failures", STAGE_FAILURES, "stage", stage);
        }
        register("sekisho_processing_timeouts", PROCESSING_TIMEOUTS);
        for (String reason : List.of("request-head-timeout", "request-line-too-long", "request-headers-too-large",
                "request-invalid")) {
            register("sekisho_connections_refused", CONNECTIONS_REFUSED, "reason", reason);
        }
        for (String result : List.of("success", "failure")) {
            register("sekisho_policy_reloads", POLICY_RELOADS, "result", result);
        }
        for (String action : List.of("hold-device", "hold-user", "release-device", "release-user")) {
            register("sekisho_quarantine_actions", QUARANTINE_ACTIONS, "action", action);
        }
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    /** One finished request: counted by app, decision, reason and status class, and timed. */
    public void request(String app, Outcome outcome, Reason reason, int status, long durationNanos) {
        RequestKey key = new RequestKey(app, outcome, reason, status / 100);
        requests.computeIfAbsent(key, k -> Counter.builder("sekisho_requests")
                .description("Requests handled, by app, decision, reason and status class")
                .tag("app", k.app).tag("decision", k.outcome.code()).tag("reason", k.reason.code())
                .tag("status_class", k.statusClass + "xx")
                .register(registry)).increment();
        durations.computeIfAbsent(app, a -> Timer.builder("sekisho_request_duration")
                .description("Time from receiving a request to finishing its response")
                .tag("app", a)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public void jwksRefresh(String issuerId, String result) {
        count("sekisho_jwks_refresh", "Issuer key fetches by result", "issuer", issuerId, "result", result);
    }

    public void tokenCache(boolean hit) {
        count("sekisho_token_cache", "Bearer token cache lookups", "result", hit ? "hit" : "miss");
    }

    public void tokenVerified(String result) {
        count("sekisho_token_verifications", "Token signature and claim checks by result", "result", result);
    }

    public void postureTokenVerified(String result) {
        count("sekisho_posture_token_verifications", "Device posture token checks by result", "result", result);
    }

    /** One decided request to an app: its device's posture result ({@code passed}, {@code not-required} or a failure code). */
    public void postureResult(String app, String result) {
        count("sekisho_posture_results", "Device posture results of decided requests, by app and result", "app", app,
                "result", result);
    }

    public void quarantineAction(String action) {
        count("sekisho_quarantine_actions", QUARANTINE_ACTIONS, "action", action);
    }

    public void tunnelsClosedByQuarantine(int count) {
        simpleCounters.computeIfAbsent("sekisho_quarantine_closed_tunnels", k -> Counter
                .builder("sekisho_quarantine_closed_tunnels")
                .description("Open WebSocket connections closed because their device or user was quarantined")
                .register(registry)).increment(count);
    }

    public void certificateReload(String listener, String result) {
        count("sekisho_tls_certificate_reloads", "Certificate reloads of HTTPS listeners by result", "listener", listener,
                "result", result);
    }

    /** The expiry of a certificate in use, as seconds since the epoch (alert 30 days ahead). */
    public void certificateExpiry(String purpose, String index, Supplier<Number> notAfterEpochSeconds) {
        Gauge.builder("sekisho_tls_certificate_expiry_timestamp_seconds", notAfterEpochSeconds)
                .description("When a certificate in use expires (seconds since the epoch)")
                .tag("purpose", purpose).tag("certificate", index).register(registry);
    }

    public void upstreamInsecure(Supplier<Number> apps) {
        Gauge.builder("sekisho_upstream_tls_unverified_apps", apps)
                .description("Apps whose https upstream is not verified (insecureSkipVerify); should be 0")
                .register(registry);
    }

    /** A connection the proxy closed for a limit, or refused before a request ({@code reason} from a closed set). */
    public void connectionClosed(String reason) {
        count("sekisho_connections_refused", CONNECTIONS_REFUSED, "reason", reason);
    }

    /** A request refused because its checks did not finish within the processing deadline. */
    public void processingTimeout() {
        count("sekisho_processing_timeouts", PROCESSING_TIMEOUTS);
    }

    /** A request refused because a stage of its checks failed ({@code stage} from a closed set). */
    public void stageFailed(String stage) {
        count("sekisho_stage_failures", STAGE_FAILURES, "stage", stage);
    }

    public void httpRedirect() {
        count("sekisho_http_redirects", "Plain-HTTP requests redirected to HTTPS");
    }

    public void policyReload(String result) {
        count("sekisho_policy_reloads", POLICY_RELOADS, "result", result);
    }

    public void auditDropped() {
        count("sekisho_audit_dropped_records", "Audit records lost because the queue was full or the writer failed");
    }

    public void assertionSigned() {
        count("sekisho_assertion_signatures", "Identity assertions signed (cache misses)");
    }

    /** Registers a gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private void count(String name, String description, String... tags) {
        register(name, description, tags).increment();
    }

    private Counter register(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        return simpleCounters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
