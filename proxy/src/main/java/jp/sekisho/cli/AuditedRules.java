package jp.sekisho.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;

/** The rules that decided requests in an audit trail (a directory of segments, or one file) since a given time, as "app/rule". */
final class AuditedRules {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditedRules() {
    }

    static Set<String> since(Path accessLog, Instant cutoff) throws IOException {
        Set<String> used = new HashSet<>();
        try (Stream<String> lines = AuditFiles.lines(accessLog)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a torn last line after a crash: the rest still counts
                }
                if (!record.hasNonNull("app") || !record.hasNonNull("rule") || !after(record, cutoff)) {
                    continue;
                }
                used.add(record.path("app").asText() + "/" + record.path("rule").asText());
            }
        }
        return used;
    }

    private static boolean after(JsonNode record, Instant cutoff) {
        try {
            return !OffsetDateTime.parse(record.path("time").asText()).toInstant().isBefore(cutoff);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
