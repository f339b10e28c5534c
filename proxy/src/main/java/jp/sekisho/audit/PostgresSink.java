package jp.sekisho.audit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.metrics.AuditSinkMetrics;

/**
 * Copies the audit trail, live, into PostgreSQL for auditors' queries: every record as a row of
 * the monthly-partitioned {@code sekisho_audit} ({@link PostgresAuditSchema}), on its own thread.
 *
 * <p>As for {@link SyslogSink}, the segment files are the queue ({@link TrailFollower}). The
 * cursor lives in the database, one row per {@code instance} in {@code sekisho_audit_cursor},
 * and each batch is inserted and the cursor moved in one transaction: a batch is in the table
 * exactly once, whatever fails when. While the database is away the sink retries with backoff
 * (1 s doubling to 30 s) and resumes at the cursor it reads back; requests never wait for it.
 */
public final class PostgresSink {

    private static final Logger LOG = Logger.getLogger(PostgresSink.class.getName());
    private static final int BATCH = 500;
    private static final long POLL_MS = 200;
    private static final long TIMEOUT_MS = 30_000;
    private static final String MOVE_CURSOR = "update sekisho_audit_cursor set seq = $2, updated_at = now()"
            + " where instance = $1 and seq = $3";

    /**
     * @param instance      whose trail this is (each replica has its own seq)
     * @param startAtOldest where to begin without a cursor row: the oldest record on disk, or the next one written
     */
    public record Settings(PgConnectOptions connect, String instance, boolean startAtOldest,
                           Duration firstBackoff, Duration maxBackoff) {

        public Settings(PgConnectOptions connect, String instance, boolean startAtOldest) {
            this(connect, instance, startAtOldest, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    private final Vertx vertx;
    private final LongSupplier writtenSeq;
    private final Settings settings;
    private final AuditSinkMetrics metrics;
    private final TrailFollower follower;
    private final PostgresAuditSchema schema = new PostgresAuditSchema(TIMEOUT_MS);
    private final long startWithout; // the cursor to begin with when the database has none
    private final Object wake = new Object();
    private final Thread thread;
    private volatile long delivered;
    private volatile boolean stopping;
    private volatile PgConnection connection;

    /**
     * @param auditDir   the trail's directory
     * @param writtenSeq the last record written whole ({@link AuditLog#writtenSeq}): the sink never reads past it
     */
    public PostgresSink(Vertx vertx, Path auditDir, LongSupplier writtenSeq, Settings settings,
                        AuditSinkMetrics metrics) {
        this.vertx = vertx;
        this.writtenSeq = writtenSeq;
        this.settings = settings;
        this.metrics = metrics;
        this.follower = new TrailFollower(auditDir);
        this.startWithout = settings.startAtOldest() ? 0 : writtenSeq.getAsLong();
        this.delivered = startWithout; // until the database says where it stands
        metrics.track(() -> Math.max(0, writtenSeq.getAsLong() - delivered));
        this.thread = new Thread(this::run, "sekisho-audit-postgresql");
        this.thread.setDaemon(true);
    }

    /**
     * The sink's connection settings from a configured URL, which must not hold the password, and
     * the file that does (null: no password). Blocking.
     */
    public static PgConnectOptions connectOptions(String url, Path passwordFile) throws IOException {
        return connectOptions(url, passwordFile, "sekisho-audit-sink");
    }

    /**
     * As {@link #connectOptions(String, Path)}, naming the connections {@code applicationName} in
     * {@code pg_stat_activity} unless the URL names them. Blocking.
     */
    public static PgConnectOptions connectOptions(String url, Path passwordFile, String applicationName)
            throws IOException {
        String userInfo = URI.create(url).getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("the URL holds a password: put it in a passwordFile instead");
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        if (passwordFile != null) {
            options.setPassword(Files.readString(passwordFile, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", ""));
        }
        if ("vertx-pg-client".equals(options.getProperties().get("application_name"))) {
            options.addProperty("application_name", applicationName);
        }
        return options;
    }

    /** Starts copying. */
    public PostgresSink start() {
        thread.start();
        LOG.info("audit records go to PostgreSQL at " + where() + " as instance " + settings.instance());
        return this;
    }

    /** The seq of the last record committed to the database. */
    public long deliveredSeq() {
        return delivered;
    }

    /**
     * Copies what the trail holds now if the database takes it within {@code grace}, then stops;
     * whatever is left goes after the next start. Blocking, at most about {@code grace}.
     */
    public void stop(Duration grace) {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(Math.max(1, grace.toMillis()));
            if (thread.isAlive()) {
                PgConnection open = connection;
                if (open != null) {
                    open.close(); // an uncommitted batch rolls back: it goes after the next start
                }
                thread.interrupt();
                thread.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration backoff = settings.firstBackoff();
        boolean failing = false;
        while (!stopping || writtenSeq.getAsLong() > delivered) {
            PgConnection open = null;
            try {
                open = schema.await(PgConnection.connect(vertx, settings.connect()));
                connection = open;
                schema.migrate(open);
                resume(open);
                metrics.connected(true);
                if (failing) {
                    LOG.info("PostgreSQL at " + where() + " reached again; resuming after seq " + delivered);
                }
                failing = false;
                backoff = settings.firstBackoff();
                deliver(open);
                return;
            } catch (Exception e) {
                metrics.error();
                LOG.log(failing ? Level.FINE : Level.WARNING, "audit records cannot go to PostgreSQL at " + where()
                        + " (retrying; nothing is lost): " + e);
                failing = true;
            } finally {
                connection = null;
                metrics.connected(false);
                if (open != null) {
                    open.close();
                }
            }
            if (stopping) {
                return; // the database is away: the rest goes after the next start
            }
            pause(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    /** Reads this instance's cursor back (making it on the first run) and seeks the trail after it. */
    private void resume(PgConnection open) throws Exception {
        schema.await(open.preparedQuery("insert into sekisho_audit_cursor (instance, seq, updated_at)"
                + " values ($1, $2, now()) on conflict (instance) do nothing")
                .execute(Tuple.of(settings.instance(), startWithout)));
        RowSet<Row> rows = schema.await(open.preparedQuery("select seq from sekisho_audit_cursor where instance = $1")
                .execute(Tuple.of(settings.instance())));
        delivered = rows.iterator().next().getLong(0);
        if (delivered > writtenSeq.getAsLong()) {
            LOG.warning("the PostgreSQL cursor of " + settings.instance() + " (" + delivered + ") is beyond the audit"
                    + " trail (" + writtenSeq.getAsLong() + "): was the trail replaced? Records up to it are not copied");
        }
        follower.seek(delivered + 1);
    }

    /** Copies records as they are written until stopped; throws when the database fails. */
    private void deliver(PgConnection open) throws Exception {
        while (true) {
            List<TrailFollower.Line> lines = follower.next(writtenSeq.getAsLong(), BATCH);
            if (lines.isEmpty()) {
                if (stopping) {
                    return; // all that was written is in the table
                }
                pause(POLL_MS);
                continue;
            }
            List<Tuple> tuples = new ArrayList<>(lines.size());
            for (TrailFollower.Line line : lines) {
                PostgresAuditRow row = PostgresAuditRow.of(line);
                schema.ensurePartition(open, row.month()); // outside the batch: it locks the parent table
                tuples.add(row.tuple(settings.instance()));
            }
            long last = lines.get(lines.size() - 1).seq();
            commit(open, tuples, last);
            metrics.delivered(lines.size());
            delivered = last;
        }
    }

    /** Inserts a batch and moves the cursor over it, together or not at all. */
    private void commit(PgConnection open, List<Tuple> tuples, long last) throws Exception {
        Transaction tx = schema.await(open.begin());
        try {
            schema.await(open.preparedQuery(PostgresAuditRow.INSERT).executeBatch(tuples));
            RowSet<Row> moved = schema.await(open.preparedQuery(MOVE_CURSOR)
                    .execute(Tuple.of(settings.instance(), last, delivered)));
            if (moved.rowCount() != 1) {
                throw new IOException("the cursor of instance " + settings.instance()
                        + " moved under this sink: is another Sekisho using the same instance name?");
            }
            schema.await(tx.commit());
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
    }

    private String where() {
        PgConnectOptions c = settings.connect();
        return c.getHost() + ":" + c.getPort() + "/" + c.getDatabase();
    }

    private void pause(long millis) {
        synchronized (wake) {
            if (stopping) {
                return;
            }
            try {
                wake.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
