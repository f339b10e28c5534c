package jp.sekisho.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Follows the audit trail's segment files in chain order, like {@code tail -F} across
 * rotations: hands out whole records from a given sequence number on, never beyond a bound the
 * writer has published (a record past it may still be rolled back). Reads only; the writer
 * never waits for it.
 */
final class TrailFollower implements Closeable {

    private static final Logger LOG = Logger.getLogger(TrailFollower.class.getName());

    /** One record as written (without its newline), and its place in the chain. */
    record Line(long seq, String text) {
    }

    private final Path dir;
    private FileChannel channel;
    private Path segment;
    private long position;
    private long nextSeq;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    TrailFollower(Path dir) {
        this.dir = dir;
    }

    /** From now on, hands out records from {@code seq} on. Blocking. */
    void seek(long seq) throws IOException {
        close();
        nextSeq = seq;
        List<Path> segments = ChainedSegments.segments(dir);
        Path from = null;
        for (Path candidate : segments) {
            if (firstSeq(candidate) <= seq) {
                from = candidate; // names sort in chain order: the last that starts at or before seq
            }
        }
        if (from == null && !segments.isEmpty()) {
            from = segments.get(0);
            LOG.warning("audit records before seq " + firstSeq(from) + " are no longer on disk; a sink resumes there");
        }
        open(from);
    }

    /** The sequence number the next record handed out should have. */
    long nextSeq() {
        return nextSeq;
    }

    /** Up to {@code max} records from {@link #nextSeq} on, none beyond {@code upTo}; empty when there are none yet. */
    List<Line> next(long upTo, int max) throws IOException {
        List<Line> lines = new ArrayList<>();
        while (lines.size() < max && nextSeq <= upTo) {
            if (segment == null) {
                open(following(null));
                if (segment == null) {
                    break;
                }
            }
            Progress progress = readWholeLines(lines, upTo, max);
            if (progress == Progress.BLOCKED) {
                break;
            }
            if (progress == Progress.END) {
                Path newer = following(segment);
                if (newer == null) {
                    break; // nothing more is visible yet
                }
                open(newer); // this one was closed by its checkpoint: the chain goes on in the next
            }
        }
        return lines;
    }

    private enum Progress { READ, BLOCKED, END }

    /** Reads whole lines from the current segment. */
    private Progress readWholeLines(List<Line> lines, long upTo, int max) throws IOException {
        buffer.clear();
        int read = channel.read(buffer, position);
        if (read <= 0) {
            return Progress.END;
        }
        byte[] bytes = buffer.array();
        int consumed = 0;
        for (int i = 0; i < read && lines.size() < max; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String text = new String(bytes, consumed, i - consumed, StandardCharsets.UTF_8);
            ChainFormat.Head head = ChainFormat.head(text);
            if (head != null && head.seq() > upTo) {
                position += consumed;
                return Progress.BLOCKED; // on the file, but not yet published as whole
            }
            consumed = i + 1;
            if (head == null) {
                if (!text.isBlank()) {
                    LOG.warning("not a chained audit record in " + segment.getFileName() + ": skipped by the sink");
                }
                continue;
            }
            if (head.seq() < nextSeq) {
                continue; // before where the sink resumes
            }
            if (head.seq() > nextSeq) {
                LOG.warning("audit records " + nextSeq + ".." + (head.seq() - 1) + " are not in the trail; the sink goes on");
            }
            lines.add(new Line(head.seq(), text));
            nextSeq = head.seq() + 1;
        }
        position += consumed;
        if (consumed > 0) {
            return Progress.READ;
        }
        if (read == buffer.capacity()) {
            buffer = ByteBuffer.allocate(buffer.capacity() * 2); // a record longer than the buffer
            return Progress.READ;
        }
        return Progress.END; // at most a part of a line that is still being written
    }

    private void open(Path file) throws IOException {
        close();
        segment = file;
        position = 0;
        if (file != null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
    }

    /** The segment after {@code current} in chain order (the first one for null), or null. */
    private Path following(Path current) throws IOException {
        for (Path candidate : ChainedSegments.segments(dir)) {
            if (current == null || candidate.getFileName().toString().compareTo(current.getFileName().toString()) > 0) {
                return candidate;
            }
        }
        return null;
    }

    private static long firstSeq(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(ChainFormat.SEGMENT_PREFIX.length(),
                name.length() - ChainFormat.SEGMENT_SUFFIX.length()));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        segment = null;
    }
}
