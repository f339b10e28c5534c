package jp.sekisho.policy.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureJson;

/**
 * A table of policy test cases, like unit tests for a policy: each describes a request and
 * the decision it must get. Read from YAML; every mistake in the file is reported with its
 * position before anything runs.
 *
 * <pre>
 * cases:
 *   - name: 佐藤さん、LGWAN から住民記録
 *     request: {host: records.localhost, path: /, from: 10.20.1.2, at: 2026-11-24T10:00:00+09:00}
 *     user: {name: sato, groups: [shimin-ka], methods: [face], authAgeSeconds: 60, claims: {department: 市民課}}
 *     expect: {decision: allow, rule: shimin-ka}
 * </pre>
 */
public final class PolicyCases {

    /** One case: its name, the request, and what it must get. */
    public record Case(String name, SimulatedRequest request, String decision, Optional<String> reason,
                       Optional<String> rule) {
    }

    /** What one case got, and whether that is what it expected. */
    public record Verdict(Case testCase, Simulation.Result result, boolean passed) {

        /** "allow (group-allowed) by rule shimin-ka" */
        public String got() {
            Decision d = result.decision();
            return d.outcome().code() + " (" + d.primaryReason().code() + ")"
                    + d.ruleId().map(r -> " by rule " + r).orElse("");
        }

        public String expected() {
            return testCase.decision() + testCase.reason().map(r -> " (" + r + ")").orElse("")
                    + testCase.rule().map(r -> " by rule " + r).orElse("");
        }
    }

    private PolicyCases() {
    }

    /** Reads the cases; {@code defaultTime} is used where a case gives no {@code at}. */
    public static List<Case> read(SourceDocument document, Instant defaultTime) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        JsonNode list = document.root().path("cases");
        if (list.size() == 0) {
            errors.add(document.error("", "no cases: write a list under 'cases:'"));
        }
        for (int i = 0; i < list.size(); i++) {
            Case c = readCase(document, list.get(i), "/cases/" + i, defaultTime, errors);
            if (c != null) {
                cases.add(c);
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return cases;
    }

    public static List<Verdict> run(PolicySnapshot policy, List<Case> cases) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Case c : cases) {
            Simulation.Result result = Simulation.run(policy, c.request());
            Decision d = result.decision();
            boolean passed = d.outcome().code().equals(c.decision())
                    && c.reason().map(r -> d.reasons().stream().anyMatch(x -> x.code().equals(r))).orElse(true)
                    && c.rule().map(r -> d.ruleId().equals(Optional.of(r))).orElse(true);
            verdicts.add(new Verdict(c, result, passed));
        }
        return verdicts;
    }

    private static Case readCase(SourceDocument document, JsonNode node, String at, Instant defaultTime,
                                 List<ConfigError> errors) {
        int before = errors.size();
        String name = node.path("name").asText(at);
        JsonNode request = node.path("request");
        String host = required(document, request, at + "/request", "host", errors);
        String path = request.path("path").asText("/");
        Instant time = defaultTime;
        if (request.has("at")) {
            try {
                time = OffsetDateTime.parse(request.path("at").asText()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(document.error(at + "/request/at", "'" + request.path("at").asText()
                        + "' is not a time with its offset; write it as 2026-11-24T10:00:00+09:00"));
            }
        }
        JsonNode user = node.path("user");
        Optional<String> username = user.has("name") ? Optional.of(user.path("name").asText()) : Optional.empty();
        Optional<Duration> authAge = user.has("authAgeSeconds")
                ? Optional.of(Duration.ofSeconds(user.path("authAgeSeconds").asLong())) : Optional.empty();
        DevicePosture device = device(document, node.path("device"), at + "/device", errors);
        JsonNode expect = node.path("expect");
        String decision = required(document, expect, at + "/expect", "decision", errors);
        if (decision != null && !Set.of("allow", "deny", "unauthenticated", "step-up").contains(decision)) {
            errors.add(document.error(at + "/expect/decision", "'" + decision
                    + "' is not a decision; use allow, deny, unauthenticated or step-up"));
        }
        Optional<String> reason = expect.has("reason") ? Optional.of(expect.path("reason").asText()) : Optional.empty();
        if (reason.isPresent() && Reason.fromCode(reason.get()).isEmpty()) {
            errors.add(document.error(at + "/expect/reason", "'" + reason.get() + "' is not a reason code"));
        }
        Optional<String> rule = expect.has("rule") ? Optional.of(expect.path("rule").asText()) : Optional.empty();
        if (errors.size() > before) {
            return null;
        }
        SimulatedRequest simulated = new SimulatedRequest(host, path, request.path("method").asText("GET"), username,
                strings(user.path("groups")), List.copyOf(strings(user.path("methods"))), authAge,
                request.has("from") ? Optional.of(request.path("from").asText()) : Optional.empty(), time, device,
                claims(user.path("claims")));
        return new Case(name, simulated, decision, reason, rule);
    }

    /** Absent: a device that proves nothing. {@code record}: a device record, as the posture service writes it. */
    private static DevicePosture device(SourceDocument document, JsonNode node, String at, List<ConfigError> errors) {
        if (node.isMissingNode()) {
            return DevicePosture.unknown();
        }
        boolean certificate = node.path("certificate").asBoolean(false);
        if (!node.has("record")) {
            return certificate && node.has("id") ? DevicePosture.certificate(node.path("id").asText())
                    : DevicePosture.unknown();
        }
        try {
            return DevicePosture.token(PostureJson.readRecord(node.path("record")), certificate);
        } catch (IllegalArgumentException e) {
            errors.add(document.error(at + "/record", e.getMessage()));
            return DevicePosture.unknown();
        }
    }

    private static String required(SourceDocument document, JsonNode node, String at, String field,
                                   List<ConfigError> errors) {
        if (!node.hasNonNull(field)) {
            errors.add(document.error(at, "'" + field + "' is required here"));
            return null;
        }
        return node.path(field).asText();
    }

    private static java.util.Map<String, List<String>> claims(JsonNode node) {
        java.util.Map<String, List<String>> claims = new java.util.HashMap<>();
        node.fields().forEachRemaining(e -> claims.put(e.getKey(), e.getValue().isArray()
                ? List.copyOf(strings(e.getValue())) : List.of(e.getValue().asText())));
        return claims;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
