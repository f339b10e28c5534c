package jp.sekisho.management;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import jp.sekisho.session.Revocations;
import java.util.List;
import java.util.function.BooleanSupplier;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.device.QuarantineActions;
import jp.sekisho.gateway.GatewayHandler;
import jp.sekisho.identity.IssuerKeys;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.store.StoreStatus;

/**
 * The operators' listener, kept off the staff network: Prometheus metrics, liveness, readiness
 * with detail, and the assertion keys.
 */
public final class ManagementServer {

    private final Vertx vertx;
    private final ProxyMetrics metrics;
    private final PolicyReloader policy;
    private final List<IssuerKeys> issuers;
    private final String jwksJson;
    private final Revocations revocations; // null without browser sign-in
    private final Clock clock;
    private final QuarantineActions quarantine;
    private final java.util.function.Supplier<JsonArray> tlsStatus;
    private final BooleanSupplier draining;

    public ManagementServer(Vertx vertx, ProxyMetrics metrics, PolicyReloader policy, List<IssuerKeys> issuers,
                            String jwksJson, Revocations revocations, Clock clock, QuarantineActions quarantine,
                            java.util.function.Supplier<JsonArray> tlsStatus, BooleanSupplier draining) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.policy = policy;
        this.issuers = List.copyOf(issuers);
        this.jwksJson = jwksJson;
        this.revocations = revocations;
        this.clock = clock;
        this.quarantine = quarantine;
        this.tlsStatus = tlsStatus;
        this.draining = draining;
    }

    /** @param tls makes the listener HTTPS, or does nothing */
    public Future<HttpServer> listen(String host, int port, java.util.function.Consumer<HttpServerOptions> tls) {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/healthz").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json").end("{\"status\":\"alive\"}"));
        router.get("/readyz").handler(ctx -> {
            JsonObject readiness = readiness();
            ctx.response().setStatusCode(readiness.getBoolean("ready") ? 200 : 503)
                    .putHeader("content-type", "application/json").end(readiness.encodePrettily());
        });
        router.get(GatewayHandler.JWKS_PATH).handler(ctx -> ctx.response()
                .putHeader("content-type", "application/jwk-set+json").end(jwksJson));
        if (revocations != null) {
            router.post("/sessions/revoke").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::revoke);
        }
        new QuarantineApi(quarantine).mount(router);
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        tls.accept(options);
        return vertx.createHttpServer(options)
                .requestHandler(router).listen(port, host);
    }

    /**
     * Ends browser sessions at once: {@code {"sessionId": "..."}} for one session, or
     * {@code {"issuer": "...", "subject": "..."}} for every session of a user.
     */
    private void revoke(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        JsonObject request = body;
        if (request == null || (request.getString("sessionId") == null
                && (request.getString("issuer") == null || request.getString("subject") == null))) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end("{\"error\":\"give sessionId, or issuer and subject\"}");
            return;
        }
        Future<Void> revoked = request.getString("sessionId") != null
                ? revocations.revokeSession(request.getString("sessionId"), clock.instant().plus(Duration.ofDays(7)))
                : revocations.revokeUser(request.getString("issuer"), request.getString("subject"), clock.instant());
        revoked.onComplete(ar -> ctx.response().setStatusCode(ar.succeeded() ? 200 : 500)
                .putHeader("content-type", "application/json")
                .end(ar.succeeded() ? "{\"revoked\":true}" : "{\"error\":\"not saved\"}"));
    }

    /** Ready when a policy is compiled and every issuer's keys are loaded. */
    JsonObject readiness() {
        boolean ready = true;
        JsonArray issuerStates = new JsonArray();
        for (IssuerKeys keys : issuers) {
            ready &= keys.loaded();
            issuerStates.add(new JsonObject().put("id", keys.issuerId()).put("keysLoaded", keys.loaded())
                    .put("lastRefresh", keys.lastSuccess() == null ? null : keys.lastSuccess().toString()));
        }
        PolicyReloader.LastAttempt last = policy.lastAttempt();
        boolean stopping = draining.getAsBoolean();
        StoreStatus store = policy.store().status();
        return new JsonObject()
                .put("ready", ready && !stopping)
                .put("draining", stopping)
                // A replica cut off from a shared store keeps serving its last good policy: degraded, not unready.
                .put("degraded", !store.connected())
                .put("policyVersion", policy.get().version())
                .put("policyStore", new JsonObject().put("kind", store.kind()).put("connected", store.connected())
                        .put("since", store.since().toString()).put("lastError", store.lastError().orElse(null)))
                .put("issuers", issuerStates)
                .put("tls", tlsStatus.get())
                .put("lastReload", new JsonObject().put("at", last.at().toString())
                        .put("succeeded", last.succeeded()).put("errors", new JsonArray(last.errors())));
    }
}
