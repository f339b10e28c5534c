package jp.sekisho.policy.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.OsVersion;
import org.junit.jupiter.api.Test;

/**
 * A day of traffic recorded under the policy in force, replayed under drafts that each change
 * one thing: exactly the requests that change should flip, and nothing else.
 */
class ReplayTest {

    /** Tuesday 2026-11-24 10:00 JST: inside business hours. */
    private static final Instant TUESDAY_10 = Instant.parse("2026-11-24T01:00:00Z");

    private static final String SEGMENTS = """
            segments:
              - {id: lgwan, name: LGWAN接続系, cidrs: [10.20.0.0/16]}
              - {id: telework, name: テレワーク, cidrs: [10.99.0.0/16]}
            timeWindows:
              - {id: business-hours, days: [mon, tue, wed, thu, fri], hours: 08:30-17:15}
            """;

    /** The policy in force: records admits two groups and one user, with sign-ins up to an hour old. */
    private static final String CURRENT = SEGMENTS + """
            apps:
              - id: records
                hosts: [records.example.lg.jp]
                upstream: http://10.0.0.5:8080
                mfa: {maxAgeSeconds: 3600}
                cors: {anonymousPreflight: true}
                allow:
                  - id: clerks
                    groups: [shimin-ka, zeimu-ka]
                  - id: it-admin
                    users: [tanaka]
              - id: portal
                hosts: [portal.example.lg.jp]
                upstream: http://10.0.0.6:8080
                allow:
                  - id: staff
                    groups: [shimin-ka, zeimu-ka, soumu]
            """;

    private final PolicySnapshot current = compile(CURRENT, "current");
    private final List<RecordedRequest> day = new ArrayList<>();

    private static PolicySnapshot compile(String yaml, String version) {
        try {
            return PolicyCompiler.compile(SourceDocument.parse(version + ".yaml", yaml), version);
        } catch (ConfigException e) {
            throw new AssertionError(e.errors().toString(), e);
        }
    }

    /** {@code CURRENT} with {@code from} replaced by {@code to}: a draft that changes one thing. */
    private static PolicySnapshot draft(String from, String to) {
        assertTrue(CURRENT.contains(from), from);
        return compile(CURRENT.replace(from, to), "draft");
    }

    private static Identity user(String name, Duration authAge, Instant at, String... groups) {
        return new Identity("https://idp.example.lg.jp", "sub-" + name, name, Set.of(groups), List.of("pwd", "otp"),
                Set.of("pwd", "otp"), Optional.empty(), Optional.of(at.minus(authAge)), at.plusSeconds(600));
    }

    /** Records a request as the gateway would have under the current policy. */
    private RecordedRequest record(String id, Instant at, String host, String path, String source,
                                   Optional<Identity> who, DevicePosture device) {
        Verdict verdict;
        App app = current.route(host, path).orElse(null);
        if (app == null) {
            verdict = new Verdict(Optional.empty(), Outcome.DENY, List.of(Reason.APP_UNKNOWN), Optional.empty());
        } else {
            Authentication authentication = who.<Authentication>map(Authentication::of)
                    .orElse(Authentication.failed(Reason.TOKEN_MISSING));
            Decision decision = PolicyEngine.decide(new RequestFacts(app, authentication, device, "GET", path,
                    RequestFacts.Quarantine.NONE, false, current.segments().of(source), Optional.of(source)),
                    current, at);
            verdict = new Verdict(Optional.of(app.id()), decision.outcome(), decision.reasons(), decision.ruleId());
        }
        RecordedRequest request = RecordedRequest.of(id, at, host, path, "GET", Optional.of(source), false, who,
                device, verdict, "current");
        day.add(request);
        return request;
    }

    private RecordedRequest records(String id, Identity who) {
        return record(id, TUESDAY_10, "records.example.lg.jp", "/juminhyo", "10.20.1.2", Optional.of(who),
                DevicePosture.unknown());
    }

    private RecordedRequest portal(String id, Identity who) {
        return record(id, TUESDAY_10, "portal.example.lg.jp", "/", "10.20.1.2", Optional.of(who),
                DevicePosture.unknown());
    }

