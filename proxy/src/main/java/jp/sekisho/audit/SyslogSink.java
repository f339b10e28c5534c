package jp.sekisho.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.metrics.AuditSinkMetrics;

/**
 * Copies the audit trail, live, to a syslog receiver (a SIEM): every record as one RFC 5424
 * message ({@link SyslogMessage}), in chain order, on its own thread.
 *
 * <p>The segment files are the queue. The sink follows them ({@link TrailFollower}) from a
 * cursor, the seq of the last record it delivered ({@link SinkCursor}), and moves the cursor
 * only once a batch is written and flushed to the connection. When the receiver is down or the
 * connection breaks, it retries with backoff (1 s doubling to 30 s) and resumes from the
 * cursor, so an outage delays records and loses none; requests never wait for it. Delivery is
 * at least once: a crash between sending and moving the cursor, or a connection that breaks
 * with records still in flight (those flushed in the last few seconds are sent again), repeats
 * records, which a receiver drops by their {@code seq}.
 */
public final class SyslogSink {

    private static final Logger LOG = Logger.getLogger(SyslogSink.class.getName());
    private static final int BATCH = 256;
    private static final long POLL_MS = 200;
    /** Records flushed this recently may still be in the kernel's buffers when a connection breaks. */
    private static final long RESEND_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param startAtOldest where to begin without a cursor: the oldest record on disk, or the next one written
     */
    public record Settings(SyslogReceiver receiver, int facility, String hostname, boolean startAtOldest,
                           Duration firstBackoff, Duration maxBackoff) {

        public Settings(SyslogReceiver receiver, int facility, String hostname, boolean startAtOldest) {
            this(receiver, facility, hostname, startAtOldest, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    /** A batch flushed to the connection: its first seq and when. */
    private record Sent(long firstSeq, long atNanos) {
    }

    private final LongSupplier writtenSeq;
    private final Settings settings;
    private final AuditSinkMetrics metrics;
    private final SinkCursor cursor;
    private final TrailFollower follower;
    private final SyslogMessage message;
    private final Deque<Sent> inFlight = new ArrayDeque<>();
    private final Object wake = new Object();
    private final Thread thread;
    private volatile long delivered;
    private volatile boolean stopping;
    private volatile Socket socket;
    private long resumeFrom;

    /**
     * @param auditDir   the trail's directory; the cursor is kept in its {@code .sinks} folder
     * @param writtenSeq the last record written whole ({@link AuditLog#writtenSeq}): the sink never reads past it
     */
    public SyslogSink(Path auditDir, LongSupplier writtenSeq, Settings settings, AuditSinkMetrics metrics)
            throws IOException {
        this.writtenSeq = writtenSeq;
        this.settings = settings;
        this.metrics = metrics;
        this.cursor = new SinkCursor(auditDir.resolve(".sinks").resolve("syslog.cursor"));
        this.follower = new TrailFollower(auditDir);
        this.message = new SyslogMessage(settings.facility(), settings.hostname());
        OptionalLong last = cursor.load();
        if (last.isPresent()) {
            delivered = last.getAsLong();
            if (delivered > writtenSeq.getAsLong()) {
                LOG.warning("the syslog cursor (" + delivered + ") is beyond the audit trail ("
                        + writtenSeq.getAsLong() + "): was the trail replaced? Records up to the cursor are not sent");
            }
        } else {
            delivered = settings.startAtOldest() ? 0 : writtenSeq.getAsLong();
            cursor.store(delivered);
        }
        resumeFrom = delivered + 1;
        metrics.track(() -> Math.max(0, writtenSeq.getAsLong() - delivered));
        this.thread = new Thread(this::run, "sekisho-audit-syslog");
        this.thread.setDaemon(true);
    }

    /** The facility number of a configured facility name ({@code audit}, {@code local0}…). */
    public static int facility(String name) {
        Integer number = SyslogMessage.FACILITIES.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown syslog facility: " + name);
        }
        return number;
    }

    /** Starts sending. */
    public SyslogSink start() {
        thread.start();
        LOG.info("audit records go to syslog receiver " + settings.receiver() + " from seq " + resumeFrom);
        return this;
    }

    /** The seq of the last record delivered. */
    public long deliveredSeq() {
        return delivered;
    }

    /**
     * Sends what the trail holds now if the receiver takes it within {@code grace}, then stops;
     * whatever is left goes out after the next start. Blocking, at most about {@code grace}.
     */
    public void stop(Duration grace) {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(Math.max(1, grace.toMillis()));
            if (thread.isAlive()) {
                closeQuietly(socket); // a receiver that stopped reading: unblock the write
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
            try (Socket connection = settings.receiver().connect()) {
                socket = connection;
                metrics.connected(true);
                if (failing) {
                    LOG.info("syslog receiver " + settings.receiver() + " reached again; resuming at seq " + resumeFrom);
                }
                failing = false;
                backoff = settings.firstBackoff();
                deliver(connection);
                return;
            } catch (IOException | RuntimeException e) {
                metrics.error();
                LOG.log(failing ? Level.FINE : Level.WARNING, "audit records cannot go to syslog receiver "
                        + settings.receiver() + " (retrying; nothing is lost): " + e);
                failing = true;
                rewind();
            } finally {
                socket = null;
                metrics.connected(false);
            }
            if (stopping) {
                return; // the receiver is away: the rest goes after the next start
            }
            pause(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    /** Sends records as they are written until stopped; throws when the connection fails. */
    private void deliver(Socket connection) throws IOException {
        follower.seek(resumeFrom);
        OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 64 * 1024);
        while (true) {
            // A receiver that closed the connection is noticed here, not by a later write that
            // would succeed into the kernel's buffer and be lost; what went out shortly before is resent.
            if (peerClosed(connection)) {
                throw new IOException("the receiver closed the connection");
            }
            List<TrailFollower.Line> lines = follower.next(writtenSeq.getAsLong(), BATCH);
            if (lines.isEmpty()) {
                if (stopping) {
                    return; // all that was written is delivered
                }
                pause(POLL_MS);
                continue;
            }
            for (TrailFollower.Line line : lines) {
                out.write(message.frame(line.seq(), line.text()));
            }
            out.flush();
            long lastSend = System.nanoTime();
            inFlight.addLast(new Sent(lines.get(0).seq(), lastSend));
            while (lastSend - inFlight.peekFirst().atNanos() > RESEND_WINDOW_NANOS) {
                inFlight.removeFirst();
            }
            long last = lines.get(lines.size() - 1).seq();
            resumeFrom = last + 1;
            if (last > delivered) {
                long fresh = lines.stream().filter(l -> l.seq() > delivered).count();
                cursor.store(last);
                delivered = last;
                metrics.delivered(fresh);
            }
        }
    }

    /** After a failure: send again what may not have reached the receiver. */
    private void rewind() {
        long now = System.nanoTime();
        resumeFrom = delivered + 1;
        for (Sent sent : inFlight) {
            if (now - sent.atNanos() <= RESEND_WINDOW_NANOS) {
                resumeFrom = Math.min(resumeFrom, sent.firstSeq());
                break;
            }
        }
        inFlight.clear();
    }

    /**
     * Whether the receiver closed an idle connection. Receivers send nothing back, so a read
     * that finds the end of the stream (rather than timing out) means a write would be lost.
     */
    private static boolean peerClosed(Socket connection) {
        try {
            connection.setSoTimeout(1);
            InputStream in = connection.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                connection.setSoTimeout(0);
            } catch (IOException e) {
                // the next write will tell
            }
        }
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

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
