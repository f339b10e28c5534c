package jp.sekisho.breakout;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * Relays bytes both ways between a client's tunnel and its destination, counting them, with
 * backpressure (a slow reader pauses the other side), an idle timeout and a total lifetime.
 * Either side ending ends both: HTTPS ends with TLS's own close, so nothing is lost that the
 * endpoints still wanted. Runs on one event loop: the one both sockets belong to.
 */
final class Tunnel {

    /** How a tunnel ended, and what it carried. */
    record Result(long bytesUp, long bytesDown, String closedBy) {
    }

    static final String CLIENT = "client";
    static final String DESTINATION = "destination";
    static final String IDLE_TIMEOUT = "idle-timeout";
    static final String MAX_DURATION = "max-duration";
    static final String QUARANTINE = "quarantine";
    static final String ERROR = "error";

    private final Vertx vertx;
    private final NetSocket client;
    private final NetSocket destination;
    private final long idleNanos;
    private final Duration maxDuration;
    private final Handler<Result> onClosed;
    private long bytesUp;
    private long bytesDown;
    private long lastActivity;
    private long idleTimer = -1;
    private long lifetimeTimer = -1;
    private boolean closed;

    Tunnel(Vertx vertx, NetSocket client, NetSocket destination, Duration idleTimeout, Duration maxDuration,
           Handler<Result> onClosed) {
        this.vertx = vertx;
        this.client = client;
        this.destination = destination;
        this.idleNanos = idleTimeout.toNanos();
        this.maxDuration = maxDuration;
        this.onClosed = onClosed;
    }

    /**
     * Starts relaying.
     *
     * @param toClient bytes already read from the destination (after a parent proxy's answer), sent first
     */
    void start(Buffer toClient) {
        lastActivity = System.nanoTime();
        if (toClient != null && toClient.length() > 0) {
            bytesDown += toClient.length();
            client.write(toClient);
        }
        client.handler(data -> {
            bytesUp += data.length();
            relay(data, client, destination);
        });
        destination.handler(data -> {
            bytesDown += data.length();
            relay(data, destination, client);
        });
        client.endHandler(v -> close(CLIENT));
        destination.endHandler(v -> close(DESTINATION));
        client.closeHandler(v -> close(CLIENT));
        destination.closeHandler(v -> close(DESTINATION));
        client.exceptionHandler(e -> close(ERROR));
        destination.exceptionHandler(e -> close(ERROR));
        idleTimer = vertx.setTimer(Math.max(1, idleNanos / 1_000_000), id -> checkIdle());
        lifetimeTimer = vertx.setTimer(Math.max(1, maxDuration.toMillis()), id -> close(MAX_DURATION));
        client.resume();
        destination.resume();
    }

    private void relay(Buffer data, NetSocket from, NetSocket to) {
        lastActivity = System.nanoTime();
        to.write(data);
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    /** The idle timer fires once per timeout and re-arms for what is left since the last byte. */
    private void checkIdle() {
        if (closed) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= idleNanos) {
            close(IDLE_TIMEOUT);
        } else {
            idleTimer = vertx.setTimer(Math.max(1, (idleNanos - idle) / 1_000_000), id -> checkIdle());
        }
    }

    /** Ends both sides (flushing what is queued) and reports once. */
    void close(String closedBy) {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(idleTimer);
        vertx.cancelTimer(lifetimeTimer);
        client.end();
        destination.end();
        onClosed.handle(new Result(bytesUp, bytesDown, closedBy));
    }
}
