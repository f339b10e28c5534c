package jp.sekisho.policy.breakout.m365;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import jp.sekisho.policy.breakout.DomainPattern;
import jp.sekisho.policy.network.CidrSet;

/**
 * Reads Microsoft's Office 365 endpoints list (the JSON array that
 * {@code https://endpoints.office.com/endpoints/worldwide} returns) into allowlist entry drafts,
 * one per endpoint set: {@code m365-<id>}, its URLs as domain patterns, its TCP ports, and its
 * category. URL patterns the allowlist cannot express are left out and reported, as are sets with
 * nothing left to list; a name two sets share goes to the first.
 */
public final class M365Endpoints {

    /** The prefix of every imported entry's {@code source}; entries with it are replaced by the next import. */
    public static final String SOURCE_PREFIX = "m365:";

    /** The widest TCP port range expanded into the entry's ports. */
    private static final int MAX_RANGE = 1024;

    /**
     * The drafts and what was left out.
     *
     * @param entries  the drafts, in the list's order
     * @param skipped  every pattern, address or set left out, with why
     * @param sets     how many endpoint sets the list holds
     * @param selected how many of them the options selected
     */
    public record Result(List<EntryDraft> entries, List<Skipped> skipped, int sets, int selected) {
        public Result {
            entries = List.copyOf(entries);
            skipped = List.copyOf(skipped);
        }
    }

    private M365Endpoints() {
    }

    /** @throws IllegalArgumentException when the JSON is not an endpoints list */
    public static Result read(JsonNode endpoints, String dataVersion, M365Options options) {
        if (!endpoints.isArray()) {
            throw new IllegalArgumentException("not an endpoints list: expected the JSON array that"
                    + " https://endpoints.office.com/endpoints/worldwide returns");
        }
        List<EntryDraft> entries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, String> owners = new HashMap<>(); // normalised pattern -> entry id
        int selected = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            JsonNode set = endpoints.get(i);
            if (!set.path("id").isIntegralNumber()) {
                throw new IllegalArgumentException("endpoint set " + (i + 1) + " has no numeric id: is this"
                        + " Microsoft's endpoints list?");
            }
            String category = set.path("category").asText("Default");
            String area = set.path("serviceArea").asText("");
            if (!options.keeps(set.path("required").asBoolean(false), category, area)) {
                continue;
            }
            selected++;
            entry(set, dataVersion, options, owners, skipped).ifPresent(entries::add);
        }
        return new Result(entries, skipped, endpoints.size(), selected);
    }

    private static Optional<EntryDraft> entry(JsonNode set, String dataVersion, M365Options options,
                                              Map<String, String> owners, List<Skipped> skipped) {
        String id = "m365-" + set.path("id").asLong();
        String tcp = set.path("tcpPorts").asText("");
        if (tcp.isBlank()) {
            skipped.add(new Skipped(id, "", "no TCP ports (UDP " + set.path("udpPorts").asText("none")
                    + "): the forward proxy carries TCP tunnels only"));
            return Optional.empty();
        }
        List<Integer> ports = ports(tcp);
        if (ports == null) {
            skipped.add(new Skipped(id, "tcpPorts " + tcp, "not a list of ports and ranges the allowlist can hold"));
            return Optional.empty();
        }
        List<String> domains = new ArrayList<>();
        for (JsonNode url : set.path("urls")) {
            String text = url.asText();
            Optional<DomainPattern> pattern = DomainPattern.parse(text);
            if (pattern.isEmpty()) {
                skipped.add(new Skipped(id, text, unsupported(text)));
                continue;
            }
            String normalised = pattern.get().toString();
            String owner = owners.putIfAbsent(normalised, id);
            if (owner != null) {
                if (!owner.equals(id)) {
                    skipped.add(new Skipped(id, text, "already listed by " + owner));
                }
                continue;
            }
            domains.add(normalised);
        }
        List<String> addresses = new ArrayList<>();
        if (options.withAddresses()) {
            for (JsonNode ip : set.path("ips")) {
                if (CidrSet.isValid(ip.asText())) {
                    addresses.add(ip.asText());
                } else {
                    skipped.add(new Skipped(id, ip.asText(), "not an IP address or CIDR range"));
                }
            }
        }
        if (domains.isEmpty() && addresses.isEmpty()) {
            skipped.add(new Skipped(id, "", set.path("urls").isEmpty() && set.path("ips").size() > 0
                    ? "no URLs, only IP ranges: import with --with-addresses to list them"
                    : "nothing left to list"));
            return Optional.empty();
        }
        String area = set.path("serviceAreaDisplayName").asText(set.path("serviceArea").asText("Microsoft 365"));
        return Optional.of(new EntryDraft(id, area + " (" + set.path("id").asLong() + ")", domains, ports, addresses,
                set.path("category").asText("Default").toLowerCase(Locale.ROOT), SOURCE_PREFIX + dataVersion));
    }

    /** Why a URL pattern cannot be listed. */
    private static String unsupported(String url) {
        int star = url.indexOf('*');
        if (star >= 0) {
            return "'*' is supported only as the whole leftmost label (*.example.com); list the names it stands"
                    + " for by hand if staff need them";
        }
        return "not a host name";
    }

    /** "80,443" or "3478-3481" as ascending ports; null when unreadable or a range is too wide. */
    static List<Integer> ports(String text) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 1 || to > 65535 || to < from || to - from >= MAX_RANGE) {
                    return null;
                }
                for (int port = from; port <= to; port++) {
                    ports.add(port);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return List.copyOf(ports);
    }
}
