package jp.sekisho.policy.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.TimeWindow;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BreakoutEngineTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** Tuesday 10:00 in Tokyo. */
    private static final Instant NOW = Instant.parse("2026-11-24T01:00:00Z");
    private static final TimeWindow BUSINESS_HOURS = new TimeWindow("business-hours", TOKYO,
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 30), LocalTime.of(17, 15), Set.of(),
            false);
    private static final TimeWindow NIGHT = new TimeWindow("night", TOKYO, EnumSet.allOf(DayOfWeek.class),
            LocalTime.of(22, 0), LocalTime.of(6, 0), Set.of(), false);
    private static final MfaRequirement FACE_OR_OTP = new MfaRequirement(Set.of("face", "otp"), 0, Optional.empty(),
            Map.of(), Optional.empty());
    private static final PostureRequirement MANAGED = new PostureRequirement(false, true, false, true,
            Optional.empty(), false, false, Map.of(), Optional.empty(), Optional.empty());
    private static final PostureRequirement CERTIFICATE = new PostureRequirement(true, false, false, false,
            Optional.empty(), false, false, Map.of(), Optional.empty(), Optional.empty());

    private static final BreakoutEntry EXCHANGE = entry("m365-exchange", List.of("outlook.office.com"),
            List.of(), false, Optional.empty(), MfaRequirement.NONE, PostureRequirement.NONE, "52.96.0.0/14");
    private static final BreakoutEntry KINTONE = entry("kintone", List.of("city.cybozu.com"), List.of(
            new AllowRule("clerks-daytime", Set.of(), Set.of("shimin-ka"),
                    new RequestMatch(Set.of("lgwan"), Set.of(), List.of(), List.of(BUSINESS_HOURS))),
            new AllowRule("night-shift", Set.of(), Set.of("yakan"),
                    new RequestMatch(Set.of(), Set.of(), List.of(), List.of(NIGHT))),
            new AllowRule("from-home", Set.of(), Set.of("telework-ok"), Set.of("telework"))),
            false, ismap("2027-03-31"), FACE_OR_OTP, MANAGED);
    private static final BreakoutEntry UPDATES = entry("windows-update", List.of("*.update.microsoft.com"),
            List.of(), true, Optional.empty(), FACE_OR_OTP, CERTIFICATE);
    private static final BreakoutEntry LAPSED = entry("lapsed-asp", List.of("asp.example.jp"), List.of(), false,
            ismap("2026-11-23"), MfaRequirement.NONE, PostureRequirement.NONE);
    private static final BreakoutEntry FUTURE = entry("future-asp", List.of("new-asp.example.jp"), List.of(), false,
            Optional.of(new IsmapRegistration("C26-0100-1", Optional.of(LocalDate.parse("2026-12-01")),
                    LocalDate.parse("2028-11-30"))), MfaRequirement.NONE, PostureRequirement.NONE);
    private static final List<BreakoutEntry> ENTRIES = List.of(EXCHANGE, KINTONE, UPDATES, LAPSED, FUTURE);
    private static final ParentProxy PREFECTURE = new ParentProxy("pref-cloud", "proxy.pref.example.lg.jp", 8080,
            Set.of("lgwan"));

    private static BreakoutPolicy policy(BreakoutPolicy.IsmapMode mode) {
        return new BreakoutPolicy(ENTRIES, List.of(PREFECTURE), TenantRestrictions.NONE, mode, TOKYO);
    }

    private static final BreakoutPolicy POLICY = policy(BreakoutPolicy.IsmapMode.ENFORCE);

    private static BreakoutEntry entry(String id, List<String> domains, List<AllowRule> allow, boolean deviceOnly,
                                       Optional<IsmapRegistration> ismap, MfaRequirement mfa,
                                       PostureRequirement posture, String... addresses) {
        return new BreakoutEntry(id, id, domains, Set.of(443), addresses.length == 0 ? CidrSet.NONE
                : CidrSet.of(List.of(addresses)), "default", ismap, allow, mfa, posture, false, deviceOnly,
                Optional.empty());
    }

    private static Optional<IsmapRegistration> ismap(String validUntil) {
        return Optional.of(new IsmapRegistration("C21-0003-1", Optional.empty(), LocalDate.parse(validUntil)));
    }

    private static Authentication user(String groups, String... methods) {
        return Authentication.of(new Identity("https://idp.example.lg.jp", "sub", "sato",
                groups.isEmpty() ? Set.of() : Set.of(groups.split(";")), List.of(methods), Set.of(methods),
                Optional.empty(), Optional.of(NOW.minusSeconds(60)), NOW.plus(Duration.ofDays(1))));
    }

    private static DevicePosture managed(boolean managed, boolean edrRunning) {
        return DevicePosture.token(new DeviceFacts("LG-PC-0001", Optional.of(managed), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("edr", edrRunning, DeviceFacts.Risk.LOW)), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of()), false);
    }

    private static BreakoutRequest request(String authority, Authentication authentication, DevicePosture device,
                                           RequestFacts.Quarantine quarantine, String segment) {
        return new BreakoutRequest(Destination.parseAuthority(authority).orElseThrow(), authentication, device,
                quarantine, Optional.ofNullable(segment), Optional.of("10.20.1.5"));
    }

    private static BreakoutRequest request(String authority, Authentication authentication, String segment) {
        return request(authority, authentication, DevicePosture.unknown(), RequestFacts.Quarantine.NONE, segment);
    }

    private static BreakoutDecision decide(BreakoutRequest request) {
        return BreakoutEngine.decide(request, POLICY, "v-test", NOW);
    }

    private static String codes(BreakoutDecision decision) {
        return String.join(";", decision.decision().reasons().stream().map(Reason::code).toList());
    }

    @Test
    void aListedDestinationIsAllowedDirectlyForAnySignedInUserWhenTheEntryHasNoRules() {
        BreakoutDecision decision = decide(request("outlook.office.com:443", user(""), "internet"));
        assertEquals(Outcome.ALLOW, decision.decision().outcome());
        assertEquals("breakout-allowed", codes(decision));
        assertEquals(Optional.of(EXCHANGE), decision.entry());
        assertEquals(Optional.empty(), decision.parent());
        assertEquals(Optional.empty(), decision.decision().ruleId());
        assertEquals("v-test", decision.decision().policyVersion());
        assertEquals("default", decision.category());
    }

    @ParameterizedTest(name = "{index}: device held={0} user held={1} signed in={2} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | false | true  | DENY            | device-quarantined
            true  | true  | false | DENY            | device-quarantined
            false | true  | true  | DENY            | user-quarantined
            false | true  | false | UNAUTHENTICATED | token-missing
            """)
    void holdsRefuseBeforeAnythingElseAndADeviceHoldNeedsNoSignIn(boolean deviceHeld, boolean userHeld,
                                                                  boolean signedIn, Outcome outcome, String reason) {
        Authentication authentication = signedIn ? user("") : Authentication.failed(Reason.TOKEN_MISSING);
        BreakoutDecision decision = decide(request("outlook.office.com:443", authentication,
                DevicePosture.unknown(), new RequestFacts.Quarantine(deviceHeld, userHeld), "lgwan"));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reason, codes(decision));
        assertEquals(Optional.of(EXCHANGE), decision.entry(), "the audit still sees which entry it was");
        assertEquals(Optional.empty(), decision.parent());
    }

    @ParameterizedTest(name = "{index}: {0} signed in={1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1:443        | false | DENY  | destination-ip-literal
            10.0.0.1:443        | true  | DENY  | destination-ip-literal
            [2001:db8::1]:443   | true  | DENY  | destination-ip-literal
            52.96.1.1:443       | true  | ALLOW | breakout-allowed
            52.96.1.1:443       | false | UNAUTHENTICATED | token-missing
            """)
    void anIpLiteralNoEntryListsIsRefusedWhoeverAsksAndNeverChained(String authority, boolean signedIn,
                                                                   Outcome outcome, String reason) {
        Authentication authentication = signedIn ? user("") : Authentication.failed(Reason.TOKEN_MISSING);
        BreakoutDecision decision = decide(request(authority, authentication, "lgwan"));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reason, codes(decision));
        assertEquals(Optional.empty(), decision.parent());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource({"token-missing", "token-signature-invalid", "token-expired"})
    void withoutAValidTokenTheUserMustSignIn(String code) {
        Reason reason = Reason.fromCode(code).orElseThrow();
        BreakoutDecision decision = decide(request("outlook.office.com:443", Authentication.failed(reason),
                "internet"));
        assertEquals(Outcome.UNAUTHENTICATED, decision.decision().outcome());
        assertEquals(List.of(reason), decision.decision().reasons());
    }

    @Test
    void anIdentityThatExpiredSinceItWasVerifiedMustSignInAgain() {
        Authentication expired = Authentication.of(new Identity("https://idp", "sub", "sato", Set.of(), List.of(),
                Set.of(), Optional.empty(), Optional.empty(), NOW));
        BreakoutDecision decision = decide(request("outlook.office.com:443", expired, "internet"));
        assertEquals(Outcome.UNAUTHENTICATED, decision.decision().outcome());
        assertEquals("token-expired", codes(decision));
    }

    @ParameterizedTest(name = "{index}: {0} certificate={1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            a.update.microsoft.com:443 | true  | ALLOW           | breakout-allowed
            a.update.microsoft.com:443 | false | UNAUTHENTICATED | token-missing
            outlook.office.com:443     | true  | UNAUTHENTICATED | token-missing
            unlisted.example.jp:443    | true  | UNAUTHENTICATED | token-missing
            """)
    void aDeviceOnlyEntryLetsACertifiedDeviceInWithoutAUser(String authority, boolean certificate, Outcome outcome,
                                                            String reason) {
        DevicePosture device = certificate ? DevicePosture.certificate("LG-PC-0001") : DevicePosture.unknown();
        BreakoutDecision decision = decide(request(authority, Authentication.failed(Reason.TOKEN_MISSING), device,
                RequestFacts.Quarantine.NONE, "lgwan"));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reason, codes(decision));
    }

    @Test
    void aSignedInUserOnADeviceOnlyEntryMeetsItsMfaAsWell() {
        BreakoutDecision decision = decide(request("a.update.microsoft.com:443", user("", "pwd"),
                DevicePosture.certificate("LG-PC-0001"), RequestFacts.Quarantine.NONE, "lgwan"));
        assertEquals(Outcome.STEP_UP, decision.decision().outcome());
        assertEquals("mfa-method-missing", codes(decision));
    }

    @ParameterizedTest(name = "{index}: {0} from {1} -> {2} {3} via {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            www.example.com:443       | lgwan    | ALLOW | breakout-chained             | pref-cloud
            www.example.com:443       | internet | DENY  | destination-not-allowed      | -
            www.example.com:443       | -        | DENY  | destination-not-allowed      | -
            outlook.office.com:8443   | lgwan    | ALLOW | breakout-chained             | pref-cloud
            outlook.office.com:8443   | internet | DENY  | destination-port-not-allowed | -
            """)
    void unlistedDestinationsAndPortsAreChainedToTheSegmentsParentOrRefused(String authority, String segment,
                                                                           Outcome outcome, String reason,
                                                                           String parent) {
        BreakoutDecision decision = decide(request(authority, user(""), segment));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reason, codes(decision));
        assertEquals(Optional.ofNullable(parent), decision.parent().map(ParentProxy::id));
        assertEquals(Optional.empty(), decision.decision().ruleId());
        if (parent != null) {
            assertEquals(Optional.empty(), decision.entry(), "a chained tunnel is not the entry's");
            assertEquals(BreakoutDecision.UNLISTED, decision.category());
        }
    }

    @Test
    void aRefusedPortStillNamesTheEntry() {
        BreakoutDecision decision = decide(request("outlook.office.com:25", user(""), "internet"));
        assertEquals(Optional.of(EXCHANGE), decision.entry());
    }

    @Test
    void aParentWithoutSegmentsTakesEverySegmentsUnlistedDestinations() {
        BreakoutPolicy policy = new BreakoutPolicy(ENTRIES, List.of(new ParentProxy("any", "proxy.example.jp", 3128,
                Set.of())), TenantRestrictions.NONE, BreakoutPolicy.IsmapMode.ENFORCE, TOKYO);
        BreakoutDecision decision = BreakoutEngine.decide(request("www.example.com:443", user(""), null), policy,
                "v", NOW);
        assertEquals("breakout-chained", codes(decision));
        assertEquals("any", decision.parent().orElseThrow().id());
    }

    @ParameterizedTest(name = "{index}: {0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            asp.example.jp     | ENFORCE | DENY  | ismap-expired
            asp.example.jp     | WARN    | ALLOW | breakout-allowed;ismap-expired
            new-asp.example.jp | ENFORCE | DENY  | ismap-not-yet-valid
            new-asp.example.jp | WARN    | ALLOW | breakout-allowed;ismap-not-yet-valid
            """)
    void anIsmapRegistrationNotValidTodayRefusesOrWarnsByTheMode(String host, BreakoutPolicy.IsmapMode mode,
                                                                Outcome outcome, String reasons) {
        BreakoutDecision decision = BreakoutEngine.decide(request(host + ":443", user(""), "internet"), policy(mode),
                "v", NOW);
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reasons, codes(decision));
        assertEquals(host, decision.entry().orElseThrow().domains().get(0));
    }

    @ParameterizedTest(name = "{index}: at {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-23T14:59:59Z | breakout-allowed
            2026-11-23T15:00:00Z | ismap-expired
            """)
    void anIsmapRegistrationIsValidToTheEndOfItsLastDayInThePolicysZone(String at, String reason) {
        BreakoutDecision decision = BreakoutEngine.decide(request("asp.example.jp:443", user(""), "internet"), POLICY,
                "v", Instant.parse(at));
        assertEquals(reason, codes(decision));
    }

    @ParameterizedTest(name = "{index}: groups={0} from {1} at {2} -> {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            shimin-ka             | lgwan    | 2026-11-24T01:00:00Z | ALLOW | breakout-allowed    | clerks-daytime
            shimin-ka             | internet | 2026-11-24T01:00:00Z | DENY  | segment-not-allowed | -
            shimin-ka             | lgwan    | 2026-11-24T12:00:00Z | DENY  | time-not-allowed    | -
            shimin-ka;yakan       | internet | 2026-11-24T01:00:00Z | DENY  | segment-not-allowed | -
            yakan                 | internet | 2026-11-24T14:00:00Z | ALLOW | breakout-allowed    | night-shift
            yakan;telework-ok     | telework | 2026-11-24T01:00:00Z | ALLOW | breakout-allowed    | from-home
            soumu                 | lgwan    | 2026-11-24T01:00:00Z | DENY  | user-not-allowed    | -
            """)
    void theEntrysRulesAdmitWithTheNearestMissNamedWhenNoneDoes(String groups, String segment, String at,
                                                               Outcome outcome, String reason, String rule) {
        BreakoutDecision decision = BreakoutEngine.decide(request("city.cybozu.com:443", user(groups, "face"),
                managed(true, true), RequestFacts.Quarantine.NONE, segment), POLICY, "v", Instant.parse(at));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reason, codes(decision));
        assertEquals(Optional.ofNullable(rule), decision.decision().ruleId());
        assertEquals(Optional.of(KINTONE), decision.entry());
    }

    @ParameterizedTest(name = "{index}: managed={0} edr={1} methods={2} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | true  | face | ALLOW   | breakout-allowed
            false | true  | face | DENY    | device-not-managed
            false | false | pwd  | DENY    | device-not-managed;device-edr-not-running
            true  | true  | pwd  | STEP_UP | mfa-method-missing
            """)
    void postureRefusesWithEveryUnmetCheckBeforeMfaAsksForAStepUp(boolean managed, boolean edr, String method,
                                                                 Outcome outcome, String reasons) {
        BreakoutDecision decision = decide(request("city.cybozu.com:443", user("shimin-ka", method),
                managed(managed, edr), RequestFacts.Quarantine.NONE, "lgwan"));
        assertEquals(outcome, decision.decision().outcome());
        assertEquals(reasons, codes(decision));
        assertEquals(Optional.of("clerks-daytime"), decision.decision().ruleId());
    }

    @Test
    void anMfaThatIsTooOldAsksForAStepUp() {
        MfaRequirement fresh = new MfaRequirement(Set.of(), 0, Optional.of(Duration.ofSeconds(30)), Map.of(),
                Optional.empty());
        BreakoutEntry entry = entry("fresh", List.of("fresh.example.jp"), List.of(), false, Optional.empty(), fresh,
                PostureRequirement.NONE);
        BreakoutPolicy policy = new BreakoutPolicy(List.of(entry), List.of(), TenantRestrictions.NONE,
                BreakoutPolicy.IsmapMode.ENFORCE, TOKYO);
        BreakoutDecision decision = BreakoutEngine.decide(request("fresh.example.jp:443", user("", "pwd"), "lgwan"),
                policy, "v", NOW);
        assertEquals(Outcome.STEP_UP, decision.decision().outcome());
        assertEquals("mfa-too-old", codes(decision));
    }
}
