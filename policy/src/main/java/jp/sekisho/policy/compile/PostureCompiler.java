package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureRequirement;

/** Reads an app's {@code posture} section into a {@link PostureRequirement}, naming every mistake. */
final class PostureCompiler {

    private PostureCompiler() {
    }

    /** The requirement, {@link PostureRequirement#NONE} when the section is absent, null after errors. */
    static PostureRequirement compile(SourceDocument document, JsonNode node, String at, List<ConfigError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return PostureRequirement.NONE;
        }
        int before = errors.size();
        Map<String, OsVersion> minOs = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> platforms = node.path("minOsVersion").fields();
        while (platforms.hasNext()) {
            Map.Entry<String, JsonNode> entry = platforms.next();
            String text = entry.getValue().asText();
            Optional<OsVersion> version = OsVersion.parse(text);
            if (version.isEmpty()) {
                errors.add(document.error(at + "/minOsVersion/" + entry.getKey(), "'" + text
                        + "' is not a version: use dotted numbers such as 10.0.22631"));
            } else {
                minOs.put(entry.getKey(), version.get());
            }
        }
        JsonNode edr = node.path("edr");
        Optional<DeviceFacts.Risk> maxRisk = edr.has("maxRisk")
                ? DeviceFacts.Risk.fromCode(edr.get("maxRisk").asText()) : Optional.empty();
        if (errors.size() > before) {
            return null;
        }
        return new PostureRequirement(
                node.path("certificate").asBoolean(false),
                node.path("managed").asBoolean(false),
                node.path("compliant").asBoolean(false),
                edr.path("running").asBoolean(false),
                maxRisk,
                node.path("diskEncrypted").asBoolean(false),
                node.path("screenLock").asBoolean(false),
                minOs,
                node.has("maxPatchAgeDays") ? Optional.of(node.get("maxPatchAgeDays").asInt()) : Optional.empty(),
                node.has("maxObservationAgeSeconds")
                        ? Optional.of(Duration.ofSeconds(node.get("maxObservationAgeSeconds").asLong()))
                        : Optional.empty());
    }
}
