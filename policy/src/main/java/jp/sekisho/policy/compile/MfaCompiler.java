package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.mfa.AuthMethods;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/** Reads an app's {@code mfa} section into an {@link MfaRequirement}, naming every mistake. */
final class MfaCompiler {

    private MfaCompiler() {
    }

    /** The requirement, {@link MfaRequirement#NONE} when the section is absent, null after errors. */
    static MfaRequirement compile(SourceDocument document, JsonNode node, String at, List<ConfigError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return MfaRequirement.NONE;
        }
        int before = errors.size();
        Set<String> anyOf = new LinkedHashSet<>();
        JsonNode methods = node.path("anyOf");
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i).asText();
            if (!AuthMethods.isKnown(method)) {
                errors.add(document.error(at + "/anyOf/" + i, "unknown method '" + method + "'; known: "
                        + String.join(", ", AuthMethods.known())));
            }
            anyOf.add(method);
        }
        Map<String, Duration> byMethod = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = node.path("maxAgeSecondsByMethod").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!anyOf.contains(entry.getKey())) {
                errors.add(document.error(at + "/maxAgeSecondsByMethod/" + entry.getKey(), "'" + entry.getKey()
                        + "' is not in anyOf; a window only applies to a method the app accepts"));
            }
            byMethod.put(entry.getKey(), Duration.ofSeconds(entry.getValue().asLong()));
        }
        Optional<Duration> maxAge = node.has("maxAgeSeconds")
                ? Optional.of(Duration.ofSeconds(node.get("maxAgeSeconds").asLong())) : Optional.empty();
        Optional<String> acrValues = node.has("acrValues")
                ? Optional.of(node.get("acrValues").asText()) : Optional.empty();
        if (errors.size() > before) {
            return null;
        }
        return new MfaRequirement(anyOf, node.path("minFactorClasses").asInt(0), maxAge, byMethod, acrValues);
    }
}
