package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The entries of a Microsoft API export: a Graph-style {@code {"value": [...]}} page or a plain array. */
final class ExportEntries {

    private ExportEntries() {
    }

    static List<JsonNode> of(JsonNode export, String exportName, List<String> warnings) {
        Objects.requireNonNull(export, "export");
        JsonNode entries = export.isObject() ? export.get("value") : export;
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException(
                    exportName + " export must be a JSON array or an object with a \"value\" array");
        }
        // A paged response holds one page only; the devices on later pages would silently lack records.
        if (export.isObject() && export.hasNonNull("@odata.nextLink")) {
            warnings.add(exportName + " export has more pages (@odata.nextLink): devices on later pages are"
                    + " missing; export every page");
        }
        List<JsonNode> out = new ArrayList<>(entries.size());
        entries.forEach(out::add);
        return out;
    }
}
