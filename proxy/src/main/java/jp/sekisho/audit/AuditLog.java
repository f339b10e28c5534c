package jp.sekisho.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * Appends the audit trail on its own thread: records are chained, signed at checkpoints and
 * rotated by {@link ChainedSegments}.
 *
 * <p>The event loop only offers a record to a bounded queue. In {@code batched} mode a record
 * that finds the queue full is dropped and counted ({@code sekisho_audit_dropped_records_total},
 * which must stay 0), never blocking a request. In {@code strict} mode the gateway also asks for
 * each allowed request's decision record to be {@link #durable durable} before forwarding: the
 * writer commits whatever is queued with one fsync (group commit), then answers every waiter;
 * a write that fails fails them, and those requests are refused rather than served unaudited.
 */
public final class AuditLog implements AccessLog, AutoCloseable {

    /** Whether forwarding waits for the decision record to reach the disk. */
    public enum Mode { BATCHED, STRICT }

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int BATCH = 512;
    /**
     * In batched mode the writer lets records gather this long after each write. Waking it for
     * every record would cost a wake-up on the event loop and a write on the disk per request;
     * a record still reaches the file within a few milliseconds.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** A queued record, and who waits for it to be durable (null: nobody). */
    private record Pending(AuditEntry entry, Promise<Void> waiter, Context context) {
    }

    private final BlockingQueue<Pending> queue;
    private final RecordEncoder encoder; // the writer thread's
    private final ChainedSegments trail;
    private final ProxyMetrics metrics;
    private final Mode mode;
    private final Thread writer;
    private volatile boolean closing;
    /** The last record on the file, published after each successful write: what readers may follow. */
    private volatile long written;

    public AuditLog(Path dir, AuditKey key, Settings settings, Clock clock, ProxyMetrics metrics) throws IOException {
        this.trail = ChainedSegments.open(dir, key, clock, settings.zone(), settings.limits());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.encoder = new RecordEncoder(new AccessRecordJson(settings.zone(), settings.queryNames(), settings.tenant()));
        this.metrics = metrics;
        this.mode = settings.mode();
        this.written = trail.lastSeq();
        metrics.gauge("sekisho_audit_queue_depth", "Audit records waiting to be written", queue::size);
        this.writer = new Thread(this::run, "sekisho-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** How the trail is kept. */
    /**
     * @param queryNames record query parameter names (values masked) rather than drop the query string
     * @param tenant     the 団体コード written into every record, empty for none
     */
    public record Settings(Mode mode, int queueCapacity, ZoneId zone, ChainedSegments.Limits limits,
                           boolean queryNames, String tenant) {
    }

    @Override
    public boolean durableBeforeForwarding() {
        return mode == Mode.STRICT;
    }

    /** Queues a record; never blocks. */
    @Override
    public void append(AccessRecord record) {
        if (closing || !queue.offer(new Pending(record, null, null))) {
            metrics.auditDropped();
        }
    }

    /** Queues a forward-proxy record; never blocks. */
    @Override
    public void append(BreakoutRecord record) {
        if (closing || !queue.offer(new Pending(record, null, null))) {
            metrics.auditDropped();
        }
    }

    /** Queues an operator's action, waiting up to five seconds for room. Blocking. */
    @Override
    public void append(AdminRecord record) {
        try {
            if (!closing && queue.offer(new Pending(record, null, null), 5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.auditDropped();
        LOG.severe("audit record of operator action " + record.id() + " (" + record.action() + " "
                + record.targetKind() + " " + record.target() + " by " + record.operator() + ") was not queued");
    }

    /**
     * Writes {@code record} and completes, on the caller's context, once it is on the disk.
     * Fails when the queue is full or the write fails: the caller must then not go on.
     */
    @Override
    public Future<Void> durable(DecisionRecord record) {
        Context context = Vertx.currentContext();
        Promise<Void> waiter = Promise.promise();
        if (closing || !queue.offer(new Pending(record, waiter, context))) {
            metrics.auditDurableFailure();
            return Future.failedFuture(new IOException("the audit queue is full"));
        }
        return waiter.future();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    boolean waited = writeBatch(batch);
                    if (mode == Mode.BATCHED && !waited && batch.size() < BATCH && !closing) {
                        // Sleeping, not waiting on the queue: an offer meanwhile wakes nobody.
                        LockSupport.parkNanos(LINGER_NANOS);
                    }
                }
                trail.checkpointIfDue();
                written = trail.lastSeq();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "audit checkpoint failed: " + e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes the batch; true when somebody waited for it to be durable. */
    private boolean writeBatch(List<Pending> batch) {
        long start = System.nanoTime();
        boolean durable = mode == Mode.STRICT;
        try {
            trail.mark();
            for (Pending pending : batch) {
                trail.append(encoder.encode(pending.entry()));
                durable |= pending.waiter() != null;
            }
            trail.flush(durable);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "audit records not written (" + batch.size() + "): " + e.getMessage());
            trail.rollback();
            for (Pending pending : batch) {
                if (pending.waiter() != null) {
                    metrics.auditDurableFailure();
                    pending.context().runOnContext(v -> pending.waiter().fail(e));
                } else {
                    metrics.auditDropped();
                }
            }
            return durable;
        }
        metrics.auditWrite(System.nanoTime() - start);
        for (Pending pending : batch) {
            if (pending.waiter() != null) {
                pending.context().runOnContext(v -> pending.waiter().complete());
            }
        }
        return durable;
    }

    /** Writes what is queued, signs a last checkpoint, then closes the file. */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trail.close();
        written = trail.lastSeq();
    }

    /**
     * The sequence number of the last record written whole to the segment files. A record
     * beyond it may still be rolled back after a failed write, so live sinks stop here.
     */
    public long writtenSeq() {
        return written;
    }
}
