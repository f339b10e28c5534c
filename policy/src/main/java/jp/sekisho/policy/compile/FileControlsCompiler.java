package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/** Compiles an app's {@code fileControls}: downloads blocked by segment, upload size and inspection. */
final class FileControlsCompiler {

    private FileControlsCompiler() {
    }

    static FileControls compile(SourceDocument document, JsonNode node, String at, List<ConfigError> errors) {
        if (node.isMissingNode()) {
            return FileControls.NONE;
        }
        JsonNode downloads = node.path("downloads");
        Set<String> blockFrom = SegmentCompiler.references(document, downloads.path("blockFrom"),
                at + "/downloads/blockFrom", errors);
        Set<String> types = new LinkedHashSet<>();
        downloads.path("contentTypes").forEach(t -> types.add(t.asText()));
        JsonNode uploads = node.path("uploads");
        Optional<Long> maxBytes = uploads.has("maxBytes") ? Optional.of(uploads.path("maxBytes").asLong())
                : Optional.empty();
        return new FileControls(blockFrom, types, maxBytes, uploads.path("refuseMyNumber").asBoolean(false));
    }
}
