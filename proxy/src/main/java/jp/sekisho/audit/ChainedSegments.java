package jp.sekisho.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The audit trail on disk: segment files of chained JSON lines ({@link ChainFormat}), closed by
 * a signed checkpoint when they rotate, with a signed checkpoint at least every few minutes in
 * between. On opening, a torn last record (a crash mid-write) is cut, and the cut is itself
 * recorded in the chain. Used by the audit writer thread only.
 */
public final class ChainedSegments implements Closeable {

    private static final Logger LOG = Logger.getLogger(ChainedSegments.class.getName());

    /**
     * When to start a new segment, how often to sign a checkpoint, and how long to keep closed
     * segments: {@code retention}, or for a tenant's records {@code tenantRetention} of its
     * 団体コード. A segment holding several tenants' records is kept for the longest of theirs.
     */
    public record Limits(long maxSegmentBytes, Duration maxSegmentAge, Duration checkpointEvery, Duration retention,
                         Map<String, Duration> tenantRetention) {
        public Limits {
            tenantRetention = Map.copyOf(tenantRetention);
        }

        public Limits(long maxSegmentBytes, Duration maxSegmentAge, Duration checkpointEvery, Duration retention) {
            this(maxSegmentBytes, maxSegmentAge, checkpointEvery, retention, Map.of());
        }

        public Limits(long maxSegmentBytes, Duration maxSegmentAge, Duration checkpointEvery) {
            this(maxSegmentBytes, maxSegmentAge, checkpointEvery, Duration.ofDays(366));
        }
    }

