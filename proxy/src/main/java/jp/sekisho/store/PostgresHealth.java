package jp.sekisho.store;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Whether this replica can use the shared store now, for {@code /readyz}: it can while the
 * connection that hears other replicas' changes is up and queries do not fail for want of a
 * connection. A changed policy the replica cannot hear of is as bad as one it cannot read,
 * so either makes it degraded. Logs each change once, never the connection's password.
 */
final class PostgresHealth {

    private static final Logger LOG = Logger.getLogger(PostgresHealth.class.getName());

    private final Clock clock;
    private final String where;
    private boolean listening = true;
    private boolean reachable = true;
    private Optional<String> lastError = Optional.empty();
    private volatile StoreStatus status;

    PostgresHealth(Clock clock, String where) {
        this.clock = clock;
        this.where = where;
        this.status = new StoreStatus("postgresql", true, clock.instant(), Optional.empty());
    }

    StoreStatus status() {
        return status;
    }

    /** The connection that listens for changes went down ({@code problem}) or is up again. */
    synchronized void listening(boolean up, String problem) {
        listening = up;
        if (up) {
            reachable = true; // it has just connected: the database is there
        } else {
            lastError = Optional.of(problem);
        }
        update();
    }

    /** A query succeeded ({@code failure} null) or failed; only connection failures count. */
    synchronized void queried(Throwable failure) {
        if (failure == null) {
            reachable = true;
        } else if (isConnectionFailure(failure)) {
            reachable = false;
            lastError = Optional.of(failure.toString());
        }
        update();
    }

    private void update() {
        boolean connected = listening && reachable;
        if (connected == status.connected()) {
            return;
        }
        status = new StoreStatus("postgresql", connected, clock.instant(), connected ? Optional.empty() : lastError);
        if (connected) {
            LOG.info("the policy store in PostgreSQL at " + where + " is reachable again");
        } else {
            LOG.warning("the policy store in PostgreSQL at " + where + " is unreachable (" + lastError.orElse("?")
                    + "): this replica serves what it last read and is degraded until it reconnects");
        }
    }

    /** Not a refused statement but a missing connection: network, server shutting down, timeouts. */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DatabaseException db) {
                String state = db.getSqlState();
                return state != null && (state.startsWith("08") || state.startsWith("57P"));
            }
            if (t instanceof ClosedConnectionException || t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
