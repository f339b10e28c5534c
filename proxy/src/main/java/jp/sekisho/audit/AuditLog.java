package jp.sekisho.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * Appends one JSON line per request to the access log, on its own thread.
 *
 * <p>The event loop only offers a record to a bounded queue; when the queue is full the record
 * is dropped and counted ({@code sekisho_audit_dropped_records_total}, which must stay 0), never
 * blocking a request. This is the first cut of the audit trail: the hash chain, signed
 * checkpoints and the strict (durable before forwarding) mode grow from here.
 */
public final class AuditLog implements AccessLog, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int BATCH = 512;

    private final BlockingQueue<AuditEntry> queue;
    private final AccessRecordJson json;
    private final BufferedWriter out;
    private final ProxyMetrics metrics;
    private final Thread writer;
    private volatile boolean closing;

    public AuditLog(Path file, int capacity, ZoneId zone, ProxyMetrics metrics) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 64 * 1024);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.json = new AccessRecordJson(zone);
        this.metrics = metrics;
        metrics.gauge("sekisho_audit_queue_depth", "Audit records waiting to be written", queue::size);
        this.writer = new Thread(this::run, "sekisho-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues a record; never blocks. */
    @Override
    public void append(AccessRecord record) {
        offer(record);
    }

    /** Queues an operator's action, waiting up to five seconds for room. Blocking. */
    @Override
    public void append(AdminRecord record) {
        try {
            if (!closing && queue.offer(record, 5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.auditDropped();
        LOG.severe("audit record of operator action " + record.id() + " (" + record.action() + " "
                + record.targetKind() + " " + record.target() + " by " + record.operator() + ") was not queued");
    }

    private void offer(AuditEntry entry) {
        if (closing || !queue.offer(entry)) {
            metrics.auditDropped();
        }
    }

    private void run() {
        List<AuditEntry> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<AuditEntry> batch) {
        long start = System.nanoTime();
        for (AuditEntry record : batch) {
            try {
                json.write(record, out);
            } catch (IOException | RuntimeException e) {
                metrics.auditDropped();
                LOG.log(Level.SEVERE, "audit record " + record.id() + " not written: " + e.getMessage());
            }
        }
        try {
            out.flush();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "audit log flush failed: " + e.getMessage());
        }
        metrics.auditWrite(System.nanoTime() - start);
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.close();
    }
}