    private final Path dir;
    private final AuditKey key;
    private final Clock clock;
    private final ZoneId zone;
    private final Limits limits;
    private final MessageDigest sha256 = ChainFormat.sha256();
    private final JsonFactory json = new JsonFactory();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);

    private FileChannel channel;
    private Mark mark;
    private String segment;
    private long segmentBytes;
    private Instant segmentOpened;
    private long seq;
    private String lastHash = ChainFormat.GENESIS;
    private long sinceCheckpoint;
    private Instant lastCheckpoint;

    private ChainedSegments(Path dir, AuditKey key, Clock clock, ZoneId zone, Limits limits) {
        this.dir = dir;
        this.key = key;
        this.clock = clock;
        this.zone = zone;
        this.limits = limits;
    }

    /** Opens the trail in {@code dir}, recovering a torn tail. Blocking. */
    static ChainedSegments open(Path dir, AuditKey key, Clock clock, ZoneId zone, Limits limits) throws IOException {
        Files.createDirectories(dir);
        ChainedSegments trail = new ChainedSegments(dir, key, clock, zone, limits);
        trail.resume();
        return trail;
    }

    private void resume() throws IOException {
        List<Path> segments = segments(dir);
        lastCheckpoint = clock.instant();
        if (segments.isEmpty()) {
            openSegment();
            return;
        }
        Path last = segments.get(segments.size() - 1);
        byte[] bytes = Files.readAllBytes(last);
        SegmentTail tail = SegmentTail.of(bytes, sha256);
        if (tail.lastSeq() == 0 && segments.size() > 1) {
            // the newest segment holds nothing whole: the chain goes on from the one before
            SegmentTail before = SegmentTail.of(Files.readAllBytes(segments.get(segments.size() - 2)), sha256);
            seq = before.lastSeq();
            lastHash = before.lastHash();
        } else {
            seq = tail.lastSeq();
            lastHash = tail.lastHash() == null ? ChainFormat.GENESIS : tail.lastHash();
        }
        long cut = bytes.length - tail.goodLength();
        segment = last.getFileName().toString();
        channel = FileChannel.open(last, StandardOpenOption.WRITE);
        if (cut > 0) {
            channel.truncate(tail.goodLength());
            channel.force(true);
            LOG.warning("audit segment " + segment + " ended in a torn record (" + cut + " bytes): cut, and the cut recorded");
        }
        channel.position(tail.goodLength());
        segmentBytes = tail.goodLength();
        segmentOpened = clock.instant();
        if (tail.closed()) {
            channel.close();
            openSegment(); // it had been closed by its checkpoint before the stop
        }
        sinceCheckpoint = tail.unsigned();
        if (cut > 0) {
            note("recovery", g -> {
                g.writeStringField("segment", last.getFileName().toString());
                g.writeNumberField("cutBytes", cut);
                g.writeStringField("reason", "torn-record");
            });
        }
        if (sinceCheckpoint > 0) {
            // The last run stopped without signing its last records (a crash): sign them now.
            checkpoint(false);
            flush(true);
        }
        purgeExpired();
    }

    /**
     * Deletes closed segments whose closing checkpoint is older than the retention, oldest
     * first, after recording the purge in the chain: which segments, and the sequence number and
     * hash the kept trail starts after, so a verifier can tell a purge from a deletion.
     */
    private void purgeExpired() throws IOException {
        List<Path> segments = segments(dir);
        List<Path> expired = SegmentRetention.expired(segments, clock.instant(), limits.retention(),
                limits.tenantRetention());
        ChainFormat.Head head = expired.isEmpty() ? null : SegmentRetention.firstLine(segments.get(expired.size()));
        if (head == null) {
            return;
        }
        note("purge", g -> {
            g.writeArrayFieldStart("segments");
            for (Path file : expired) {
                g.writeString(file.getFileName().toString());
            }
            g.writeEndArray();
            g.writeNumberField("throughSeq", head.seq() - 1);
            g.writeStringField("lastHash", head.prev());
            g.writeNumberField("retentionDays", limits.retention().toDays());
        });
        flush(true);
        for (Path file : expired) {
            Files.delete(file);
        }
        LOG.info("audit retention: purged " + expired.size() + " segment(s) through seq " + (head.seq() - 1));
    }


    static List<Path> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> ChainFormat.isSegment(f.getFileName().toString())).sorted().toList();
        }
    }

    /** Adds one record (a JSON object) to the batch being written. */
    void append(byte[] body) throws IOException {
        rotateIfDue();
        add(body);
    }

    private void add(byte[] body) {
        seq++;
        byte[] line = ChainFormat.line(seq, lastHash, body);
        lastHash = ChainFormat.hash(sha256, line, 0, line.length);
        pending.write(line, 0, line.length);
        pending.write('\n');
        sinceCheckpoint++;
    }

    /** Remembers where the chain stands before a batch, for {@link #rollback}. */
    void mark() {
        mark = new Mark(seq, lastHash, sinceCheckpoint, segmentBytes);
    }

    /**
     * After a failed write: forgets the batch and cuts whatever part of it reached the file, so
     * the chain goes on from its last whole record. If even that fails, the next start cuts it.
     */
    void rollback() {
        pending.reset();
        if (mark == null) {
            return;
        }
        seq = mark.seq();
        lastHash = mark.lastHash();
        sinceCheckpoint = mark.sinceCheckpoint();
        try {
            channel.truncate(mark.segmentBytes());
            channel.position(mark.segmentBytes());
            segmentBytes = mark.segmentBytes();
        } catch (IOException e) {
            LOG.severe("cannot cut a failed audit write from " + segment + ": " + e.getMessage());
        }
    }

    private record Mark(long seq, String lastHash, long sinceCheckpoint, long segmentBytes) {
    }

    /** Writes the batch; with {@code durable}, returns only once it is on the disk (fsync). */
    void flush(boolean durable) throws IOException {
        if (pending.size() > 0) {
            ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
            pending.reset();
            while (buffer.hasRemaining()) {
                segmentBytes += channel.write(buffer);
            }
        }
        if (durable) {
            channel.force(false);
        }
    }

    /** Signs a checkpoint when records arrived since the last one and it is time. */
    void checkpointIfDue() throws IOException {
        if (sinceCheckpoint > 0 && !clock.instant().isBefore(lastCheckpoint.plus(limits.checkpointEvery()))) {
            checkpoint(false);
            flush(true);
        }
    }

    private void rotateIfDue() throws IOException {
        if (segmentBytes + pending.size() >= limits.maxSegmentBytes()
                || !clock.instant().isBefore(segmentOpened.plus(limits.maxSegmentAge()))) {
            if (seq == 0 && segmentBytes + pending.size() == 0) {
                return; // nothing to close
            }
            checkpoint(true);
            flush(true);
            channel.close();
            openSegment();
            purgeExpired();
            mark(); // what came before is on the disk now: a failure from here rolls back to here
        }
    }

    private void checkpoint(boolean closing) throws IOException {
        long checkpointSeq = seq + 1;
        String time = time(clock.instant());
        String prev = lastHash;
        long records = sinceCheckpoint;
        String signature = key.sign(ChainFormat.checkpointSigningInput(checkpointSeq, prev, time));
        add(body(g -> {
            g.writeNumberField("schema", AccessRecord.SCHEMA);
            g.writeStringField("kind", "checkpoint");
            g.writeStringField("time", time);
            g.writeStringField("segment", segment);
            g.writeBooleanField("closing", closing);
            g.writeNumberField("records", records);
            g.writeStringField("keyId", key.keyId());
            g.writeStringField("signature", signature);
        }));
        sinceCheckpoint = 0;
        lastCheckpoint = clock.instant();
    }

    private void openSegment() throws IOException {
        segment = ChainFormat.segmentName(seq + 1);
        channel = FileChannel.open(dir.resolve(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        segmentBytes = channel.size();
        segmentOpened = clock.instant();
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true); // the new file's name survives a crash too
        } catch (IOException e) {
            LOG.fine("cannot fsync the audit directory on this platform: " + e.getMessage());
        }
    }

    /** A record of the trail's own life (a recovery, a purge), in the chain like any other. */
    private void note(String kind, Fields fields) throws IOException {
        add(body(g -> {
            g.writeNumberField("schema", AccessRecord.SCHEMA);
            g.writeStringField("kind", kind);
            g.writeStringField("time", time(clock.instant()));
            fields.write(g);
        }));
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] body(Fields fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private String time(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), zone)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    long lastSeq() {
        return seq;
    }

    /** Signs a final checkpoint, so that a clean stop leaves every record covered, and closes. */
    @Override
    public void close() throws IOException {
        if (sinceCheckpoint > 0) {
            checkpoint(false);
        }
        flush(true);
        channel.close();
    }
}
