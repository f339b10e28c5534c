package jp.sekisho.gateway;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * What one client may hold of the staff listener: a bounded number of connections, and a
 * deadline for each request head. A connection that opens and then dribbles its head byte by
 * byte (slowloris) is closed when its deadline passes, whatever the idle timeout would allow;
 * so is one that waits too long between kept-alive requests.
 *
 * <p>It also holds the deadline of every request still being checked: one whose checks do not
 * finish in time is refused, and is never forwarded afterwards.
 */
public final class ConnectionGuard {

    /** Per connection: when its pending request head is due (0 when none is pending), and its place in the limit. */
    private static final class State {
        volatile long dueNanos;
        final boolean overLimit;

        State(boolean overLimit, long dueNanos) {
            this.overLimit = overLimit;
            this.dueNanos = dueNanos;
        }
    }

    /** How often deadlines are checked: one sweep for every connection, not a timer per request. */
    private static final long SWEEP_MS = 250;

    private final Vertx vertx;
    private final SekishoConfig.Limits limits;
    private final ProxyMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();
    private final Map<Object, Pending> undecided = new ConcurrentHashMap<>();
    private final long sweeper;
    private volatile boolean draining;

    public ConnectionGuard(Vertx vertx, SekishoConfig.Limits limits, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.limits = limits;
        this.metrics = metrics;
        metrics.gauge("sekisho_connections_open", "Connections open on the staff listener", open::get);
        this.sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }

    /** For {@code HttpServer.connectionHandler}: counts the connection and starts its first head deadline. */
    public Handler<HttpConnection> onConnection() {
        return connection -> {
            connections.put(connection, new State(open.incrementAndGet() > limits.maxConnections(),
                    due(limits.requestHeadTimeoutSeconds())));
            connection.closeHandler(v -> {
                open.decrementAndGet();
                connections.remove(connection);
            });
        };
    }

    /**
     * A request head arrived: its deadline is met. False when the connection is over the
     * listener's limit (the request is then refused with 503).
     */
    public boolean admit(HttpServerRequest request) {
        State state = connections.get(request.connection());
        if (state == null) {
            return true;
        }
        state.dueNanos = 0;
        return !state.overLimit;
    }

    /** The request's response is done: the next head on this HTTP/1.x connection has a deadline too. */
    public void requestDone(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2 || request.canUpgradeToWebSocket()) {
            return; // HTTP/2 multiplexes; a WebSocket is no longer a request stream
        }
        State state = connections.get(request.connection());
        if (state != null) {
            state.dueNanos = due(limits.keepAliveTimeoutSeconds());
        }
    }

    /** A request still being checked: when it is due, where it lives, and how it is refused. */
    private record Pending(long dueNanos, Context context, Runnable refuse) {
    }

    /**
     * Starts the processing deadline of {@code request} (any key, used by identity); called on
     * the request's event loop. When it passes before {@link #decided}, {@code refuse} runs there.
     */
    public void awaitDecision(Object request, Runnable refuse) {
        undecided.put(request, new Pending(due(limits.processingTimeoutSeconds()), vertx.getOrCreateContext(),
                refuse));
    }

    /**
     * The request was handed on (to its upstream) or answered. False when its deadline had
     * already passed: it is being refused, and must not be forwarded.
     */
    public boolean decided(Object request) {
        return undecided.remove(request) != null;
    }

    public void stop() {
        vertx.cancelTimer(sweeper);
    }

    /** The process is stopping: from now on HTTP/1.x clients are asked to reconnect, elsewhere if they can. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * While draining, tells an HTTP/1.x client not to reuse the connection, so that it opens its
     * next one to a replica that stays (HTTP/2 clients get GOAWAY when the listener shuts down).
     */
    void closeAfterResponseIfDraining(HttpServerRequest request, MultiMap responseHeaders) {
        if (draining && request.version() != HttpVersion.HTTP_2) {
            responseHeaders.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        connections.forEach((connection, state) -> {
            long due = state.dueNanos;
            if (due != 0 && now - due > 0) {
                state.dueNanos = 0;
                metrics.connectionClosed("request-head-timeout");
                connection.close();
            }
        });
        undecided.forEach((request, pending) -> {
            if (now - pending.dueNanos > 0 && undecided.remove(request, pending)) {
                metrics.processingTimeout();
                pending.context.runOnContext(v -> pending.refuse.run());
            }
        });
    }

    private static long due(int seconds) {
        long due = System.nanoTime() + seconds * 1_000_000_000L;
        return due == 0 ? 1 : due;
    }

    /**
     * True when the request has more header fields than the listener allows, or one field
     * longer than it allows (the codec bounds only the whole section).
     */
    public boolean tooManyHeaders(HttpServerRequest request) {
        MultiMap headers = request.headers();
        if (headers.size() > limits.maxHeaders()) {
            return true;
        }
        int max = limits.maxHeaderBytes();
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().length() + header.getValue().length() > max) {
                return true;
            }
        }
        return false;
    }

    /** True when the request announces a body longer than the listener allows. */
    public boolean bodyTooLarge(HttpServerRequest request) {
        return announcesMoreThan(request, limits.maxBodyBytes());
    }

    /** True when the request's Content-Length announces more than {@code max} bytes. */
    public boolean announcesMoreThan(HttpServerRequest request, long max) {
        String length = request.getHeader(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return true; // the codec lets only digits through; anything else is not ours to guess
        }
    }

    /** The most body bytes one request may stream. */
    public long maxBodyBytes() {
        return limits.maxBodyBytes();
    }

    /**
     * For {@code HttpServer.invalidRequestHandler}: a request the HTTP codec could not read
     * (line or header section too long, bad syntax) is counted with its reason, then answered
     * as Vert.x does (414, 431 or 400) and its connection closed.
     */
    public Handler<HttpServerRequest> onInvalidRequest() {
        return request -> {
            Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
            String reason = cause instanceof io.netty.handler.codec.TooLongFrameException tooLong
                    ? (tooLong.getMessage() != null && tooLong.getMessage().contains("header")
                            ? "request-headers-too-large" : "request-line-too-long")
                    : "request-invalid";
            metrics.connectionClosed(reason);
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        };
    }

}
