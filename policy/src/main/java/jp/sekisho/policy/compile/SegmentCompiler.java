package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.policy.network.SegmentKind;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Compiles the top-level {@code segments} section: named network segments, each a list of
 * source ranges, tried in order. Reports duplicate ids and ranges that are not IP literals.
 */
final class SegmentCompiler {

    private SegmentCompiler() {
    }

    static NetworkSegments compile(SourceDocument document, List<ConfigError> errors) {
        JsonNode node = document.root().path("segments");
        List<NetworkSegments.Segment> segments = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode segment = node.get(i);
            String at = "/segments/" + i;
            String id = segment.path("id").asText();
            if (!ids.add(id)) {
                errors.add(document.error(at + "/id", "segment id '" + id + "' is used twice"));
            }
            List<String> cidrs = new ArrayList<>();
            JsonNode ranges = segment.path("cidrs");
            boolean valid = true;
            for (int j = 0; j < ranges.size(); j++) {
                String cidr = ranges.get(j).asText();
                if (!CidrSet.isValid(cidr)) {
                    errors.add(document.error(at + "/cidrs/" + j, "'" + cidr
                            + "' is not an IP address or CIDR range (such as 10.20.0.0/16 or fd00::/8)"));
                    valid = false;
                }
                cidrs.add(cidr);
            }
            Optional<SegmentKind> kind = Optional.empty();
            if (segment.has("kind")) {
                kind = SegmentKind.parse(segment.path("kind").asText());
                if (kind.isEmpty()) {
                    errors.add(document.error(at + "/kind", "'" + segment.path("kind").asText()
                            + "' is not a kind of segment; use lgwan, internet, telework or mynumber"));
                    valid = false;
                }
            }
            if (valid) {
                segments.add(new NetworkSegments.Segment(id, segment.path("name").asText(id), CidrSet.of(cidrs), kind));
            }
        }
        return new NetworkSegments(segments);
    }

    /**
     * Checks that a rule's {@code segments} name defined segments (defined at all: a segment
     * with a bad range is reported once, where it is defined).
     */
    static Set<String> references(SourceDocument document, JsonNode list, String at, List<ConfigError> errors) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> defined = new LinkedHashSet<>();
        document.root().path("segments").forEach(s -> defined.add(s.path("id").asText()));
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i).asText();
            if (!defined.contains(id)) {
                errors.add(document.error(at + "/" + i, "no segment has the id '" + id + "'; defined: "
                        + (defined.isEmpty() ? "none (add a top-level segments section)" : String.join(", ", defined))));
            }
            ids.add(id);
        }
        return ids;
    }
}
