package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.breakout.BreakoutDecision;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.DomainPattern;
import jp.sekisho.policy.breakout.IsmapRegistration;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.PostureRequirement;

/**
 * Compiles {@code breakout.allowlist}, entry by entry: ids unique, every domain pattern listed by
 * one entry only (so which entry decides never depends on the order), ports, address ranges,
 * the ISMAP registration, and the entry's rules, MFA and posture ({@code breakout.defaults} when
 * it names none).
 */
final class AllowlistCompiler {

    private static final List<Integer> DEFAULT_PORTS = List.of(443);

    private final SourceDocument document;
    private final Map<String, TimeWindow> windows;
    private final List<ConfigError> errors;
    private final MfaRequirement defaultMfa;         // null when the default is wrong (reported once)
    private final PostureRequirement defaultPosture; // likewise
    private final Set<String> ids = new HashSet<>();
    private final Map<String, String> domainOwners = new HashMap<>(); // normalised pattern -> entry id

    AllowlistCompiler(SourceDocument document, Map<String, TimeWindow> windows, JsonNode defaults,
                      List<ConfigError> errors) {
        this.document = document;
        this.windows = windows;
        this.errors = errors;
        this.defaultMfa = MfaCompiler.compile(document, defaults.path("mfa"), "/breakout/defaults/mfa", errors);
        this.defaultPosture = PostureCompiler.compile(document, defaults.path("posture"),
                "/breakout/defaults/posture", errors);
    }

    List<BreakoutEntry> entries(JsonNode list, String at) {
        List<BreakoutEntry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            BreakoutEntry entry = entry(list.get(i), at + "/" + i);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** One entry, or null after errors (reported). */
    private BreakoutEntry entry(JsonNode node, String at) {
        int before = errors.size();
        String id = node.path("id").asText();
        if (!ids.add(id)) {
            errors.add(document.error(at + "/id", "entry id '" + id + "' is used twice: give each entry its own"
                    + " id (audit records and metrics name it)"));
        }
        List<String> domains = domains(node, id, at);
        Set<Integer> ports = ports(node, at);
        CidrSet addresses = addresses(node, at);
        if (node.path("domains").isEmpty() && node.path("addresses").isEmpty()) {
            errors.add(document.error(at, "entry '" + id + "' lists no domains and no addresses: it can never"
                    + " match; add domains or remove the entry"));
        }
        String category = category(node, at);
        Optional<IsmapRegistration> ismap = ismap(node.path("ismap"), at + "/ismap");
        List<AllowRule> allow = new RuleCompiler(document, windows, errors).tunnelAllowRules(node, at);
        boolean deviceOnly = node.path("deviceOnly").asBoolean(false);
        if (deviceOnly && node.path("allow").size() > 0) {
            errors.add(document.error(at + "/deviceOnly", "a deviceOnly entry lets devices in without a user, so"
                    + " its allow rules could never be judged: remove 'allow' or 'deviceOnly'"));
        }
        // an entry's own section replaces the default whole
        MfaRequirement mfa = node.has("mfa") ? MfaCompiler.compile(document, node.path("mfa"), at + "/mfa", errors)
                : defaultMfa;
        PostureRequirement posture = node.has("posture")
                ? PostureCompiler.compile(document, node.path("posture"), at + "/posture", errors) : defaultPosture;
        if (errors.size() > before || mfa == null || posture == null) {
            return null;
        }
        return new BreakoutEntry(id, node.path("name").asText(id), domains, ports, addresses, category, ismap,
                allow, mfa, posture, node.path("allowPrivate").asBoolean(false), deviceOnly,
                node.hasNonNull("source") ? Optional.of(node.path("source").asText()) : Optional.empty());
    }

    private List<String> domains(JsonNode node, String id, String at) {
        List<String> domains = new ArrayList<>();
        JsonNode list = node.path("domains");
        for (int i = 0; i < list.size(); i++) {
            String text = list.get(i).asText();
            String pointer = at + "/domains/" + i;
            Optional<DomainPattern> pattern = DomainPattern.parse(text);
            if (pattern.isEmpty()) {
                errors.add(document.error(pointer, notAPattern(text)));
                continue;
            }
            String normalised = pattern.get().toString();
            String owner = domainOwners.putIfAbsent(normalised, id);
            if (owner == null) {
                domains.add(normalised);
            } else if (owner.equals(id)) {
                errors.add(document.error(pointer, "'" + text + "' is listed twice in this entry"));
            } else {
                errors.add(document.error(pointer, "'" + text + "' is already listed by entry '" + owner
                        + "': list each domain in one entry only"));
            }
        }
        return domains;
    }

    private static String notAPattern(String text) {
        if (Destination.of(text, 443).filter(Destination::ipLiteral).isPresent()) {
            return "'" + text + "' is an IP address: list it under addresses";
        }
        if (text.trim().startsWith("*.") && text.indexOf('*', 1) < 0 && text.indexOf('.', text.indexOf('.') + 1) < 0) {
            return "'" + text + "' would allow a whole top-level domain: name the domain below it (*.example.com)";
        }
        return "'" + text + "' is not a domain pattern: write a host name (outlook.office.com) or '*.' before one"
                + " (*.outlook.office.com); '*' may only be the whole leftmost label";
    }

    private Set<Integer> ports(JsonNode node, String at) {
        if (!node.has("ports")) {
            return new LinkedHashSet<>(DEFAULT_PORTS);
        }
        Set<Integer> ports = new LinkedHashSet<>();
        JsonNode list = node.path("ports");
        for (int i = 0; i < list.size(); i++) {
            JsonNode port = list.get(i);
            if (!port.isIntegralNumber()) {
                errors.add(document.error(at + "/ports/" + i, "'" + port.asText() + "' is not a port number: use 1"
                        + " to 65535"));
            } else if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                errors.add(document.error(at + "/ports/" + i, "port " + port.asText() + " is out of range: use 1 to"
                        + " 65535"));
            } else {
                ports.add(port.asInt());
            }
        }
        return ports;
    }

