package jp.sekisho.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One pass over the trail's lines: each {@code access} and {@code breakout} (and, where the
 * format takes them, {@code admin}) record the filter keeps is written as it is read. {@code decision} records are
 * held only until their request's {@code access} record turns up; those still waiting at the end
 * are requests the process stopped in the middle of, and are written last, as incomplete. Memory
 * grows with the decisions waiting, not with the trail.
 */
public final class TrailExport {

    /** What an export wrote and what it could not read. */
    public record Summary(long written, long incomplete, long unreadable) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrailExport() {
    }

    public static Summary run(Stream<String> lines, ExportFilter filter, ExportFormat format) throws IOException {
        Map<String, ExportRecord> waiting = new LinkedHashMap<>();
        long written = 0;
        long unreadable = 0;
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                ExportRecord record;
                try {
                    record = ExportRecord.of(JSON.readTree(line));
                } catch (IOException | IllegalArgumentException e) {
                    unreadable++; // a torn last line after a crash, or not a record at all; verify says which
                    continue;
                }
                if (record == null) {
                    continue;
                }
                switch (record.kind()) {
                    case ExportRecord.DECISION -> waiting.put(record.id(), record);
                    case ExportRecord.ACCESS -> {
                        waiting.remove(record.id());
                        written += write(record, filter, format);
                    }
                    case ExportRecord.BREAKOUT -> written += write(record, filter, format); // never a decision first
                    default -> written += format.takesAdminRecords() ? write(record, filter, format) : 0;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long incomplete = 0;
        for (ExportRecord decision : waiting.values()) { // in the order they were written
            incomplete += write(decision.asIncomplete(), filter, format);
        }
        return new Summary(written + incomplete, incomplete, unreadable);
    }

    private static int write(ExportRecord record, ExportFilter filter, ExportFormat format) throws IOException {
        if (!filter.test(record)) {
            return 0;
        }
        format.write(record);
        return 1;
    }
}
