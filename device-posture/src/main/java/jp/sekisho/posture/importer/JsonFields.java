package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Fields of one export entry, read leniently: a value of the wrong type is warned about and
 * treated as absent, so one odd entry never stops the import of the others.
 */
final class JsonFields {

    private JsonFields() {
    }

    /** The trimmed text; empty when absent, null, blank or not a string. */
    static Optional<String> text(JsonNode entry, String field, String label, List<String> warnings) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            warnings.add(label + ": " + field + " is not a string; ignored");
            return Optional.empty();
        }
        String text = value.asText().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    static Optional<Boolean> bool(JsonNode entry, String field, String label, List<String> warnings) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            warnings.add(label + ": " + field + " is not true or false; left unknown");
            return Optional.empty();
        }
        return Optional.of(value.asBoolean());
    }

    /** An ISO-8601 time with an offset; empty (and warned) when absent or not such a time. */
    static Optional<Instant> instant(JsonNode entry, String field, String source, String label,
                                     List<String> warnings) {
        Optional<String> text = text(entry, field, label, warnings);
        if (text.isEmpty()) {
            warnings.add(label + ": no " + field + "; the " + source + " observation is dated 1970 (never), so it reads as stale");
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.get()));
        } catch (DateTimeParseException e) {
            warnings.add(label + ": " + field + " \"" + text.get() + "\" is not an ISO-8601 time with an offset;"
                    + " the " + source + " observation is dated 1970 (never), so it reads as stale");
            return Optional.empty();
        }
    }

    /** How warnings name an entry: its position (from 1) and the name people know it by. */
    static String label(String kind, int index, JsonNode entry, String... nameFields) {
        for (String field : nameFields) {
            JsonNode name = entry.get(field);
            if (name != null && name.isTextual() && !name.asText().isBlank()) {
                return kind + " #" + (index + 1) + " \"" + name.asText().trim() + "\"";
            }
        }
        return kind + " #" + (index + 1);
    }
}
