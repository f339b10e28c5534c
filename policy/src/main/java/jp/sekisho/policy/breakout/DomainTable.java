package jp.sekisho.policy.breakout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.policy.network.CidrSet;

/**
 * Finds the entry that lists a destination: one hash probe for the exact name, then one per label
 * for wildcards, longest suffix first, so {@code *.a.example.com} beats {@code *.example.com}
 * whatever their order in the file. An IP literal is found by the entries' {@code addresses}.
 */
final class DomainTable {

    private final Map<String, BreakoutEntry> exact;
    private final Map<String, BreakoutEntry> wildcards; // by the name after "*."
    private final List<BreakoutEntry> withAddresses;     // in file order

    private DomainTable(Map<String, BreakoutEntry> exact, Map<String, BreakoutEntry> wildcards,
                        List<BreakoutEntry> withAddresses) {
        this.exact = exact;
        this.wildcards = wildcards;
        this.withAddresses = withAddresses;
    }

    /** @throws IllegalArgumentException naming an entry's domain that is not a pattern */
    static DomainTable of(List<BreakoutEntry> entries) {
        Map<String, BreakoutEntry> exact = new HashMap<>();
        Map<String, BreakoutEntry> wildcards = new HashMap<>();
        List<BreakoutEntry> withAddresses = new ArrayList<>();
        for (BreakoutEntry entry : entries) {
            for (String domain : entry.domains()) {
                DomainPattern pattern = DomainPattern.parse(domain).orElseThrow(() -> new IllegalArgumentException(
                        "entry " + entry.id() + ": '" + domain + "' is not a domain pattern"));
                // the first entry in file order keeps a name listed twice
                (pattern.wildcard() ? wildcards : exact).putIfAbsent(pattern.name(), entry);
            }
            if (!entry.addresses().isEmpty()) {
                withAddresses.add(entry);
            }
        }
        return new DomainTable(Map.copyOf(exact), Map.copyOf(wildcards), List.copyOf(withAddresses));
    }

    Optional<BreakoutEntry> match(Destination destination) {
        String host = destination.host();
        if (destination.ipLiteral()) {
            byte[] address = CidrSet.literal(host);
            for (BreakoutEntry entry : withAddresses) {
                if (entry.addresses().contains(address)) {
                    return Optional.of(entry);
                }
            }
            return Optional.empty();
        }
        BreakoutEntry entry = exact.get(host);
        if (entry != null) {
            return Optional.of(entry);
        }
        // x.a.example.com tries a.example.com, then example.com, then com: the longest suffix first
        int dot = host.indexOf('.');
        while (dot >= 0) {
            entry = wildcards.get(host.substring(dot + 1));
            if (entry != null) {
                return Optional.of(entry);
            }
            dot = host.indexOf('.', dot + 1);
        }
        return Optional.empty();
    }
}