    private CidrSet addresses(JsonNode node, String at) {
        List<String> cidrs = new ArrayList<>();
        JsonNode list = node.path("addresses");
        for (int i = 0; i < list.size(); i++) {
            String cidr = list.get(i).asText();
            if (CidrSet.isValid(cidr)) {
                cidrs.add(cidr);
            } else {
                errors.add(document.error(at + "/addresses/" + i, "'" + cidr
                        + "' is not an IP address or CIDR range (such as 52.96.0.0/14 or 2603:1006::/40)"));
            }
        }
        return cidrs.isEmpty() ? CidrSet.NONE : CidrSet.of(cidrs);
    }

    private String category(JsonNode node, String at) {
        String category = node.path("category").asText("default");
        if (!category.matches("[a-z0-9-]+")) {
            errors.add(document.error(at + "/category", "category '" + category + "' must be lower-case letters,"
                    + " digits and '-' (it is a metric label), such as optimize"));
        } else if (category.equals(BreakoutDecision.UNLISTED)) {
            errors.add(document.error(at + "/category", "category '" + category + "' is reserved for destinations"
                    + " no entry lists: choose another"));
        }
        return category;
    }

    private Optional<IsmapRegistration> ismap(JsonNode node, String at) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.path("id").asText("").isBlank()) {
            errors.add(document.error(at, "an ISMAP registration needs its id (the registration number, such as"
                    + " C21-0006-1)"));
        }
        Optional<LocalDate> from = node.has("validFrom") ? date(node.path("validFrom"), at + "/validFrom")
                : Optional.empty();
        if (!node.has("validUntil")) {
            errors.add(document.error(at, "an ISMAP registration needs validUntil: the last day it is valid, as"
                    + " 2027-04-30"));
            return Optional.empty();
        }
        Optional<LocalDate> until = date(node.path("validUntil"), at + "/validUntil");
        if (until.isPresent() && from.isPresent() && until.get().isBefore(from.get())) {
            errors.add(document.error(at + "/validUntil", "validUntil " + until.get() + " is before validFrom "
                    + from.get() + ": check the registration's dates"));
        }
        if (until.isEmpty()) {
            return Optional.empty(); // reported
        }
        return Optional.of(new IsmapRegistration(node.path("id").asText(), from, until.get()));
    }

    private Optional<LocalDate> date(JsonNode node, String at) {
        try {
            return Optional.of(LocalDate.parse(node.asText()));
        } catch (DateTimeParseException e) {
            errors.add(document.error(at, "'" + node.asText() + "' is not a date; write it as 2027-04-30"));
            return Optional.empty();
        }
    }
}
