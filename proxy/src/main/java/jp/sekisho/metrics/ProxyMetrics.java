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
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
    private static final String CLOSED_TUNNELS =
            "Open WebSocket connections closed because their device or user was quarantined";
    private static final String POSTURE_TOKENS = "Device posture token checks by result";
    private static final String DURABLE_FAILURES =
            "Strict audit mode: decision records that could not be made durable; their requests were refused";
    private static final String FAIL_OPEN =
            "Requests that reached forwarding without an allow decision; stopped, and must stay 0";

    private final PrometheusMeterRegistry registry;
    private final BreakoutMetrics breakout;
    private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<CounterKey, Counter> simpleCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> upstreamDurations = new ConcurrentHashMap<>();
    private final Timer auditWrites;
    private volatile Map<String, String> issuerIds = Map.of();
    private final Info policyInfo;
    private volatile long policyLoadedAt;
    private final AuditSinkMetrics syslogSink;
    private final AuditSinkMetrics postgresqlSink;

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
        register("sekisho_fail_open", FAIL_OPEN);
        register("sekisho_audit_durable_failures", DURABLE_FAILURES);
        register("sekisho_quarantine_closed_tunnels", CLOSED_TUNNELS);
        register("sekisho_posture_token_verifications", POSTURE_TOKENS, "result", "valid");
        // An info metric proper: Micrometer has none, and its gauges lose the "_info" suffix.
        this.policyInfo = Info.builder().name("sekisho_policy_info").help("The policy version serving now")
                .labelNames("version").register(registry.getPrometheusRegistry());
        gauge("sekisho_policy_loaded_timestamp_seconds", "When the serving policy began serving (seconds since the epoch)",
                () -> policyLoadedAt);
        this.syslogSink = new AuditSinkMetrics(registry, "syslog");
        this.postgresqlSink = new AuditSinkMetrics(registry, "postgresql");
        this.breakout = new BreakoutMetrics(registry);
        this.auditWrites = Timer.builder("sekisho_audit_write_duration")
                .description("Time to write and flush one batch of audit records")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /**
     * Names issuers in labels by their configuration id rather than their {@code iss} URL.
     *
     * @param idsByIssuer configuration id by {@code iss}
     */
    public void issuers(Map<String, String> idsByIssuer) {
        this.issuerIds = Map.copyOf(idsByIssuer);
    }

    /**
     * A Vert.x that reports its worker pools, its upstream connection pools (labelled by their
     * configured address) and Netty's buffers here. Its HTTP metrics stay off: server-side ones
     * would be labelled by client address, and client-side ones look up six meters per request
     * (a measured 4% of the event loop) to repeat what the gateway's own request and upstream
     * series already say.
     */
    public Vertx createVertx() {
        MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(false) // bound above, once
                .setNettyMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.POOL_TYPE, Label.POOL_NAME, Label.REMOTE));
        for (MetricsDomain domain : List.of(MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT,
                MetricsDomain.HTTP_SERVER, MetricsDomain.HTTP_CLIENT, MetricsDomain.DATAGRAM_SOCKET, MetricsDomain.EVENT_BUS,
                MetricsDomain.VERTICLES)) {
            options.addDisabledMetricsCategory(domain);
        }
        // epoll where the native library loads (Linux x86-64 and arm64), NIO elsewhere
        return Vertx.builder().with(new VertxOptions().setMetricsOptions(options).setPreferNativeTransport(true))
                .withMetrics(new MicrometerMetricsFactory(registry)).build();
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

    /**
     * How a request's identity was established.
     *
     * @param issuer     the identity's {@code iss}, or null when there is none
     * @param credential {@code bearer}, {@code session} or {@code none}
     * @param result     {@code authenticated} or the reason code of the failure
     */
    public void authentication(String issuer, String credential, String result) {
        String id = issuer == null ? NO_APP : issuerIds.getOrDefault(issuer, "other");
        count("sekisho_authentications", "Identities established or refused, by issuer, credential and result",
                "issuer", id, "credential", credential, "result", result);
    }

    /**
     * The MFA check of a decided request to an app that demands MFA.
     *
     * @param methods the accepted methods the identity proved, joined by {@code +}, or {@code none}
     * @param result  {@code passed} or the MFA reason code
     */
    public void mfaResult(String app, String methods, String result) {
        count("sekisho_mfa_results", "MFA checks of apps that demand MFA, by app, methods proved and result",
                "app", app, "methods", methods, "result", result);
    }

    /** A request sent to sign in again more strongly: {@code redirect} (a browser) or {@code challenge} (RFC 9470). */
    public void stepUp(String app, String via) {
        count("sekisho_step_ups", "Requests asked to sign in again more strongly, by app and how", "app", app,
                "via", via);
    }

    /** From sending a request upstream to receiving its response head. */
    public void upstreamDuration(String app, long nanos) {
        upstreamDurations.computeIfAbsent(app, a -> Timer.builder("sekisho_upstream_duration")
                .description("Time from sending a request upstream to receiving its response head")
                .tag("app", a)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request reached forwarding without an allow decision. It was stopped; each one is a defect. */
    public void failOpenPrevented() {
        count("sekisho_fail_open", FAIL_OPEN);
    }

    /** The policy now serving: its version as an {@code _info} label, and when it began serving. */
    public void policyServing(String version, Instant since) {
        policyInfo.setLabelValues(version); // replaces the last version: one series at a time
        policyLoadedAt = since.getEpochSecond();
    }

    /** One batch of audit records written and flushed. */
    public void auditWrite(long nanos) {
        auditWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** When an issuer's keys were last fetched successfully, as seconds since the epoch (0: never). */
    public void jwksLastSuccess(String issuerId, Supplier<Number> epochSeconds) {
        Gauge.builder("sekisho_jwks_last_success_timestamp_seconds", epochSeconds)
                .description("When an issuer's keys were last fetched successfully (seconds since the epoch, 0: never)")
                .tag("issuer", issuerId).register(registry);
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
        count("sekisho_posture_token_verifications", POSTURE_TOKENS, "result", result);
    }

    /** One decided request to an app: its device's posture result ({@code passed}, {@code not-required} or a failure code). */
    public void postureResult(String app, String result) {
        count("sekisho_posture_results", "Device posture results of decided requests, by app and result", "app", app,
                "result", result);
    }

    public void quarantineAction(String action) {
        count("sekisho_quarantine_actions", QUARANTINE_ACTIONS, "action", action);
    }

    /** An admin API call: admitted, or refused with its reason. */
    public void adminRequest(String result) {
        count("sekisho_admin_requests", "Admin API calls by result", "result", result);
    }

    /** A policy change asked for through the admin API: applied, invalid, conflict, pending or approved. */
    public void policyChange(String result) {
        count("sekisho_policy_changes", "Policy changes asked for by administrators, by result", "result", result);
    }

    public void tunnelsClosedByQuarantine(int count) {
        register("sekisho_quarantine_closed_tunnels", CLOSED_TUNNELS).increment(count);
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

    /** Strict mode: a decision record that could not be made durable (its request was refused). */
    public void auditDurableFailure() {
        count("sekisho_audit_durable_failures", DURABLE_FAILURES);
    }

    public void auditDropped() {
        count("sekisho_audit_dropped_records", "Audit records lost because the queue was full or the writer failed");
    }

    public void assertionSigned() {
        count("sekisho_assertion_signatures", "Identity assertions signed (cache misses)");
    }

    /** The forward proxy's series. */
    public BreakoutMetrics breakout() {
        return breakout;
    }

    /** Exports each allowlist entry's ISMAP expiry, read from the serving policy at each scrape. */
    public void ismapExpiry(java.util.function.Supplier<jp.sekisho.policy.breakout.BreakoutPolicy> policy,
                            java.time.Clock clock) {
        BreakoutMetrics.ismapExpiry(registry, policy, clock);
    }

    /** The series of the syslog audit sink (at 0 when none is configured). */
    public AuditSinkMetrics syslogSink() {
        return syslogSink;
    }

    /** The series of the PostgreSQL audit sink (at 0 when none is configured). */
    public AuditSinkMetrics postgresqlSink() {
        return postgresqlSink;
    }

    /** Registers a gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private void count(String name, String description, String... tags) {
        register(name, description, tags).increment();
    }

    private Counter register(String name, String description, String... tags) {
        // A record over the name and the caller's own tag array: no string built per call.
        return simpleCounters.computeIfAbsent(new CounterKey(name, Arrays.asList(tags)),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private record CounterKey(String name, List<String> tags) {
    }
}
