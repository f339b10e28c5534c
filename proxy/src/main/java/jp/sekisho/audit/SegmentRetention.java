package jp.sekisho.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which closed segments are past the retention: judged by the time of their closing checkpoint,
 * against the longest retention of the records they hold (a tenant's own, or the default).
 */
final class SegmentRetention {

    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private static final Pattern TENANT = Pattern.compile("\"tenant\":\"([0-9]{6})\"");

    private SegmentRetention() {
    }

    /**
     * The oldest segments whose closing checkpoint is before {@code cutoff}, in order; never the
     * newest (it is being written) and never one after a segment that is kept, so the kept trail
     * stays contiguous.
     */
    static List<Path> expired(List<Path> segments, Instant cutoff) throws IOException {
        return expired(segments, cutoff, Duration.ZERO, Map.of());
    }

    /**
     * As {@link #expired(List, Instant)}, the cutoff being {@code now} minus the segment's
     * retention: {@code retention}, lengthened to that of any tenant in {@code tenantRetention}
     * whose records the segment holds (a segment is deleted whole, so its longest-kept record
     * decides).
     */
    static List<Path> expired(List<Path> segments, Instant now, Duration retention,
                              Map<String, Duration> tenantRetention) throws IOException {
        List<Path> expired = new ArrayList<>();
        for (Path file : segments.subList(0, Math.max(0, segments.size() - 1))) {
            Instant closedAt = closingTime(file);
            if (closedAt == null || !closedAt.isBefore(now.minus(retentionOf(file, retention, tenantRetention)))) {
                break;
            }
            expired.add(file);
        }
        return expired;
    }

    private static Duration retentionOf(Path file, Duration retention, Map<String, Duration> tenantRetention)
            throws IOException {
        if (tenantRetention.isEmpty()) {
            return retention;
        }
        Duration longest = retention;
        Set<String> seen = new HashSet<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = TENANT.matcher(line);
                if (m.find() && seen.add(m.group(1))) {
                    Duration own = tenantRetention.getOrDefault(m.group(1), retention);
                    longest = own.compareTo(longest) > 0 ? own : longest;
                }
            }
        }
        return longest;
    }

    /** The time of a closed segment's closing checkpoint (its last line), or null. */
    private static Instant closingTime(Path file) throws IOException {
        String last = lastLine(file);
        if (last == null || !last.contains("\"kind\":\"checkpoint\"") || !last.contains("\"closing\":true")) {
            return null;
        }
        Matcher m = TIME.matcher(last);
        return m.find() ? OffsetDateTime.parse(m.group(1)).toInstant() : null;
    }

    private static String lastLine(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            int length = (int) Math.min(size, 8192);
            ByteBuffer tail = ByteBuffer.allocate(length);
            in.read(tail, size - length);
            String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).stripTrailing();
            int newline = text.lastIndexOf('\n');
            return text.isEmpty() ? null : text.substring(newline + 1);
        }
    }

    static ChainFormat.Head firstLine(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(ChainFormat::head).orElse(null);
        }
    }
}
