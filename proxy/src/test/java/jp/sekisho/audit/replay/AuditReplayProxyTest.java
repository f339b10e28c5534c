package jp.sekisho.audit.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.replay.Change;
import jp.sekisho.policy.replay.NotReplayable;
import jp.sekisho.policy.replay.ReplayExample;
import jp.sekisho.policy.replay.ReplayOptions;
import jp.sekisho.policy.replay.ReplayReport;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.TestPostureService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real requests through the proxy leave a real trail; a draft replayed against it flips
 * exactly the requests the draft's changes reach.
 */
class AuditReplayProxyTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private TestPostureService posture;
    private String currentYaml;
    /** Request id by what the test sent. */
    private final Map<String, String> sent = new TreeMap<>();

    @BeforeEach
    void recordADayOfTraffic() throws Exception {
        posture = new TestPostureService(proxy.dir.resolve("posture"), proxy.clock);
        currentYaml = proxy.config(posture.settings()).replace("groups: [shimin-ka]", "groups: [shimin-ka, zeimu-ka]");
        proxy.start(currentYaml);

        bearer("sato", proxy.idp.token("sato", "shimin-ka"));
        bearer("suzuki", proxy.idp.token("suzuki", "zeimu-ka"));
        bearer("kato", proxy.idp.token("kato", "zeimu-ka", "shimin-ka"));
        bearer("yamada", proxy.idp.token("yamada", "soumu"));
        bearer("tanaka", proxy.idp.token("tanaka"));
        bearer("sato-signed-in-20-min-ago", proxy.idp.rs256(proxy.idp.claims("sato", "shimin-ka")
                .claim("auth_time", proxy.clock.instant().minusSeconds(1200).getEpochSecond())
                .issueTime(Date.from(proxy.clock.instant().minusSeconds(60))).build()));
        withDevice("ito-unencrypted-disk", proxy.idp.token("ito", "shimin-ka"), unencrypted("LG-PC-0002"));
        withDevice("sato-healthy-device", proxy.idp.token("sato", "shimin-ka"), posture.healthy("LG-PC-0001"));
        sent("nobody", proxy.get("127.0.0.1", "/juminhyo"));
        sent("preflight", proxy.send("OPTIONS", "127.0.0.1", "/api/items", "Origin", "https://portal.example.lg.jp",
                "Access-Control-Request-Method", "PUT"));
        sent("portal-kato", proxy.get("localhost", "/", "Authorization", "Bearer "
                + proxy.idp.token("kato", "all-staff")));
        String unknownHost = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: new.localhost\r\n\r\n");
        Matcher id = Pattern.compile("(?i)x-request-id: (\\S+)").matcher(unknownHost);
        assertTrue(id.find(), unknownHost);
        sent.put("unknown-host", id.group(1));
        proxy.stopAndReadAudit(); // flushes the trail
    }

    private void bearer(String what, String token) throws Exception {
        sent(what, proxy.get("127.0.0.1", "/juminhyo", "Authorization", "Bearer " + token));
    }

    private void withDevice(String what, String token, DeviceFacts device) throws Exception {
        sent(what, proxy.get("127.0.0.1", "/juminhyo", "Authorization", "Bearer " + token,
                "X-Sekisho-Device-Posture", posture.token(device)));
    }

    private void sent(String what, ProxyFixture.Response response) {
        sent.put(what, response.header("X-Request-Id"));
    }

    private DeviceFacts unencrypted(String id) {
        DeviceFacts healthy = posture.healthy(id);
        return new DeviceFacts(id, healthy.managed(), healthy.compliance(), healthy.edr(), Optional.of(false),
                healthy.screenLock(), healthy.os(), healthy.observedAt());
    }

    private ReplayReport replay(String from, String to) throws Exception {
        assertTrue(currentYaml.contains(from), from);
        Path draft = Files.writeString(proxy.dir.resolve("draft.yaml"), currentYaml.replace(from, to));
        PolicySnapshot policy = new ConfigLoader(false).load(draft).policy();
        AuditReplay.Result result = AuditReplay.replay(proxy.dir.resolve("data/audit"), policy,
                ReplayOptions.ALL.withExamples(100));
        assertEquals(0, result.unreadable());
        return result.report();
    }

    /** What the test sent, for each changed request of that kind. */
    private Map<String, String> changed(ReplayReport report, Change change) {
        Map<String, String> byWhat = new TreeMap<>();
        for (ReplayExample example : report.examples().getOrDefault(change, List.of())) {
            String what = sent.entrySet().stream().filter(e -> e.getValue().equals(example.requestId()))
                    .map(Map.Entry::getKey).findFirst().orElse("unexpected " + example.requestId());
            byWhat.put(what, example.after().toString());
        }
        return byWhat;
    }

    @Test
    void theCurrentConfigurationReplayedChangesNothing() throws Exception {
        ReplayReport report = replay("dataDir: data", "dataDir: data");

        assertEquals(sent.size(), report.total(), "one access record per request");
        assertEquals(sent.size(), report.replayed());
        assertEquals(sent.size(), report.unchanged());
        assertEquals(0, report.changed(), report.toString());
        assertEquals(Map.of(), report.notReplayable(), "app-unknown stays app-unknown: replayed, unchanged");
    }

    @Test
    void aDraftFlipsExactlyTheRequestsItsChangesReach() throws Exception {
        String current = """
                    allow:
                      - id: clerks
                        groups: [shimin-ka, zeimu-ka]
                      - id: it-admin
                        users: [tanaka]
                """;
        // zeimu-ka loses records; yamada is named; sign-ins must be 15 min fresh; preflights pass
        String draft = """
                    mfa: {maxAgeSeconds: 900}
                    cors: {anonymousPreflight: true}
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                      - id: it-admin
                        users: [tanaka, yamada]
                """;
        ReplayReport report = replay(current, draft);

        assertEquals(Map.of("suzuki", "deny (user-not-allowed)",
                        "sato-signed-in-20-min-ago", "step-up (mfa-too-old) rule clerks"),
                changed(report, Change.ALLOW_TO_DENY), "kato is in shimin-ka too; the portal is another app");
        assertEquals(Map.of("yamada", "allow (user-allowed) rule it-admin",
                        "preflight", "allow (anonymous-preflight) rule cors-anonymous-preflight"),
                changed(report, Change.DENY_TO_ALLOW));
        assertEquals(4, report.changed(), report.toString());
        assertEquals(4, report.outcomesChanged());
        assertEquals(sent.size() - 4, report.unchanged());
    }

    @Test
    void aPostureRequirementRefusesTheDevicesTheTrailSaysFellShort() throws Exception {
        ReplayReport report = replay("    allow:\n      - id: clerks\n",
                "    posture: {diskEncrypted: true, maxObservationAgeSeconds: 7200}\n    allow:\n      - id: clerks\n");

        Map<String, String> refused = changed(report, Change.ALLOW_TO_DENY);
        assertEquals("deny (device-disk-not-encrypted) rule clerks", refused.get("ito-unencrypted-disk"));
        assertEquals(List.of("ito-unencrypted-disk", "kato", "sato", "sato-signed-in-20-min-ago", "suzuki", "tanaka"),
                List.copyOf(refused.keySet()), "every allowed request without a posture token, and the unencrypted one");
        assertEquals("deny (device-unknown) rule clerks", refused.get("sato"));
        assertEquals(Map.of("device-unknown", 5L, "device-disk-not-encrypted", 1L), report.changedByReason());
        assertEquals(6, report.changed(), "the healthy device passes, seen an hour before its request");
    }

    @Test
    void aNewAppOnAHostNobodyServedCannotBeReplayedForLackOfAnIdentity() throws Exception {
        ReplayReport report = replay("  - id: portal\n", """
                  - id: new
                    hosts: [new.localhost]
                    upstream: http://127.0.0.1:9
                    allow:
                      - id: everyone
                        groups: [all-staff]
                  - id: portal
                """);

        assertEquals(Map.of(NotReplayable.IDENTITY_NEVER_CHECKED, 1L), report.notReplayable());
        assertEquals(0, report.changed());
    }

    @Test
    void theAppOptionKeepsOnlyThatAppsRequests() throws Exception {
        Path draft = Files.writeString(proxy.dir.resolve("draft.yaml"), currentYaml);
        AuditReplay.Result result = AuditReplay.replay(proxy.dir.resolve("data/audit"),
                new ConfigLoader(false).load(draft).policy(), ReplayOptions.ALL.forApp(Optional.of("portal")));
        assertEquals(1, result.report().total());
        assertTrue(result.lines() > sent.size(), "checkpoints and the like are read past");
        assertEquals(Optional.of(ProxyFixture.START), result.report().first(), "the time the request arrived");
    }
}
