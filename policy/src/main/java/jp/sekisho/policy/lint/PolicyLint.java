package jp.sekisho.policy.lint;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.App;
import jp.sekisho.policy.DenyRule;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.policy.network.SegmentKind;
import jp.sekisho.policy.source.SourceDocument;

/**
 * Reads a compiled policy for what is legal but probably wrong: rules that can never decide,
 * apps open wider than their users would expect, missing owners, loosened models, (given the
 * audit log) rules nobody used, and allowlist entries whose ISMAP registration lapses. Pure given
 * the instant; the findings are sorted, so runs can be compared.
 */
public final class PolicyLint {

    private PolicyLint() {
    }

    /** The findings as of now by the system clock; see {@link #check(PolicySnapshot, SourceDocument, Optional, Instant)}. */
    public static List<Finding> check(PolicySnapshot policy, SourceDocument source, Optional<Set<String>> usedRules) {
        return check(policy, source, usedRules, Instant.now());
    }

    /**
     * @param source    the policy's document, for fields kept only there (such as {@code owner})
     * @param usedRules "app/rule" of every rule that decided a request in the audited period;
     *                  empty when no audit log was given
     * @param now       the day findings that depend on dates (ISMAP registrations) are judged on
     */
    public static List<Finding> check(PolicySnapshot policy, SourceDocument source, Optional<Set<String>> usedRules,
                                      Instant now) {
        List<Finding> findings = new ArrayList<>();
        BreakoutLint.check(policy.breakout(), now, findings);
        JsonNode appNodes = source.root().path("apps");
        for (App app : policy.apps()) {
            shadowedRules(app, findings);
            openWithoutMfa(policy.segments(), app, findings);
            app.model().overrides().forEach((control, reason) -> findings.add(new Finding("L005", Finding.Severity.WARNING,
                    app.id(), Optional.empty(), "model " + app.model().preset().map(p -> p.code()).orElse("?")
                    + " has its " + control + " loosened (" + reason + ")")));
            if (!hasOwner(appNodes, app.id())) {
                findings.add(new Finding("L004", Finding.Severity.INFO, app.id(), Optional.empty(),
                        "no owner: add 'owner' (a section and contact) so people know whom to ask about this app"));
            }
            usedRules.ifPresent(used -> unusedRules(app, used, findings));
        }
        findings.sort(java.util.Comparator.comparing(Finding::app).thenComparing(Finding::id)
                .thenComparing(f -> f.rule().orElse("")));
        return findings;
    }

    /** L001/L002: an allow rule that an earlier allow rule, or a deny rule, always pre-empts. */
    private static void shadowedRules(App app, List<Finding> findings) {
        List<AllowRule> rules = app.rules();
        for (int j = 0; j < rules.size(); j++) {
            AllowRule later = rules.get(j);
            for (int i = 0; i < j; i++) {
                AllowRule earlier = rules.get(i);
                if (earlier.users().containsAll(later.users()) && earlier.groups().containsAll(later.groups())
                        && covers(earlier.where(), later.where())) {
                    findings.add(new Finding("L001", Finding.Severity.WARNING, app.id(), Optional.of(later.id()),
                            "can never decide: rule '" + earlier.id() + "' before it admits everyone it admits, for"
                                    + " every request it matches"));
                    break;
                }
            }
            for (DenyRule deny : app.denyRules()) {
                boolean everyone = deny.users().isEmpty() && deny.groups().isEmpty();
                if (everyone && covers(deny.where(), later.where())) {
                    findings.add(new Finding("L002", Finding.Severity.WARNING, app.id(), Optional.of(later.id()),
                            "can never admit anyone: deny rule '" + deny.id() + "' refuses every request it matches"));
                    break;
                }
            }
        }
    }

    /** True when every request {@code narrow} matches, {@code broad} matches too (judged conservatively). */
    static boolean covers(RequestMatch broad, RequestMatch narrow) {
        return coversSet(broad.segments(), narrow.segments()) && coversSet(broad.methods(), narrow.methods())
                && (broad.sources().isEmpty() || broad.sources() == narrow.sources())
                && (broad.paths().isEmpty() || !narrow.paths().isEmpty()
                        && Set.copyOf(broad.paths()).containsAll(narrow.paths()))
                && (broad.times().isEmpty() || !narrow.times().isEmpty()
                        && ids(broad.times()).containsAll(ids(narrow.times())));
    }

    private static boolean coversSet(Set<String> broad, Set<String> narrow) {
        return broad.isEmpty() || !narrow.isEmpty() && broad.containsAll(narrow);
    }

    private static Set<String> ids(List<TimeWindow> windows) {
        Set<String> ids = new HashSet<>();
        windows.forEach(w -> ids.add(w.id()));
        return ids;
    }

    /** L003: an app that admits from the internet or telework side with no MFA at all. */
    private static void openWithoutMfa(NetworkSegments segments, App app, List<Finding> findings) {
        if (!app.mfa().equals(MfaRequirement.NONE)) {
            return;
        }
        Set<String> exposed = new TreeSet<>();
        for (AllowRule rule : app.rules()) {
            for (NetworkSegments.Segment segment : segments.all()) {
                boolean outside = segment.kind().filter(k -> k == SegmentKind.INTERNET || k == SegmentKind.TELEWORK)
                        .isPresent();
                if (outside && (rule.segments().isEmpty() || rule.segments().contains(segment.id()))) {
                    exposed.add(segment.id());
                }
            }
        }
        if (!exposed.isEmpty()) {
            findings.add(new Finding("L003", Finding.Severity.ERROR, app.id(), Optional.empty(),
                    "admits from " + exposed + " (internet or telework side) without MFA: set 'mfa', a 'model', or"
                            + " limit the rules' segments"));
        } else if (segments.all().isEmpty() && app.model().preset().isEmpty()) {
            findings.add(new Finding("L003", Finding.Severity.WARNING, app.id(), Optional.empty(),
                    "admits from any network without MFA (no segments are defined): set 'mfa' or define segments"));
        }
    }

    private static boolean hasOwner(JsonNode apps, String id) {
        for (JsonNode app : apps) {
            if (app.path("id").asText().equals(id)) {
                return !app.path("owner").asText("").isBlank();
            }
        }
        return false;
    }

    /** L006: rules that decided no request in the audited period. */
    private static void unusedRules(App app, Set<String> used, List<Finding> findings) {
        List<String> ids = new ArrayList<>();
        app.denyRules().forEach(r -> ids.add(r.id()));
        app.rules().forEach(r -> ids.add(r.id()));
        for (String rule : ids) {
            if (!used.contains(app.id() + "/" + rule)) {
                findings.add(new Finding("L006", Finding.Severity.INFO, app.id(), Optional.of(rule),
                        "decided no request in the audited period: still needed?"));
            }
        }
    }
}