    /** The usual day: clerks of both groups, the IT admin, a stranger, and sign-in-less requests. */
    private void usualDay() {
        Duration fresh = Duration.ofMinutes(5);
        records("r-sato", user("sato", fresh, TUESDAY_10, "shimin-ka"));
        records("r-suzuki-1", user("suzuki", fresh, TUESDAY_10, "zeimu-ka"));
        records("r-suzuki-2", user("suzuki", fresh, TUESDAY_10, "zeimu-ka"));
        records("r-kato", user("kato", fresh, TUESDAY_10, "zeimu-ka", "shimin-ka"));
        records("r-tanaka", user("tanaka", fresh, TUESDAY_10, "zeimu-ka"));
        records("r-yamada", user("yamada", fresh, TUESDAY_10, "soumu"));
        portal("p-suzuki", user("suzuki", fresh, TUESDAY_10, "zeimu-ka"));
        portal("p-yamada", user("yamada", fresh, TUESDAY_10, "soumu"));
        record("r-nobody", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.empty(),
                DevicePosture.unknown());
        record("x-unknown", TUESDAY_10, "elsewhere.example.lg.jp", "/", "10.20.1.2", Optional.empty(),
                DevicePosture.unknown());
    }

    private static List<String> ids(ReplayReport report, Change change) {
        return report.examples().getOrDefault(change, List.of()).stream().map(ReplayExample::requestId).toList();
    }

    @Test
    void theCurrentPolicyReplayedChangesNothing() {
        usualDay();
        ReplayReport report = Replay.run(current, day, ReplayOptions.ALL);

        assertEquals(day.size(), report.total());
        assertEquals(day.size(), report.replayed());
        assertEquals(day.size(), report.unchanged());
        assertFalse(report.anyChanged());
        assertEquals(Map.of("current", (long) day.size()), report.recordedVersions());
    }

    @Test
    void removingAGroupFromARuleDeniesExactlyThatGroupsOnlyMembers() {
        usualDay();
        ReplayReport report = Replay.run(draft("groups: [shimin-ka, zeimu-ka]\n", "groups: [shimin-ka]\n"), day,
                ReplayOptions.ALL);

        assertEquals(List.of("r-suzuki-1", "r-suzuki-2"), ids(report, Change.ALLOW_TO_DENY),
                "kato is in shimin-ka too, tanaka is admitted by name, suzuki's portal access is another app");
        ReplayExample denied = report.examples().get(Change.ALLOW_TO_DENY).get(0);
        assertEquals("allow (group-allowed) rule clerks", denied.before().toString());
        assertEquals("deny (user-not-allowed)", denied.after().toString());
        assertEquals(List.of("r-tanaka"), ids(report, Change.REASON_CHANGED), "still allowed, now by name");
        assertEquals("allow (user-allowed) rule it-admin",
                report.examples().get(Change.REASON_CHANGED).get(0).after().toString());
        assertEquals(Map.of(Change.ALLOW_TO_DENY, 2L, Change.REASON_CHANGED, 1L), report.changes());
        assertEquals(3, report.changed());
        assertEquals(Map.of("suzuki", 2L, "tanaka", 1L), report.changedByUser());
        assertEquals(Map.of("records", 3L), report.changedByApp());
        assertEquals(Map.of("user-not-allowed", 2L, "user-allowed", 1L), report.changedByReason());
        assertEquals(day.size() - 3, report.unchanged());
        assertEquals("draft", report.draftVersion());
    }

    @Test
    void tighteningMfaMaxAgeStepsUpOnlySignInsOlderThanTheNewLimitAtTheirRecordedTime() {
        records("m-1min", user("sato", Duration.ofMinutes(1), TUESDAY_10, "shimin-ka"));
        records("m-14min", user("sato", Duration.ofMinutes(14), TUESDAY_10, "shimin-ka"));
        records("m-16min", user("sato", Duration.ofMinutes(16), TUESDAY_10, "shimin-ka"));
        records("m-50min", user("sato", Duration.ofMinutes(50), TUESDAY_10, "shimin-ka"));
        records("m-70min", user("sato", Duration.ofMinutes(70), TUESDAY_10, "shimin-ka")); // already stepped up

        ReplayReport report = Replay.run(draft("maxAgeSeconds: 3600", "maxAgeSeconds: 900"), day, ReplayOptions.ALL);

        // Judged at the recorded time: judged now, every one of these sign-ins would be too old.
        assertEquals(List.of("m-16min", "m-50min"), ids(report, Change.ALLOW_TO_DENY));
        assertEquals(2, report.changed());
        assertEquals(Map.of("mfa-too-old", 2L), report.changedByReason());
        assertEquals(Outcome.STEP_UP, report.examples().get(Change.ALLOW_TO_DENY).get(0).after().outcome());
        assertEquals(3, report.unchanged());
    }

