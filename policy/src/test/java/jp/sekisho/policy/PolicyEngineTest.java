package jp.sekisho.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureRequirement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    private static final App RECORDS = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
            URI.create("http://10.0.0.5:8080"), List.of(
                    new AllowRule("clerks", Set.of("sato"), Set.of("shimin-ka")),
                    new AllowRule("auditors", Set.of(), Set.of("kansa"))), MfaRequirement.NONE, Set.of(),
            PostureRequirement.NONE);
    private static final PolicySnapshot SNAPSHOT = new PolicySnapshot("v-test", List.of(RECORDS));

    private static Identity identity(String username, String groups, Instant expiresAt) {
        Set<String> groupSet = groups.isEmpty() ? Set.of() : Set.of(groups.split(";"));
        return new Identity("https://idp.example.lg.jp", "sub-" + username, username, groupSet, List.of("pwd"),
                Set.of("pwd"), Optional.empty(), Optional.empty(), expiresAt);
    }

    private static RequestFacts facts(Authentication authentication) {
        return new RequestFacts(RECORDS, authentication, DevicePosture.unknown(), "GET", "/");
    }

    @ParameterizedTest(name = "{index}: user={0} groups={1} -> {2} {3} rule={4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            sato   |                 | ALLOW | user-allowed     | clerks
            tanaka | shimin-ka       | ALLOW | group-allowed    | clerks
            suzuki | kansa           | ALLOW | group-allowed    | auditors
            suzuki | soumu;kansa     | ALLOW | group-allowed    | auditors
            yamada | soumu           | DENY  | user-not-allowed | -
            yamada |                 | DENY  | user-not-allowed | -
            SATO   |                 | DENY  | user-not-allowed | -
            """)
    void decidesByUserAndGroupWithDefaultDeny(String user, String groups, Outcome outcome, String reason,
                                              String rule) {
        Decision decision = PolicyEngine.decide(
                facts(Authentication.of(identity(user, groups == null ? "" : groups, NOW.plusSeconds(60)))),
                SNAPSHOT, NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
        assertEquals(Optional.ofNullable(rule), decision.ruleId());
        assertEquals("v-test", decision.policyVersion());
    }

    @ParameterizedTest
    @CsvSource({"token-missing", "token-expired", "token-signature-invalid"})
    void failedAuthenticationIsUnauthenticatedWithItsReason(String code) {
        Reason reason = Reason.fromCode(code).orElseThrow();
        Decision decision = PolicyEngine.decide(facts(Authentication.failed(reason)), SNAPSHOT, NOW);
        assertEquals(Outcome.UNAUTHENTICATED, decision.outcome());
        assertEquals(List.of(reason), decision.reasons());
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void identityThatExpiredSinceItWasVerifiedIsNotAllowed(long secondsLeft) {
        Decision decision = PolicyEngine.decide(
                facts(Authentication.of(identity("sato", "", NOW.plusSeconds(secondsLeft)))), SNAPSHOT, NOW);
        assertEquals(Outcome.UNAUTHENTICATED, decision.outcome());
        assertEquals(Reason.TOKEN_EXPIRED, decision.primaryReason());
    }

    @ParameterizedTest(name = "{index}: user={0} methods={1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            sato   | face | ALLOW   | user-allowed
            sato   | pwd  | STEP_UP | mfa-method-missing
            yamada | pwd  | DENY    | user-not-allowed
            yamada | face | DENY    | user-not-allowed
            """)
    void denyWinsOverStepUpAndStepUpNamesWhatIsMissing(String user, String method, Outcome outcome, String reason) {
        App faceApp = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(new AllowRule("clerks", Set.of("sato"), Set.of())),
                new MfaRequirement(Set.of("face", "otp"), 0, Optional.empty(), java.util.Map.of(), Optional.empty()),
                Set.of(), PostureRequirement.NONE);
        Identity identity = new Identity("https://idp", "s", user, Set.of(), List.of(method), Set.of(method),
                Optional.empty(), Optional.of(NOW), NOW.plusSeconds(60));
        Decision decision = PolicyEngine.decide(new RequestFacts(faceApp, Authentication.of(identity),
                DevicePosture.unknown(), "GET", "/"), new PolicySnapshot("v", List.of(faceApp)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    @ParameterizedTest
    @CsvSource({"https://idp.example.lg.jp,ALLOW", "https://other-idp.example.jp,UNAUTHENTICATED"})
    void appAcceptsUsersOnlyFromItsIssuers(String issuer, Outcome outcome) {
        App lgwanOnly = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(new AllowRule("clerks", Set.of("sato"), Set.of())),
                MfaRequirement.NONE, Set.of("https://idp.example.lg.jp"), PostureRequirement.NONE);
        Identity identity = new Identity(issuer, "s", "sato", Set.of(), List.of(), Set.of(), Optional.empty(),
                Optional.empty(), NOW.plusSeconds(60));
        Decision decision = PolicyEngine.decide(new RequestFacts(lgwanOnly, Authentication.of(identity),
                DevicePosture.unknown(), "GET", "/"), new PolicySnapshot("v", List.of(lgwanOnly)), NOW);
        assertEquals(outcome, decision.outcome());
        if (outcome == Outcome.UNAUTHENTICATED) {
            assertEquals(Reason.ISSUER_NOT_ACCEPTED, decision.primaryReason());
        }
    }

    private static final PostureRequirement MANAGED_WITH_EDR = new PostureRequirement(false, true, false, true,
            Optional.empty(), false, false, java.util.Map.of(), Optional.empty(), Optional.empty());

    private static App tax(MfaRequirement mfa) {
        return new App("tax", "税務", List.of("tax.example.lg.jp"), List.of("/"), URI.create("http://10.0.0.6:8080"),
                List.of(new AllowRule("zeimu", Set.of(), Set.of("zeimu-ka"))), mfa, Set.of(), MANAGED_WITH_EDR);
    }

    private static DevicePosture device(boolean managed, boolean edrRunning) {
        return DevicePosture.token(new jp.sekisho.posture.DeviceFacts("LG-PC-0001", Optional.of(managed),
                jp.sekisho.posture.DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new jp.sekisho.posture.DeviceFacts.Edr("edr", edrRunning,
                        jp.sekisho.posture.DeviceFacts.Risk.LOW)),
                Optional.empty(), Optional.empty(), Optional.empty(), java.util.Map.of()), false);
    }

    private static Decision decideTax(App app, String user, String group, DevicePosture device,
                                      RequestFacts.Quarantine quarantine) {
        Identity identity = new Identity("https://idp", "sub-" + user, user, Set.of(group), List.of("pwd"),
                Set.of("pwd"), Optional.empty(), Optional.of(NOW), NOW.plusSeconds(60));
        return PolicyEngine.decide(new RequestFacts(app, Authentication.of(identity), device, "GET", "/", quarantine),
                new PolicySnapshot("v", List.of(app)), NOW);
    }

    @ParameterizedTest(name = "{index}: managed={0} edr={1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | true  | ALLOW | group-allowed
            false | true  | DENY  | device-not-managed
            true  | false | DENY  | device-edr-not-running
            false | false | DENY  | device-not-managed;device-edr-not-running
            """)
    void postureFailuresRefuseWithEveryUnmetCheckAndTheAdmittingRule(boolean managed, boolean edr, Outcome outcome,
                                                                     String reasons) {
        Decision decision = decideTax(tax(MfaRequirement.NONE), "sato", "zeimu-ka", device(managed, edr),
                RequestFacts.Quarantine.NONE);
        assertEquals(outcome, decision.outcome());
        assertEquals(List.of(reasons.split(";")), decision.reasons().stream().map(Reason::code).toList());
        assertEquals(Optional.of("zeimu"), decision.ruleId());
    }

    @org.junit.jupiter.api.Test
    void aDeviceWithoutEvidenceIsUnknownToAnAppThatDemandsPosture() {
        Decision decision = decideTax(tax(MfaRequirement.NONE), "sato", "zeimu-ka", DevicePosture.unknown(),
                RequestFacts.Quarantine.NONE);
        assertEquals(List.of(Reason.DEVICE_UNKNOWN), decision.reasons());
    }

    @org.junit.jupiter.api.Test
    void aBadDeviceIsRefusedRatherThanSentToStepUp() {
        MfaRequirement face = new MfaRequirement(Set.of("face"), 0, Optional.empty(), java.util.Map.of(),
                Optional.empty());
        Decision decision = decideTax(tax(face), "sato", "zeimu-ka", device(false, true), RequestFacts.Quarantine.NONE);
        assertEquals(Outcome.DENY, decision.outcome());
        assertEquals(Reason.DEVICE_NOT_MANAGED, decision.primaryReason());
        assertEquals(Outcome.STEP_UP, decideTax(tax(face), "sato", "zeimu-ka", device(true, true),
                RequestFacts.Quarantine.NONE).outcome());
    }

    @ParameterizedTest(name = "{index}: device held={0} user held={1} authenticated={2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | false | true  | DENY            | device-quarantined
            false | true  | true  | DENY            | user-quarantined
            true  | true  | true  | DENY            | device-quarantined
            true  | false | false | DENY            | device-quarantined
            false | true  | false | UNAUTHENTICATED | token-missing
            """)
    void quarantineRefusesBeforeAnyRuleAndADeviceHoldNeedsNoSignIn(boolean deviceHeld, boolean userHeld,
                                                                   boolean authenticated, Outcome outcome,
                                                                   String reason) {
        RequestFacts.Quarantine quarantine = new RequestFacts.Quarantine(deviceHeld, userHeld);
        Decision decision = authenticated
                ? decideTax(tax(MfaRequirement.NONE), "sato", "zeimu-ka", device(true, true), quarantine)
                : PolicyEngine.decide(new RequestFacts(tax(MfaRequirement.NONE),
                        Authentication.failed(Reason.TOKEN_MISSING), device(true, true), "GET", "/", quarantine),
                        SNAPSHOT, NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    @org.junit.jupiter.api.Test
    void everyPostureFailureHasAReasonWithTheSameCode() {
        for (jp.sekisho.posture.PostureFailure failure : jp.sekisho.posture.PostureFailure.values()) {
            assertEquals(failure.code(), Reason.of(failure).code());
        }
    }

    @ParameterizedTest(name = "{index}: preflight={0} appAllows={1} deviceHeld={2} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | true  | false | ALLOW           | anonymous-preflight
            true  | false | false | UNAUTHENTICATED | token-missing
            false | true  | false | UNAUTHENTICATED | token-missing
            true  | true  | true  | DENY            | device-quarantined
            """)
    void anonymousPreflightOnlyWhereTheAppAllowsItAndNeverPastAQuarantine(boolean preflight, boolean appAllows,
                                                                          boolean deviceHeld, Outcome outcome,
                                                                          String reason) {
        App app = new App("portal", "portal", List.of("portal.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.6:8080"), RECORDS.rules(), MfaRequirement.NONE, Set.of(),
                PostureRequirement.NONE, false, appAllows);
        Decision decision = PolicyEngine.decide(new RequestFacts(app, Authentication.failed(Reason.TOKEN_MISSING),
                DevicePosture.unknown(), "OPTIONS", "/api", new RequestFacts.Quarantine(deviceHeld, false), preflight),
                new PolicySnapshot("v-test", List.of(app)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    @ParameterizedTest(name = "{index}: {0} from {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            sato   | lgwan     | ALLOW | user-allowed
            sato   | telework  | DENY  | segment-not-allowed
            sato   | -         | DENY  | segment-not-allowed
            tanaka | telework  | ALLOW | group-allowed
            yamada | lgwan     | DENY  | user-not-allowed
            """)
    void rulesAdmitOnlyFromTheirSegments(String user, String segment, Outcome outcome, String reason) {
        App app = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(
                        new AllowRule("office", Set.of("sato"), Set.of(), Set.of("lgwan")),
                        new AllowRule("telework", Set.of(), Set.of("shimin-ka"), Set.of("telework", "lgwan"))),
                MfaRequirement.NONE, Set.of(), PostureRequirement.NONE);
        Decision decision = PolicyEngine.decide(new RequestFacts(app,
                        Authentication.of(identity(user, user.equals("tanaka") ? "shimin-ka" : "", NOW.plusSeconds(60))),
                        DevicePosture.unknown(), "GET", "/", RequestFacts.Quarantine.NONE, false,
                        Optional.ofNullable(segment)),
                new PolicySnapshot("v-test", List.of(app)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    private static final App FILES = new App("files", "文書管理", List.of("files.example.lg.jp"), List.of("/"),
            URI.create("http://10.0.0.7:8080"), List.of(
                    new AllowRule("readers", Set.of(), Set.of("kansa"), new RequestMatch(Set.of(), Set.of("GET", "HEAD"),
                            List.of())),
                    new AllowRule("clerks", Set.of(), Set.of("shimin-ka"), RequestMatch.ANY)),
            MfaRequirement.NONE, Set.of(), PostureRequirement.NONE, false, false, List.of(
                    new DenyRule("no-export-from-telework", Set.of(), Set.of(),
                            new RequestMatch(Set.of("telework"), Set.of(), List.of(PathGlob.of("/export/**")))),
                    new DenyRule("tanaka-never-deletes", Set.of("tanaka"), Set.of(),
                            new RequestMatch(Set.of(), Set.of("DELETE"), List.of()))));

    @ParameterizedTest(name = "{index}: {0} {2} {3} from {1} -> {4} {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            sato   | shimin-ka | GET    | /export/a.csv | lgwan    | ALLOW | group-allowed       | clerks
            sato   | shimin-ka | GET    | /export/a.csv | telework | DENY  | denied-by-rule      | no-export-from-telework
            sato   | shimin-ka | GET    | /Export/a.csv | telework | DENY  | denied-by-rule      | no-export-from-telework
            sato   | shimin-ka | GET    | /docs/a       | telework | ALLOW | group-allowed       | clerks
            tanaka | shimin-ka | DELETE | /docs/a       | lgwan    | DENY  | denied-by-rule      | tanaka-never-deletes
            tanaka | shimin-ka | POST   | /docs/a       | lgwan    | ALLOW | group-allowed       | clerks
            suzuki | kansa     | GET    | /docs/a       | lgwan    | ALLOW | group-allowed       | readers
            suzuki | kansa     | POST   | /docs/a       | lgwan    | DENY  | request-not-allowed | -
            yamada | soumu     | GET    | /docs/a       | lgwan    | DENY  | user-not-allowed    | -
            """)
    void denyWinsAndRulesMatchMethodsAndPaths(String user, String group, String method, String path, String segment,
                                              Outcome outcome, String reason, String rule) {
        Decision decision = PolicyEngine.decide(new RequestFacts(FILES,
                        Authentication.of(identity(user, group, NOW.plusSeconds(60))), DevicePosture.unknown(), method,
                        path, RequestFacts.Quarantine.NONE, false, Optional.of(segment)),
                new PolicySnapshot("v-test", List.of(FILES)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
        assertEquals(Optional.ofNullable(rule), decision.ruleId());
    }

    @ParameterizedTest(name = "{index}: at {0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-24T10:00:00+09:00 | ALLOW | group-allowed
            2026-11-24T20:00:00+09:00 | DENY  | time-not-allowed
            2026-11-28T10:00:00+09:00 | DENY  | time-not-allowed
            """)
    void aRuleWithATimeWindowAdmitsOnlyInsideIt(String at, Outcome outcome, String reason) {
        TimeWindow business = new TimeWindow("business-hours", java.time.ZoneId.of("Asia/Tokyo"),
                java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY),
                java.time.LocalTime.of(8, 30), java.time.LocalTime.of(17, 15), Set.of(), false);
        App app = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(new AllowRule("clerks", Set.of(), Set.of("shimin-ka"),
                        new RequestMatch(Set.of(), Set.of(), List.of(), List.of(business)))),
                MfaRequirement.NONE, Set.of(), PostureRequirement.NONE);
        Instant now = java.time.OffsetDateTime.parse(at).toInstant();
        Decision decision = PolicyEngine.decide(new RequestFacts(app,
                        Authentication.of(identity("tanaka", "shimin-ka", now.plusSeconds(60))), DevicePosture.unknown(),
                        "GET", "/"), new PolicySnapshot("v-test", List.of(app)), now);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    @ParameterizedTest(name = "{index}: from {0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            10.20.1.5    | ALLOW | group-allowed
            10.20.2.5    | DENY  | segment-not-allowed
            fd00:20::1   | ALLOW | group-allowed
            -            | DENY  | segment-not-allowed
            """)
    void aRuleWithSourceRangesAdmitsOnlyFromThem(String from, Outcome outcome, String reason) {
        App app = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(new AllowRule("counter-pcs", Set.of(), Set.of("shimin-ka"),
                        new RequestMatch(Set.of(), Set.of(), List.of(), List.of(),
                                jp.sekisho.policy.network.CidrSet.of(List.of("10.20.1.0/24", "fd00:20::/32"))))),
                MfaRequirement.NONE, Set.of(), PostureRequirement.NONE);
        Decision decision = PolicyEngine.decide(new RequestFacts(app,
                        Authentication.of(identity("tanaka", "shimin-ka", NOW.plusSeconds(60))), DevicePosture.unknown(),
                        "GET", "/", RequestFacts.Quarantine.NONE, false, Optional.empty(), Optional.ofNullable(from)),
                new PolicySnapshot("v-test", List.of(app)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }

    @ParameterizedTest(name = "{index}: department={0} type={1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            市民課 | regular | ALLOW | claims-allowed
            住民課 | regular | ALLOW | claims-allowed
            税務課 | regular | DENY  | user-not-allowed
            市民課 | -       | DENY  | user-not-allowed
            -      | -       | DENY  | user-not-allowed
            """)
    void aRuleMayNameWhoByTheirClaims(String department, String type, Outcome outcome, String reason) {
        App app = new App("records", "住民記録", List.of("records.example.lg.jp"), List.of("/"),
                URI.create("http://10.0.0.5:8080"), List.of(new AllowRule("by-department", Set.of(), Set.of(),
                        RequestMatch.ANY, java.util.Map.of("department", Set.of("市民課", "住民課"),
                                "employee_type", Set.of("regular")))),
                MfaRequirement.NONE, Set.of(), PostureRequirement.NONE);
        java.util.Map<String, List<String>> claims = new java.util.HashMap<>();
        if (department != null) {
            claims.put("department", List.of(department));
        }
        if (type != null) {
            claims.put("employee_type", List.of(type));
        }
        Identity identity = new Identity("https://idp.example.lg.jp", "sub-x", "x", Set.of(), List.of("pwd"),
                Set.of("pwd"), Optional.empty(), Optional.empty(), NOW.plusSeconds(60), claims);
        Decision decision = PolicyEngine.decide(new RequestFacts(app, Authentication.of(identity),
                DevicePosture.unknown(), "GET", "/"), new PolicySnapshot("v-test", List.of(app)), NOW);
        assertEquals(outcome, decision.outcome());
        assertEquals(reason, decision.primaryReason().code());
    }
}
