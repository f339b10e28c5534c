package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.ParentProxy;
import jp.sekisho.policy.breakout.TenantRestrictions;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Compiles the top-level {@code breakout} section: what an expired ISMAP registration does, the
 * parent proxies, tenant restrictions and the allowlist (entry by entry, in
 * {@link AllowlistCompiler}). Every mistake is reported with its position; the section compiles
 * to {@link BreakoutPolicy#NONE} when the document has none.
 */
final class BreakoutCompiler {

    private static final String AT = "/breakout";

    private BreakoutCompiler() {
    }

    /** The policy, or {@link BreakoutPolicy#NONE} after errors (which are reported) or without the section. */
    static BreakoutPolicy compile(SourceDocument document, Map<String, TimeWindow> windows, ZoneId zone,
                                  List<ConfigError> errors) {
        JsonNode section = document.root().path("breakout");
        if (section.isMissingNode() || section.isNull()) {
            return BreakoutPolicy.NONE;
        }
        int before = errors.size();
        BreakoutPolicy.IsmapMode mode = ismapMode(document, section, errors);
        List<ParentProxy> parents = parents(document, section.path("parents"), errors);
        TenantRestrictions restrictions = TenantRestrictionsCompiler.compile(document,
                section.path("tenantRestrictions"), AT + "/tenantRestrictions", errors);
        List<BreakoutEntry> entries = new AllowlistCompiler(document, windows, section.path("defaults"), errors)
                .entries(section.path("allowlist"), AT + "/allowlist");
        if (errors.size() > before) {
            return BreakoutPolicy.NONE;
        }
        return new BreakoutPolicy(entries, parents, restrictions, mode, zone);
    }

    private static BreakoutPolicy.IsmapMode ismapMode(SourceDocument document, JsonNode section,
                                                      List<ConfigError> errors) {
        String mode = section.path("ismapExpired").asText("enforce");
        return switch (mode) {
            case "enforce" -> BreakoutPolicy.IsmapMode.ENFORCE;
            case "warn" -> BreakoutPolicy.IsmapMode.WARN;
            default -> {
                errors.add(document.error(AT + "/ismapExpired", "'" + mode + "' is not enforce or warn: enforce"
                        + " refuses an entry whose ISMAP registration is not valid, warn lets it through and says so"));
                yield BreakoutPolicy.IsmapMode.ENFORCE;
            }
        };
    }

    private static List<ParentProxy> parents(SourceDocument document, JsonNode list, List<ConfigError> errors) {
        List<ParentProxy> parents = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = AT + "/parents/" + i;
            String id = node.path("id").asText();
            if (!ids.add(id)) {
                errors.add(document.error(at + "/id", "parent proxy id '" + id + "' is used twice: give each its"
                        + " own id (audit records name it)"));
            }
            String address = node.path("address").asText();
            Optional<Destination> parsed = Destination.parseAuthority(address);
            if (parsed.isEmpty()) {
                errors.add(document.error(at + "/address", "'" + address + "' is not host:port: write the parent"
                        + " proxy as proxy.pref.example.lg.jp:8080 (an IPv6 address in brackets, [fd00::1]:8080)"));
            }
            Set<String> segments = SegmentCompiler.references(document, node.path("segments"), at + "/segments",
                    errors);
            if (parsed.isPresent()) {
                parents.add(new ParentProxy(id, parsed.get().host(), parsed.get().port(), segments));
            }
        }
        return parents;
    }
}
