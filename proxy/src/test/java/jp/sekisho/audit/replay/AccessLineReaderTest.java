package jp.sekisho.audit.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.replay.NotReplayable;
import jp.sekisho.policy.replay.RecordedRequest;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DevicePosture;
import org.junit.jupiter.api.Test;

/** One line of the trail read back into the facts the gateway decided on. */
class AccessLineReaderTest {

    private static final String HEAD = "{\"seq\":7,\"prev\":\"" + "0".repeat(64) + "\",\"schema\":1,";
    private final AccessLineReader reader = new AccessLineReader(ReplayOptions.ALL);

    @Test
    void aRecordOfThisVersionGivesBackEveryFact() throws IOException {
        RecordedRequest r = reader.read(HEAD + """
                "kind":"access","requestId":"req-1","time":"2026-11-24T10:00:00.250+09:00","source":"10.20.1.2",\
                "traceId":"t","segment":"lgwan","method":"GET","host":"records.example.lg.jp",\
                "path":"/%EF%BC%A1/x","app":"records","user":{"issuer":"https://idp","subject":"s-1","username":"sato",\
                "groups":["shimin-ka","all-staff"],"amr":["pwd","otp"],"methods":["otp","pwd"],"acr":"c1",\
                "authTime":"2026-11-24T09:50:00+09:00","expiresAt":"2026-11-24T10:50:00+09:00",\
                "claims":{"department":["市民課"]}},"device":{"id":"PC-1","evidence":["certificate","token"],\
                "posture":"passed","facts":{"managed":true,"compliance":"compliant","edr":{"vendor":"D",\
                "running":true,"risk":"low"},"diskEncrypted":true,"os":{"platform":"windows","version":"10.0.22631",\
                "patchAgeDays":3},"observedAt":{"mdm":"2026-11-24T09:00:00+09:00"}}},"decision":"allow",\
                "reasons":["group-allowed","upstream-timeout"],"rule":"clerks","policyVersion":"v1","status":504}
                """);

        assertEquals("req-1", r.requestId());
        assertEquals(Instant.parse("2026-11-24T01:00:00.250Z"), r.time());
        assertEquals("/Ａ/x".replace("Ａ", "A"), r.path(), "in the routing form the gateway matched (NFKC)");
        assertEquals(Optional.of("10.20.1.2"), r.source());
        assertEquals(Set.of("shimin-ka", "all-staff"), r.user().orElseThrow().groups());
        assertEquals(Optional.of("c1"), r.user().get().acr());
        assertEquals(Optional.of(Instant.parse("2026-11-24T00:50:00Z")), r.user().get().authTime());
        assertEquals(Instant.parse("2026-11-24T01:50:00Z"), r.user().get().expiresAt());
        assertEquals(List.of("市民課"), r.user().get().claims().get("department"));
        DevicePosture device = r.device();
        assertTrue(device.hasCertificate());
        DeviceFacts facts = device.facts().orElseThrow();
        assertEquals("PC-1", facts.deviceId());
        assertEquals(Optional.of(true), facts.diskEncrypted());
        assertEquals(Optional.empty(), facts.screenLock(), "unknown stays unknown");
        assertEquals(DeviceFacts.Risk.LOW, facts.edr().orElseThrow().risk());
        assertEquals(3, facts.os().orElseThrow().patchAgeDays().orElseThrow());
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), facts.observedAt().get("mdm"));
        assertEquals(Outcome.ALLOW, r.recorded().outcome());
        assertEquals(List.of(Reason.GROUP_ALLOWED, Reason.UPSTREAM_TIMEOUT), r.recorded().reasons());
        assertEquals(Optional.of("clerks"), r.recorded().rule());
        assertEquals(Optional.empty(), r.notReplayable());
    }

    private static String signedIn(String requestId, String authTime, String groups) {
        return HEAD + """
                "kind":"access","requestId":"%s","time":"2026-11-24T10:00:00+09:00","source":"10.20.1.2",\
                "method":"GET","host":"h","path":"/","app":"records","user":{"issuer":"https://idp","subject":"s-1",\
                "username":"sato","groups":[%s],"amr":["pwd"],"methods":["pwd"],"authTime":"%s",\
                "expiresAt":"2026-11-24T10:50:00+09:00"},"device":{"evidence":[],"posture":"not-required"},\
                "decision":"allow","reasons":["group-allowed"],"rule":"clerks","policyVersion":"v1"}
                """.formatted(requestId, groups, authTime);
    }

    @Test
    void aRepeatedTokenIsReadOnceAndATokenThatDiffersAnywhereIsReadAgain() throws IOException {
        RecordedRequest first = reader.read(signedIn("a", "2026-11-24T09:50:00+09:00", "\"shimin-ka\""));
        RecordedRequest again = reader.read(signedIn("b", "2026-11-24T09:50:00+09:00", "\"shimin-ka\""));
        RecordedRequest later = reader.read(signedIn("c", "2026-11-24T09:55:00+09:00", "\"shimin-ka\""));
        RecordedRequest moreGroups = reader.read(signedIn("d", "2026-11-24T09:55:00+09:00",
                "\"shimin-ka\",\"zeimu-ka\""));

        assertSame(first.user().orElseThrow(), again.user().orElseThrow(), "the same bytes: the same identity");
        assertEquals(Optional.of(Instant.parse("2026-11-24T00:55:00Z")), later.user().orElseThrow().authTime(),
                "the same first bytes, another sign-in: read again");
        assertEquals(Set.of("shimin-ka", "zeimu-ka"), moreGroups.user().orElseThrow().groups());
        assertEquals(Set.of("shimin-ka"), reader.read(signedIn("e", "2026-11-24T09:55:00+09:00", "\"shimin-ka\""))
                .user().orElseThrow().groups());
    }

    @Test
    void aRecordWrittenBeforeGroupsAndPostureFactsIsNotReplayable() throws IOException {
        String user = HEAD + """
                "kind":"access","requestId":"old","time":"2026-11-01T10:00:00+09:00","source":"10.20.1.2",\
                "method":"GET","host":"h","path":"/","app":"records","user":{"issuer":"i","subject":"s",\
                "username":"sato","amr":["pwd"],"methods":["pwd"]},"device":{"evidence":[],"posture":"not-required"},\
                "decision":"allow","reasons":["group-allowed"],"rule":"clerks","policyVersion":"v0"}
                """;
        assertEquals(Optional.of(NotReplayable.FACTS_NOT_RECORDED), reader.read(user).notReplayable());

        String token = HEAD + """
                "kind":"access","requestId":"old","time":"2026-11-01T10:00:00+09:00","source":"10.20.1.2",\
                "method":"GET","host":"h","path":"/","device":{"id":"PC-1","evidence":["token"],"posture":"passed"},\
                "decision":"unauthenticated","reasons":["token-missing"],"policyVersion":"v0"}
                """;
        assertEquals(Optional.of(NotReplayable.FACTS_NOT_RECORDED), reader.read(token).notReplayable());

        String options = HEAD + """
                "kind":"access","requestId":"old","time":"2026-11-01T10:00:00+09:00","source":"10.20.1.2",\
                "method":"OPTIONS","host":"h","path":"/","device":{"evidence":[],"posture":"not-required"},\
                "decision":"unauthenticated","reasons":["token-missing"],"policyVersion":"v0"}
                """;
        assertEquals(Optional.of(NotReplayable.FACTS_NOT_RECORDED), reader.read(options).notReplayable(),
                "it may have been a preflight; the record does not say");
    }

    @Test
    void aCodeFromALaterVersionIsNotGuessedAt() throws IOException {
        RecordedRequest r = reader.read(HEAD + """
                "kind":"access","requestId":"new","time":"2026-11-01T10:00:00+09:00","source":"10.20.1.2",\
                "method":"GET","host":"h","path":"/","device":{"evidence":[],"posture":"not-required"},\
                "decision":"deny","reasons":["reason-from-the-future"],"policyVersion":"v9"}
                """);
        assertEquals(Optional.of(NotReplayable.UNKNOWN_CODE), r.notReplayable());
    }

    @Test
    void otherKindsOfRecordAndRequestsOutsideThePeriodAreLeftOut() throws IOException {
        for (String kind : List.of("decision", "admin", "checkpoint", "recovery", "purge")) {
            assertNull(reader.read(HEAD + "\"kind\":\"" + kind + "\",\"time\":\"2026-11-01T10:00:00+09:00\"}"), kind);
        }
        AccessLineReader november = new AccessLineReader(ReplayOptions.ALL.between(
                Optional.of(Instant.parse("2026-11-01T00:00:00Z")), Optional.of(Instant.parse("2026-12-01T00:00:00Z"))));
        assertNull(november.read(HEAD + "\"kind\":\"access\",\"time\":\"2026-10-31T23:59:59Z\",\"method\":\"GET\"}"));
        assertNull(november.read(HEAD + "\"kind\":\"access\",\"time\":\"2026-12-01T00:00:00Z\",\"method\":\"GET\"}"));
    }

    @Test
    void aTornLineIsUnreadable() {
        assertThrows(IOException.class, () -> reader.read(HEAD + "\"kind\":\"access\",\"requestId\":\"r"));
        assertThrows(IOException.class, () -> reader.read("{\"kind\":\"access\",\"groups\":"));
        assertThrows(IOException.class, () -> reader.read(HEAD + "\"kind\":\"access\",\"method\":\"GET\"}"),
                "no time");
    }
}
