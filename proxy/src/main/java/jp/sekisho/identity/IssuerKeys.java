package jp.sekisho.identity;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * The signing keys of one issuer: found by OpenID discovery (or a configured JWKS URL),
 * fetched asynchronously, refreshed in the background, and refetched at a bounded rate when a
 * token names an unknown key. When the IdP is unreachable the last good keys keep serving.
 *
 * <p>All fetching runs on one Vert.x context of its own, whoever asks: an HTTP response must
 * get its body handler on the event loop that receives it, and the fetch state needs no locks.
 */
public final class IssuerKeys {

    private static final Logger LOG = Logger.getLogger(IssuerKeys.class.getName());
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    private static final long RETRY_AFTER_FAILURE_MS = 5_000;

    private final Vertx vertx;
    private final HttpClient client;
    private final SekishoConfig.Issuer config;
    private final Clock clock;
    private final ProxyMetrics metrics;

    private final Context context;
    private volatile JWKSet keys;
    private volatile JsonObject discovery = new JsonObject();
    private volatile Instant lastSuccess;
    // confined to the context:
    private Future<JWKSet> inFlight;
    private Instant lastAttempt = Instant.EPOCH;
    private long timerId = -1;
    private boolean stopped;

    public IssuerKeys(Vertx vertx, HttpClient client, SekishoConfig.Issuer config, Clock clock,
                      ProxyMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.context = vertx.getOrCreateContext();
        metrics.jwksLastSuccess(config.id(), () -> lastSuccess == null ? 0 : lastSuccess.getEpochSecond());
    }

    /** The current key set, or null before the first successful fetch. */
    public JWKSet current() {
        return keys;
    }

    public boolean loaded() {
        return keys != null;
    }

    /** An endpoint from the issuer's discovery document (e.g. {@code authorization_endpoint}), if known. */
    public String endpoint(String name) {
        return discovery.getString(name);
    }

    public String issuerId() {
        return config.id();
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Fetches now and then every refresh interval; after a failure, retries sooner. */
    public Future<JWKSet> start() {
        return onContext(() -> refresh().onComplete(this::scheduleNext));
    }

    public void stop() {
        context.runOnContext(v -> {
            stopped = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
        });
    }

    private void scheduleNext(AsyncResult<JWKSet> last) {
        if (!stopped) {
            long delay = last.succeeded() ? config.jwksRefreshSeconds() * 1000L : RETRY_AFTER_FAILURE_MS;
            timerId = vertx.setTimer(delay, id -> refresh().onComplete(this::scheduleNext));
        }
    }

    /** Runs {@code work} on this issuer's context, from any thread. */
    private <T> Future<T> onContext(Supplier<Future<T>> work) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }

    /**
     * Refetches because a token named a key we do not have, at most once per
     * {@code jwksMinRefetchSeconds}: a flood of tokens with invented key ids costs the IdP nothing.
     */
    public Future<JWKSet> refetchForUnknownKey() {
        return onContext(this::refetchIfDue);
    }

    private Future<JWKSet> refetchIfDue() {
        if (inFlight != null) {
            return inFlight;
        }
        Duration since = Duration.between(lastAttempt, clock.instant());
        if (since.getSeconds() < config.jwksMinRefetchSeconds()) {
            metrics.jwksRefresh(config.id(), "rate-limited");
            return Future.succeededFuture(keys);
        }
        return refresh();
    }

    private Future<JWKSet> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        lastAttempt = clock.instant();
        Future<String> jwksUri = config.jwksUri() != null
                ? Future.succeededFuture(config.jwksUri()) : discoverJwksUri();
        Future<JWKSet> fetch = jwksUri.compose(this::get).compose(body -> {
            try {
                JWKSet set = JWKSet.parse(body.toString()).toPublicJWKSet();
                if (set.getKeys().isEmpty()) {
                    return Future.failedFuture("the key set is empty");
                }
                return Future.succeededFuture(set);
            } catch (ParseException e) {
                return Future.failedFuture("the key set is not a JWKS: " + e.getMessage());
            }
        });
        Promise<JWKSet> done = Promise.promise();
        inFlight = done.future();
        fetch.onComplete(ar -> {
            inFlight = null;
            if (ar.succeeded()) {
                keys = ar.result();
                lastSuccess = clock.instant();
                metrics.jwksRefresh(config.id(), "success");
                done.complete(keys);
            } else {
                metrics.jwksRefresh(config.id(), "failure");
                LOG.log(Level.WARNING, "issuer {0}: key refresh failed ({1}: {2}); {3}", new Object[] {config.id(),
                        ar.cause().getClass().getSimpleName(), ar.cause().getMessage(),
                        keys == null ? "no keys yet" : "keeping the last good keys"});
                if (keys == null) {
                    done.fail(ar.cause());
                } else {
                    done.complete(keys);
                }
            }
        });
        return done.future();
    }

    private Future<String> discoverJwksUri() {
        String base = config.issuer().endsWith("/") ? config.issuer().substring(0, config.issuer().length() - 1)
                : config.issuer();
        return get(base + "/.well-known/openid-configuration").compose(body -> {
            JsonObject doc;
            try {
                doc = body.toJsonObject();
            } catch (RuntimeException e) {
                return Future.failedFuture("discovery document is not JSON");
            }
            // OpenID Connect Discovery §4.3: the document must name exactly the issuer we trust.
            if (!config.issuer().equals(doc.getString("issuer"))) {
                return Future.failedFuture("discovery names issuer '" + doc.getString("issuer") + "', expected '"
                        + config.issuer() + "'");
            }
            discovery = doc;
            String uri = doc.getString("jwks_uri");
            return uri == null ? Future.failedFuture("discovery has no jwks_uri") : Future.succeededFuture(uri);
        });
    }

    private Future<Buffer> get(String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(10_000).addHeader("accept", "application/json");
        return client.request(options).compose(req -> req.send()).compose(this::body);
    }

    private Future<Buffer> body(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return Future.failedFuture("HTTP " + response.statusCode() + " from " + response.request().absoluteURI());
        }
        String length = response.getHeader("content-length");
        if (length != null && Long.parseLong(length) > MAX_DOCUMENT_BYTES) {
            return Future.failedFuture("document larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        return response.body().compose(b -> b.length() > MAX_DOCUMENT_BYTES
                ? Future.failedFuture("document larger than " + MAX_DOCUMENT_BYTES + " bytes")
                : Future.succeededFuture(b));
    }
}
