package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.DenyRule;
import jp.sekisho.policy.PathGlob;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Compiles an app's {@code allow} and {@code deny} rules: who (users, groups) and which
 * requests (segments, source ranges, time windows, methods, path patterns). Rule ids are unique within the app across
 * both lists, since audit records and metrics name them.
 */
final class RuleCompiler {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final SourceDocument document;
    private final List<ConfigError> errors;
    private final Map<String, TimeWindow> windows;
    private final Set<String> ids = new HashSet<>();

    RuleCompiler(SourceDocument document, Map<String, TimeWindow> windows, List<ConfigError> errors) {
        this.document = document;
        this.windows = windows;
        this.errors = errors;
    }

    /** Who a rule names: users, groups, and claims an issuer keeps. */
    private record Who(Set<String> users, Set<String> groups, Map<String, Set<String>> claims) {
        boolean nobody() {
            return users.isEmpty() && groups.isEmpty() && claims.isEmpty();
        }
    }

    List<AllowRule> allowRules(JsonNode app, String at) {
        List<AllowRule> rules = new ArrayList<>();
        JsonNode node = app.path("allow");
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String ruleAt = at + "/allow/" + i;
            String id = id(rule, ruleAt);
            Who who = who(rule, ruleAt);
            RequestMatch where = where(rule, ruleAt);
            if (who.nobody()) {
                errors.add(document.error(ruleAt, "rule '" + id + "' admits nobody: list users, groups or claims"));
            } else if (where != null) {
                rules.add(new AllowRule(id, who.users(), who.groups(), where, who.claims()));
            }
        }
        return rules;
    }

    /**
     * The {@code allow} rules of a local-breakout entry at {@code at}: who, from which segments
     * and sources, and when. A tunnel has no method or path, so naming them is an error.
     */
    List<AllowRule> tunnelAllowRules(JsonNode entry, String at) {
        JsonNode node = entry.path("allow");
        boolean valid = true;
        for (int i = 0; i < node.size(); i++) {
            for (String field : List.of("methods", "paths")) {
                if (node.get(i).has(field)) {
                    errors.add(document.error(at + "/allow/" + i + "/" + field, "'" + field + "' does not apply to"
                            + " the allowlist: the forward proxy sees a tunnel to a host, not requests; remove it"));
                    valid = false;
                }
            }
        }
        List<AllowRule> rules = allowRules(entry, at);
        return valid ? rules : List.of();
    }

    List<DenyRule> denyRules(JsonNode app, String at) {
        List<DenyRule> rules = new ArrayList<>();
        JsonNode node = app.path("deny");
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String ruleAt = at + "/deny/" + i;
            String id = id(rule, ruleAt);
            RequestMatch where = where(rule, ruleAt);
            Who who = who(rule, ruleAt);
            if (where != null && who.nobody() && where.equals(RequestMatch.ANY)) {
                errors.add(document.error(ruleAt, "deny rule '" + id + "' would refuse every request to this app:"
                        + " narrow it with users, groups, segments, methods or paths"));
            } else if (where != null) {
                rules.add(new DenyRule(id, who.users(), who.groups(), where, who.claims()));
            }
        }
        return rules;
    }

    private Who who(JsonNode rule, String ruleAt) {
        return new Who(strings(rule.path("users")), strings(rule.path("groups")), claims(rule, ruleAt));
    }

    private String id(JsonNode rule, String ruleAt) {
        String id = rule.path("id").asText();
        if (!ids.add(id)) {
            errors.add(document.error(ruleAt + "/id", "rule id '" + id + "' is used twice in this app"));
        }
        return id;
    }

    /** The request conditions of a rule; null when one of them is wrong (and reported). */
    private RequestMatch where(JsonNode rule, String ruleAt) {
        int before = errors.size();
        Set<String> segments = SegmentCompiler.references(document, rule.path("segments"), ruleAt + "/segments",
                errors);
        Set<String> methods = new LinkedHashSet<>();
        JsonNode methodList = rule.path("methods");
        for (int i = 0; i < methodList.size(); i++) {
            String method = methodList.get(i).asText();
            String upper = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                errors.add(document.error(ruleAt + "/methods/" + i, "'" + method + "' is not a method a rule can"
                        + " name; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"));
            }
            methods.add(upper);
        }
        List<PathGlob> paths = new ArrayList<>();
        JsonNode pathList = rule.path("paths");
        for (int i = 0; i < pathList.size(); i++) {
            String pattern = pathList.get(i).asText();
            try {
                paths.add(PathGlob.of(pattern));
            } catch (IllegalArgumentException e) {
                errors.add(document.error(ruleAt + "/paths/" + i, "'" + pattern + "': " + e.getMessage()));
            }
        }
        List<TimeWindow> times = new ArrayList<>();
        JsonNode timeList = rule.path("times");
        for (int i = 0; i < timeList.size(); i++) {
            String id = timeList.get(i).asText();
            TimeWindow window = windows.get(id);
            if (window == null) {
                errors.add(document.error(ruleAt + "/times/" + i, "no time window has the id '" + id + "'; defined: "
                        + (windows.isEmpty() ? "none (add a top-level timeWindows section)"
                                : String.join(", ", windows.keySet()))));
            } else {
                times.add(window);
            }
        }
        List<String> cidrs = new ArrayList<>();
        JsonNode sourceList = rule.path("sources");
        for (int i = 0; i < sourceList.size(); i++) {
            String cidr = sourceList.get(i).asText();
            if (!CidrSet.isValid(cidr)) {
                errors.add(document.error(ruleAt + "/sources/" + i, "'" + cidr
                        + "' is not an IP address or CIDR range (such as 10.20.0.0/16 or fd00::/8)"));
            }
            cidrs.add(cidr);
        }
        if (errors.size() > before) {
            return null;
        }
        return new RequestMatch(segments, methods, paths, times, cidrs.isEmpty() ? CidrSet.NONE : CidrSet.of(cidrs));
    }

    /** {@code claims: {department: [市民課]}}: only claims some issuer keeps can be named. */
    private Map<String, Set<String>> claims(JsonNode rule, String ruleAt) {
        Map<String, Set<String>> claims = new java.util.LinkedHashMap<>();
        Set<String> kept = new java.util.TreeSet<>();
        document.root().path("issuers").forEach(i -> i.path("keepClaims").forEach(c -> kept.add(c.asText())));
        rule.path("claims").fields().forEachRemaining(entry -> {
            if (!kept.contains(entry.getKey())) {
                errors.add(document.error(ruleAt + "/claims/" + entry.getKey(), "no issuer keeps the claim '"
                        + entry.getKey() + "'; add it to an issuer's keepClaims"
                        + (kept.isEmpty() ? "" : " (kept now: " + String.join(", ", kept) + ")")));
            }
            JsonNode values = entry.getValue();
            claims.put(entry.getKey(), values.isArray() ? strings(values) : Set.of(values.asText()));
        });
        return claims;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
