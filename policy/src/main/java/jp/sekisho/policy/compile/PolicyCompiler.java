package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.DenyRule;
import jp.sekisho.policy.App;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.PostureRequirement;

/**
 * Turns the {@code apps} and {@code breakout} sections of a schema-checked document into an
 * immutable {@link PolicySnapshot}, reporting every semantic error (duplicates, bad URLs,
 * overlapping routes) with its position. Runs once per load, never per request.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    /**
     * The policy's calendar as its rules see it: {@code timeZone}, {@code holidays} and the named
     * {@code timeWindows}, for tools that judge times outside a rule (the periodic review's
     * business hours).
     *
     * @param zone     the time zone (Asia/Tokyo unless configured)
     * @param holidays the dates on which a window does not open (unless open on holidays)
     * @param windows  the windows by id, in the order written
     */
    public record Calendar(ZoneId zone, Set<LocalDate> holidays, Map<String, TimeWindow> windows) {
        public Calendar {
            Objects.requireNonNull(zone, "zone");
            holidays = Set.copyOf(holidays);
            windows = Collections.unmodifiableMap(new LinkedHashMap<>(windows));
        }
    }

    /**
     * The top-level sections of a configuration file that are policy (versioned in the policy
     * store, editable by administrators); every other section is a setting of the process.
     */
    public static final Set<String> SECTIONS = Set.of("segments", "timeZone", "holidays", "timeWindows", "defaults",
            "apps", "breakout");

    /** Compiles only {@code timeZone}, {@code holidays} and {@code timeWindows}; every mistake is reported. */
    public static Calendar calendar(SourceDocument document) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        Calendar calendar = TimeWindowCompiler.calendar(document, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return calendar;
    }

    public static PolicySnapshot compile(SourceDocument document, String version) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<App> apps = new ArrayList<>();
        Map<String, String> routeOwners = new HashMap<>();
        Set<String> appIds = new HashSet<>();
        Map<String, String> issuerUrls = new HashMap<>();
        document.root().path("issuers").forEach(i -> issuerUrls.put(i.path("id").asText(), i.path("issuer").asText()));
        NetworkSegments segments = SegmentCompiler.compile(document, errors);
        Calendar calendar = TimeWindowCompiler.calendar(document, errors);
        Map<String, TimeWindow> windows = calendar.windows();
        Defaults defaults = new Defaults(document.root().path("defaults"));
        JsonNode appsNode = document.root().path("apps");
        for (int i = 0; i < appsNode.size(); i++) {
            String at = "/apps/" + i;
            JsonNode node = appsNode.get(i);
            String id = node.path("id").asText();
            if (!appIds.add(id)) {
                errors.add(document.error(at + "/id", "app id '" + id + "' is already used by another app"));
            }
            List<String> hosts = hosts(document, node, at, errors);
            List<String> prefixes = pathPrefixes(document, node, at, errors);
            for (String host : hosts) {
                for (String prefix : prefixes) {
                    // prefixes route without regard to case, so /Docs and /docs are one route
                    String owner = routeOwners.putIfAbsent(host + prefix.toLowerCase(Locale.ROOT), id);
                    if (owner != null) {
                        errors.add(document.error(at + "/hosts", "'" + host + prefix + "' is already served by app '"
                                + owner + "'"));
                    }
                }
            }
            URI upstream = upstream(document, node, at, errors);
            RuleCompiler ruleCompiler = new RuleCompiler(document, windows, errors);
            List<AllowRule> rules = ruleCompiler.allowRules(node, at);
            List<DenyRule> denyRules = ruleCompiler.denyRules(node, at);
            MfaRequirement mfa = MfaCompiler.compile(document, defaults.node(node, "mfa"), defaults.at(node, at, "mfa"),
                    errors);
            PostureRequirement posture = PostureCompiler.compile(document, defaults.node(node, "posture"),
                    defaults.at(node, at, "posture"),
                    errors);
            Set<String> issuers = new LinkedHashSet<>();
            JsonNode accepted = node.path("issuers");
            for (int j = 0; j < accepted.size(); j++) {
                String issuerId = accepted.get(j).asText();
                String url = issuerUrls.get(issuerId);
                if (url == null) {
                    errors.add(document.error(at + "/issuers/" + j, "no issuer has the id '" + issuerId + "'; known: "
                            + String.join(", ", new java.util.TreeSet<>(issuerUrls.keySet()))));
                } else {
                    issuers.add(url);
                }
            }
            if (upstream != null && !hosts.isEmpty() && !prefixes.isEmpty() && mfa != null && posture != null) {
                FileControls files = FileControlsCompiler.compile(document, defaults.node(node, "fileControls"),
                        defaults.at(node, at, "fileControls"), errors);
                PresetCompiler.Expanded expanded = PresetCompiler.expand(document, defaults.withModel(node), at,
                        segments, rules, mfa,
                        posture, files, errors);
                apps.add(new App(id, node.path("name").asText(id), hosts, prefixes, upstream, expanded.rules(),
                        expanded.mfa(), issuers, expanded.posture(),
                        node.path("upstreamTls").path("insecureSkipVerify").asBoolean(false),
                        node.path("cors").path("anonymousPreflight").asBoolean(false), denyRules, expanded.model(),
                        expanded.files(), node.hasNonNull("tenant") ? Optional.of(node.path("tenant").asText())
                        : Optional.empty()));
            }
        }
        BreakoutPolicy breakout = BreakoutCompiler.compile(document, windows, calendar.zone(), errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new PolicySnapshot(version, apps, segments, breakout);
    }

    private static List<String> hosts(SourceDocument document, JsonNode app, String at, List<ConfigError> errors) {
        Set<String> hosts = new LinkedHashSet<>();
        JsonNode node = app.path("hosts");
        for (int i = 0; i < node.size(); i++) {
            String host = node.get(i).asText().toLowerCase(Locale.ROOT);
            if (!hosts.add(host)) {
                errors.add(document.error(at + "/hosts/" + i, "host '" + host + "' is listed twice"));
            }
        }
        return List.copyOf(hosts);
    }

    private static List<String> pathPrefixes(SourceDocument document, JsonNode app, String at,
                                             List<ConfigError> errors) {
        JsonNode node = app.path("pathPrefixes");
        if (node.isMissingNode()) {
            return List.of("/");
        }
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String prefix = node.get(i).asText();
            String canonical = canonicalPrefix(prefix);
            if (canonical == null) {
                errors.add(document.error(at + "/pathPrefixes/" + i, "'" + prefix
                        + "' is not a canonical path prefix: start with '/', no '.', '..' or empty segments,"
                        + " no '%', '\\', '?' or '#'"));
            } else if (prefixes.contains(canonical)) {
                errors.add(document.error(at + "/pathPrefixes/" + i, "prefix '" + prefix + "' is listed twice"));
            } else {
                prefixes.add(canonical);
            }
        }
        return prefixes;
    }

    /** The prefix without a trailing slash, or null when it is not already canonical. */
    static String canonicalPrefix(String prefix) {
        if (!prefix.startsWith("/")) {
            return null;
        }
        if (prefix.equals("/")) {
            return prefix;
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        for (String segment : trimmed.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '%' || c == '\\' || c == '?' || c == '#' || c <= 0x20 || c == 0x7f) {
                    return null;
                }
            }
        }
        return trimmed;
    }

    private static URI upstream(SourceDocument document, JsonNode app, String at, List<ConfigError> errors) {
        String text = app.path("upstream").asText();
        String pointer = at + "/upstream";
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.add(document.error(pointer, "upstream must be an http:// or https:// URL, got '" + text + "'"));
                return null;
            }
            if (uri.getHost() == null) {
                errors.add(document.error(pointer, "upstream '" + text + "' has no host"));
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                errors.add(document.error(pointer, "upstream '" + text
                        + "' must not carry a query, fragment or user info"));
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            errors.add(document.error(pointer, "upstream '" + text + "' is not a URL: " + e.getReason()));
            return null;
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /**
     * The top-level {@code defaults}: {@code model}, {@code mfa}, {@code posture} and
     * {@code fileControls} for every app that does not set its own. An app's own section
     * replaces the default one whole; errors in a default point at the default.
     */
    private record Defaults(JsonNode node) {

        JsonNode node(JsonNode app, String key) {
            return app.has(key) ? app.path(key) : node.path(key);
        }

        String at(JsonNode app, String appAt, String key) {
            return app.has(key) || !node.has(key) ? appAt + "/" + key : "/defaults/" + key;
        }

        /** The app with the default model when it names none. */
        JsonNode withModel(JsonNode app) {
            if (app.has("model") || !node.has("model") || !app.isObject()) {
                return app;
            }
            com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) app)
                    .deepCopy();
            copy.set("model", node.path("model")); // overrides stay per app, each with its own reason
            return copy;
        }
    }
}