    @Test
    void addingAGroupAllowsWhatWasDeniedAndNothingElse() {
        usualDay();
        ReplayReport report = Replay.run(draft("groups: [shimin-ka, zeimu-ka]\n",
                "groups: [shimin-ka, zeimu-ka, soumu]\n"), day, ReplayOptions.ALL);

        assertEquals(Map.of(Change.DENY_TO_ALLOW, 1L), report.changes());
        assertEquals(List.of("r-yamada"), ids(report, Change.DENY_TO_ALLOW));
        ReplayExample example = report.examples().get(Change.DENY_TO_ALLOW).get(0);
        assertEquals("deny (user-not-allowed)", example.before().toString());
        assertEquals("allow (group-allowed) rule clerks", example.after().toString());
    }

    @Test
    void aTimeWindowIsJudgedAtTheRecordedTime() {
        Identity sato = user("sato", Duration.ofMinutes(5), TUESDAY_10, "shimin-ka");
        records("t-10", sato);
        Instant evening = TUESDAY_10.plus(Duration.ofHours(9)); // 19:00 JST
        record("t-19", evening, "records.example.lg.jp", "/", "10.20.1.2",
                Optional.of(user("sato", Duration.ofMinutes(5), evening, "shimin-ka")), DevicePosture.unknown());

        ReplayReport report = Replay.run(draft("groups: [shimin-ka, zeimu-ka]\n",
                "groups: [shimin-ka, zeimu-ka]\n        times: [business-hours]\n"), day, ReplayOptions.ALL);

        assertEquals(List.of("t-19"), ids(report, Change.ALLOW_TO_DENY));
        assertEquals(Map.of("time-not-allowed", 1L), report.changedByReason());
    }

    @Test
    void segmentsAreThoseOfTheDraftPlacedByTheRecordedSource() {
        Identity sato = user("sato", Duration.ofMinutes(5), TUESDAY_10, "shimin-ka");
        record("s-lgwan", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.of(sato),
                DevicePosture.unknown());
        record("s-telework", TUESDAY_10, "records.example.lg.jp", "/", "10.99.1.2", Optional.of(sato),
                DevicePosture.unknown());
        record("s-none", TUESDAY_10, "records.example.lg.jp", "/", "192.0.2.7", Optional.of(sato),
                DevicePosture.unknown());

        ReplayReport report = Replay.run(draft("groups: [shimin-ka, zeimu-ka]\n",
                "groups: [shimin-ka, zeimu-ka]\n        segments: [lgwan]\n"), day, ReplayOptions.ALL);

        assertEquals(List.of("s-telework", "s-none"), ids(report, Change.ALLOW_TO_DENY));
        assertEquals(Map.of("segment-not-allowed", 2L), report.changedByReason());
    }

    @Test
    void aPostureRequirementRefusesTheDevicesThatDidNotMeetItWhenRecorded() {
        Identity sato = user("sato", Duration.ofMinutes(5), TUESDAY_10, "shimin-ka");
        // seen by MDM an hour before the request: fresh enough then (2 h), long stale by now
        DevicePosture encrypted = DevicePosture.token(facts("PC-1", true, TUESDAY_10.minusSeconds(3600)), false);
        DevicePosture plain = DevicePosture.token(facts("PC-2", false, TUESDAY_10.minusSeconds(3600)), false);
        record("d-encrypted", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.of(sato), encrypted);
        record("d-plain", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.of(sato), plain);
        record("d-none", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.of(sato),
                DevicePosture.unknown());

        ReplayReport report = Replay.run(draft("cors: {anonymousPreflight: true}\n",
                "cors: {anonymousPreflight: true}\n    posture: {diskEncrypted: true, maxObservationAgeSeconds: 7200}\n"),
                day, ReplayOptions.ALL);

        assertEquals(List.of("d-plain", "d-none"), ids(report, Change.ALLOW_TO_DENY));
        assertEquals(Map.of("device-disk-not-encrypted", 1L, "device-unknown", 1L), report.changedByReason());
    }

