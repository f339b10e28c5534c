package jp.sekisho.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a replica hears of the others' changes: {@code LISTEN} on one connection of its own,
 * reconnected for as long as the store is open. Writers {@link #notify notify} in their
 * transaction, so the news goes out on commit and never for a rolled-back change.
 *
 * <p>One channel serves every schema of the database (tests run many side by side, and a
 * channel name cannot hold a long schema name whole), so the payload is {@code schema:topic}
 * and other schemas' news is ignored. Notifications sent while the connection was down are
 * lost: after each reconnect every topic is announced, and listeners re-read.
 *
 * <p>A connection can die without a word (a firewall forgetting it, a host lost): a periodic
 * ping that goes unanswered closes it, which reconnects.
 */
final class PostgresChanges {

    static final String CHANNEL = "sekisho_changes";
    private static final Logger LOG = Logger.getLogger(PostgresChanges.class.getName());
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 2_000;

    private final Vertx vertx;
    private final PgSubscriber subscriber;
    private final PostgresHealth health;
    private final Consumer<StoreTopic> listener;
    private final long pingMillis;
    private volatile String schema;
    private volatile boolean subscribedOnce;
    private volatile boolean closed;
    private long pinger = -1;

    /** @param ping how often the listening connection must answer, and how long it may take */
    PostgresChanges(Vertx vertx, PgConnectOptions options, PostgresHealth health, Consumer<StoreTopic> listener,
                    Duration ping) {
        this.vertx = vertx;
        this.pingMillis = ping.toMillis();
        this.health = health;
        this.listener = listener;
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(this::retryAfter);
    }

    /** Sends {@code topic}'s news to every replica of this schema once the transaction commits. */
    static Future<Void> notify(SqlConnection transaction, StoreTopic topic) {
        return transaction.query("select pg_notify('" + CHANNEL + "', current_schema() || ':" + code(topic) + "')")
                .execute().mapEmpty();
    }

    /** Listens to {@code schema}'s news; completes once listening. */
    synchronized Future<Void> start(String schema) {
        if (closed) {
            return Future.failedFuture("the store was closed");
        }
        this.schema = schema;
        PgChannel channel = subscriber.channel(CHANNEL);
        channel.subscribeHandler(v -> subscribed());
        channel.handler(this::received);
        pinger = vertx.setPeriodic(pingMillis, id -> ping());
        return subscriber.connect();
    }

    synchronized Future<Void> close() {
        closed = true;
        if (pinger >= 0) {
            vertx.cancelTimer(pinger);
        }
        return subscriber.close();
    }

    /** Called on every (re)connect, once {@code LISTEN} took effect. */
    private void subscribed() {
        health.listening(true, null);
        if (subscribedOnce) {
            LOG.info("listening to the policy store's changes again; every replica's state is re-read");
            for (StoreTopic topic : StoreTopic.values()) {
                listener.accept(topic); // what was notified while away is lost
            }
        }
        subscribedOnce = true;
    }

    private void received(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon < 0 || !payload.substring(0, colon).equals(schema)) {
            return; // another schema's news
        }
        String code = payload.substring(colon + 1);
        for (StoreTopic topic : StoreTopic.values()) {
            if (code(topic).equals(code)) {
                listener.accept(topic);
            }
        }
    }

    /** The subscriber's reconnect policy: called when the connection drops, and after each failed attempt. */
    private long retryAfter(int attempt) {
        if (closed) {
            return -1;
        }
        health.listening(false, attempt == 0 ? "the connection that listens for changes was lost"
                : "cannot reconnect to listen for changes (attempt " + attempt + ")");
        return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(attempt, 10));
    }

    private void ping() {
        PgConnection connection = subscriber.actualConnection();
        if (connection == null || closed) {
            return;
        }
        connection.query("select 1").execute().timeout(pingMillis, TimeUnit.MILLISECONDS).onComplete(
                ok -> health.queried(null), // the database answers: a failed query before is over
                e -> {
                    LOG.log(Level.FINE, "the connection that listens for changes did not answer; reconnecting", e);
                    connection.close(); // the subscriber reconnects
                });
    }

    private static String code(StoreTopic topic) {
        return topic.name().toLowerCase(Locale.ROOT);
    }
}
