package jp.sekisho.policy.breakout.m365;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.breakout.DomainPattern;
import jp.sekisho.policy.edit.AllowlistText;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;

/**
 * One import of Microsoft's endpoints list into a configuration file: the entries a previous
 * import wrote ({@code source: m365:...}) are replaced by the new ones, every hand-written entry
 * stays as written. A name or id a hand-written entry already has is left to it and reported,
 * so the result always compiles as far as the allowlist goes. Edits made by hand to an imported
 * entry are replaced too: rules, MFA and posture for imported entries belong in
 * {@code breakout.defaults}.
 */
public final class M365Import {

    private M365Import() {
    }

    /**
     * What the import would change.
     *
     * @param before      the file as it is
     * @param after       the file with the new entries; equal to {@code before} when nothing changes
     * @param dataVersion the list's version the entries carry
     * @param added       ids of entries the file did not have
     * @param changed     ids of entries whose domains, ports, addresses, name or category changed
     * @param removed     ids of imported entries Microsoft's list (as selected) no longer has
     * @param unchanged   how many entries are the same but for their version
     * @param read        the sets read and selected, the drafts, and what was skipped
     * @param skipped     everything left out, the read's and the names hand-written entries keep
     */
    public record Plan(String before, String after, String dataVersion, List<String> added, List<String> changed,
                       List<String> removed, int unchanged, M365Endpoints.Result read, List<Skipped> skipped) {

        public Plan {
            added = List.copyOf(added);
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
            skipped = List.copyOf(skipped);
        }

        public boolean changesFile() {
            return !before.equals(after);
        }
    }

    /**
     * @param configName  the file's name, for errors
     * @param configText  the configuration (or policy) file as it is
     * @param endpoints   Microsoft's endpoints list
     * @param dataVersion its version, as the {@code /version} service gives it
     * @throws ConfigException          when the file cannot be read or spliced, or the result does not parse
     * @throws IllegalArgumentException when {@code endpoints} is not an endpoints list
     */
    public static Plan plan(String configName, String configText, JsonNode endpoints, String dataVersion,
                            M365Options options) throws ConfigException {
        AllowlistText allowlist = AllowlistText.parse(configName, configText);
        M365Endpoints.Result read = M365Endpoints.read(endpoints, dataVersion, options);
        Map<String, String> handWritten = new HashMap<>(); // normalised pattern -> entry id
        Set<String> handIds = new TreeSet<>();
        Map<String, JsonNode> previous = new LinkedHashMap<>();
        for (AllowlistText.Entry entry : allowlist.entries()) {
            if (entry.importedBy(M365Endpoints.SOURCE_PREFIX)) {
                previous.put(entry.id(), entry.node());
                continue;
            }
            handIds.add(entry.id());
            for (JsonNode domain : entry.node().path("domains")) {
                DomainPattern.parse(domain.asText()).ifPresent(p -> handWritten.putIfAbsent(p.toString(), entry.id()));
            }
        }
        List<Skipped> skipped = new ArrayList<>(read.skipped());
        List<EntryDraft> drafts = new ArrayList<>();
        for (EntryDraft draft : read.entries()) {
            if (handIds.contains(draft.id())) {
                skipped.add(new Skipped(draft.id(), "", "a hand-written entry has this id: rename it to import"));
                continue;
            }
            List<String> kept = new ArrayList<>();
            for (String domain : draft.domains()) {
                String owner = handWritten.get(domain);
                if (owner == null) {
                    kept.add(domain);
                } else {
                    skipped.add(new Skipped(draft.id(), domain, "already listed by entry '" + owner
                            + "' (kept as written)"));
                }
            }
            if (kept.isEmpty() && draft.addresses().isEmpty()) {
                skipped.add(new Skipped(draft.id(), "", "every name is listed by hand-written entries"));
                continue;
            }
            drafts.add(draft.withDomains(kept));
        }
        List<String> yaml = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int unchanged = 0;
        for (EntryDraft draft : drafts) {
            yaml.add(draft.yaml());
            JsonNode old = previous.remove(draft.id());
            if (old == null) {
                added.add(draft.id());
            } else if (withoutSource(old).equals(withoutSource(SourceDocument.parse("entry", draft.yaml()).root()))) {
                unchanged++;
            } else {
                changed.add(draft.id());
            }
        }
        List<String> removed = new ArrayList<>(previous.keySet());
        String after = allowlist.replaceImported(M365Endpoints.SOURCE_PREFIX, yaml);
        SourceDocument.parse(configName, after); // never hand back a file that does not read
        return new Plan(configText, after, dataVersion, added, changed, removed, unchanged, read, skipped);
    }

    private static JsonNode withoutSource(JsonNode entry) {
        ObjectNode copy = ((ObjectNode) entry).deepCopy();
        copy.remove("source");
        return copy;
    }

    /** The version of a list nobody named: its content's SHA-256, so that two imports of one list agree. */
    public static String contentVersion(byte[] endpoints) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(endpoints);
            return "sha256-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