    private static DeviceFacts facts(String id, boolean diskEncrypted, Instant observed) {
        return new DeviceFacts(id, Optional.of(true), DeviceFacts.Compliance.COMPLIANT, Optional.empty(),
                Optional.of(diskEncrypted), Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                OsVersion.parse("10.0.22631").orElseThrow(), Optional.of(3))), Map.of("mdm", observed));
    }

    @Test
    void requestsWithoutIdentityAreReplayedToo() {
        RecordedRequest preflight = RecordedRequest.of("c-preflight", TUESDAY_10, "records.example.lg.jp", "/api",
                "OPTIONS", Optional.of("10.20.1.2"), true, Optional.empty(), DevicePosture.unknown(),
                new Verdict(Optional.of("records"), Outcome.ALLOW, List.of(Reason.ANONYMOUS_PREFLIGHT),
                        Optional.of(PolicyEngine.ANONYMOUS_PREFLIGHT_RULE)), "current");
        day.add(preflight);
        record("c-nobody", TUESDAY_10, "records.example.lg.jp", "/", "10.20.1.2", Optional.empty(),
                DevicePosture.unknown());
        record("c-unknown-host", TUESDAY_10, "new.example.lg.jp", "/", "10.20.1.2", Optional.empty(),
                DevicePosture.unknown());

        ReplayReport withoutPreflights = Replay.run(draft("    cors: {anonymousPreflight: true}\n", ""), day,
                ReplayOptions.ALL);
        assertEquals(List.of("c-preflight"), ids(withoutPreflights, Change.ALLOW_TO_DENY));
        assertEquals("unauthenticated (token-missing)",
                withoutPreflights.examples().get(Change.ALLOW_TO_DENY).get(0).after().toString());
        assertEquals(2, withoutPreflights.unchanged(), "still token-missing; still no app on that host");

        ReplayReport recordsGone = Replay.run(draft("hosts: [records.example.lg.jp]", "hosts: [old.example.lg.jp]"),
                day, ReplayOptions.ALL);
        assertEquals(Map.of(Change.REFUSAL_CHANGED, 1L, Change.ALLOW_TO_DENY, 1L), recordsGone.changes(),
                "no app serves records' host any more: app-unknown");
        assertEquals(Map.of("records", 2L), recordsGone.changedByApp(), "counted under the app they were for");
        assertEquals(Map.of("app-unknown", 2L), recordsGone.changedByReason());
    }

    @Test
    void operatorHoldsAndFailuresAfterTheDecisionAreKeptAsRecorded() {
        Identity sato = user("sato", Duration.ofMinutes(5), TUESDAY_10, "shimin-ka");
        Identity yamada = user("yamada", Duration.ofMinutes(5), TUESDAY_10, "soumu");
        day.add(RecordedRequest.of("h-device", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.of(yamada), DevicePosture.certificate("PC-9"),
                new Verdict(Optional.of("records"), Outcome.DENY, List.of(Reason.DEVICE_QUARANTINED), Optional.empty()),
                "current"));
        day.add(RecordedRequest.of("h-user", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.of(yamada), DevicePosture.unknown(),
                new Verdict(Optional.of("records"), Outcome.DENY, List.of(Reason.USER_QUARANTINED), Optional.empty()),
                "current"));
        day.add(RecordedRequest.of("h-upstream", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.of(sato), DevicePosture.unknown(),
                new Verdict(Optional.of("records"), Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED,
                        Reason.UPSTREAM_TIMEOUT), Optional.of("clerks")), "current"));

        ReplayReport report = Replay.run(draft("groups: [shimin-ka, zeimu-ka]\n",
                "groups: [shimin-ka, zeimu-ka, soumu]\n"), day, ReplayOptions.ALL);

        assertEquals(3, report.unchanged(), "held stays held, however the rules change; the upstream is not the"
                + " policy's business");
        assertFalse(report.anyChanged());
    }

    @Test
    void recordsThatCannotBeDecidedAgainAreCountedWithWhy() {
        Identity sato = user("sato", Duration.ofMinutes(5), TUESDAY_10, "shimin-ka");
        day.add(new RecordedRequest("n-old", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.empty(), DevicePosture.unknown(),
                new Verdict(Optional.of("records"), Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED), Optional.of("clerks")),
                "older", Optional.of(NotReplayable.FACTS_NOT_RECORDED)));
        day.add(RecordedRequest.of("n-invalid", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.empty(), DevicePosture.unknown(),
                new Verdict(Optional.empty(), Outcome.DENY, List.of(Reason.REQUEST_INVALID), Optional.empty()),
                "current"));
        day.add(RecordedRequest.of("n-login", TUESDAY_10, "records.example.lg.jp", "/.sekisho/callback", "GET",
                Optional.of("10.20.1.2"), false, Optional.empty(), DevicePosture.unknown(),
                new Verdict(Optional.empty(), Outcome.ALLOW, List.of(Reason.LOGIN_FLOW), Optional.of("sekisho-login")),
                "current"));
        day.add(RecordedRequest.of("n-timeout", TUESDAY_10, "records.example.lg.jp", "/", "GET",
                Optional.of("10.20.1.2"), false, Optional.of(sato), DevicePosture.unknown(),
                new Verdict(Optional.of("records"), Outcome.DENY, List.of(Reason.PROCESSING_TIMEOUT), Optional.empty()),
                "current"));
        record("n-new-host", TUESDAY_10, "new.example.lg.jp", "/", "10.20.1.2", Optional.empty(),
                DevicePosture.unknown());
        records("n-fine", sato);

        ReplayReport report = Replay.run(draft("hosts: [portal.example.lg.jp]",
                "hosts: [portal.example.lg.jp, new.example.lg.jp]"), day, ReplayOptions.ALL);

        assertEquals(6, report.total());
        assertEquals(1, report.replayed());
        assertEquals(5, report.notReplayed());
        assertEquals(Map.of(NotReplayable.FACTS_NOT_RECORDED, 1L, NotReplayable.OUTSIDE_POLICY, 2L,
                NotReplayable.NO_DECISION, 1L, NotReplayable.IDENTITY_NEVER_CHECKED, 1L), report.notReplayable());
        assertFalse(report.anyChanged(), "what is not replayed is never counted as changed");
        assertEquals(Map.of("current", 5L, "older", 1L), report.recordedVersions());
    }

    @Test
    void thePeriodTheAppAndTheNumberOfExamplesAreAsAsked() {
        usualDay();
        Instant later = TUESDAY_10.plus(Duration.ofDays(1));
        record("late-suzuki", later, "records.example.lg.jp", "/", "10.20.1.2",
                Optional.of(user("suzuki", Duration.ofMinutes(5), later, "zeimu-ka")), DevicePosture.unknown());
        PolicySnapshot draft = draft("groups: [shimin-ka, zeimu-ka]\n", "groups: [shimin-ka]\n");

        ReplayReport onlyTuesday = Replay.run(draft, day, ReplayOptions.ALL.between(Optional.of(TUESDAY_10),
                Optional.of(TUESDAY_10.plus(Duration.ofHours(1)))).withExamples(1));
        assertEquals(day.size() - 1, onlyTuesday.total(), "--to is exclusive of the next day's request");
        assertEquals(2, onlyTuesday.changes().get(Change.ALLOW_TO_DENY));
        assertEquals(List.of("r-suzuki-1"), ids(onlyTuesday, Change.ALLOW_TO_DENY), "one example, as asked");
        assertEquals(Optional.of(TUESDAY_10), onlyTuesday.last());

        ReplayReport onlyPortal = Replay.run(draft, day, ReplayOptions.ALL.forApp(Optional.of("portal")));
        assertEquals(2, onlyPortal.total());
        assertFalse(onlyPortal.anyChanged());
    }
}
