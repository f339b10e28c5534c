package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sekisho policy replay} as a deploy script runs it: its exit code gates, its output explains. */
class PolicyReplayCommandTest {

    private static final String CONFIG = """
            listen: {host: 127.0.0.1, port: 8080}
            dataDir: data
            issuers:
              - id: idp
                issuer: https://idp.example.lg.jp
                audiences: [sekisho]
            apps:
              - id: juminhyo
                hosts: [records.example.lg.jp]
                upstream: http://10.0.0.5:8080
                allow:
                  - id: clerks
                    groups: [shimin-ka, zeimu-ka]
            """;

    @TempDir
    Path dir;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void writeConfigAndTrail() throws Exception {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        config = Files.writeString(dir.resolve("sekisho.yaml"), CONFIG);
        MutableClock clock = new MutableClock(jst("2026-11-24T09:00"));
        try (TestTrail trail = TestTrail.open(dir.resolve("data/audit"), dir.resolve("data/keys"), clock)) {
            trail.write(allowed("r1", jst("2026-11-24T09:00"), "佐藤", "shimin-ka"));
            trail.write(allowed("r2", jst("2026-11-24T10:00"), "鈴木", "zeimu-ka"));
            trail.write(allowed("r3", jst("2026-11-25T10:00"), "鈴木", "zeimu-ka"));
            trail.write(allowed("r4", jst("2026-11-25T11:00"), "加藤", "shimin-ka", "zeimu-ka"));
        }
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private static Instant jst(String local) {
        return OffsetDateTime.parse(local + ":00+09:00").toInstant();
    }

    /** A request the current policy let in through rule clerks. */
    private static AccessRecord allowed(String id, Instant time, String user, String... groups) {
        Identity identity = new Identity("https://idp.example.lg.jp", "sub-" + id, user, Set.of(groups),
                List.of("pwd"), Set.of("pwd"), Optional.empty(), Optional.of(time), time.plusSeconds(600));
        return new AccessRecord(id, time, "10.20.1.2", "GET", "records.example.lg.jp", "/juminhyo", false,
                Optional.of("juminhyo"), Optional.empty(), Optional.of(identity), Outcome.ALLOW, List.of(Reason.GROUP_ALLOWED),
                Optional.of("clerks"), "current", 200, 0, 100, 1_000_000, AccessRecord.Device.NONE, Optional.empty(),
                Optional.empty(), "trace", "");
    }

    private Path draft(String yaml) throws Exception {
        return Files.writeString(dir.resolve("draft.yaml"), yaml);
    }

    private int replay(String... more) {
        String[] args = new String[5 + more.length];
        System.arraycopy(new String[] {"policy", "replay", "-c", config.toString(), "--draft"}, 0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        return new CommandLine(new SekishoCli()).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSamePolicyChangesNothingAndExitsZero() throws Exception {
        assertEquals(0, replay(draft(CONFIG).toString(), "--audit", dir.resolve("data/audit").toString()));
        assertTrue(out().contains("nothing would change"), out());
        assertTrue(java.util.regex.Pattern.compile("replayed 4 of \\d+ line\\(s\\) in [0-9.]+ s: \\d+ records/s \\(")
                .matcher(err()).find(), "throughput on standard error: " + err());
    }

    @Test
    void aDraftThatRefusesSomeoneExitsThreeAndNamesThem() throws Exception {
        Path draft = draft(CONFIG.replace("groups: [shimin-ka, zeimu-ka]", "groups: [shimin-ka]"));
        // without --audit: the configuration's own trail (dataDir/audit)
        assertEquals(PolicyReplayCommand.OUTCOMES_CHANGE, replay(draft.toString()));
        String text = out();
        assertTrue(text.contains("allow → deny"), text);
        assertTrue(text.contains("鈴木"), text);
        assertTrue(text.contains("2026-11-24T10:00:00+09:00  r2  鈴木  GET records.example.lg.jp/juminhyo"), text);
        assertTrue(text.contains("before: juminhyo  allow (group-allowed) rule clerks"), text);
        assertTrue(text.contains("after:  juminhyo  deny (user-not-allowed)"), text);
        assertTrue(text.contains("2 request(s) would get another outcome"), text);
        assertTrue(!text.contains("佐藤  GET"), "佐藤 keeps her access: " + text);
    }

    @Test
    void jsonIsForScriptsAndThePeriodAndAppNarrowIt() throws Exception {
        Path draft = draft(CONFIG.replace("groups: [shimin-ka, zeimu-ka]", "groups: [shimin-ka]"));
        assertEquals(PolicyReplayCommand.OUTCOMES_CHANGE, replay(draft.toString(), "--format", "json",
                "--from", "2026-11-25", "--to", "2026-11-26", "--app", "juminhyo", "--examples", "5"));
        JsonNode report = new ObjectMapper().readTree(out());
        assertEquals(2, report.path("total").asInt(), "only the 25th");
        assertEquals(1, report.path("changed").asInt());
        assertEquals(1, report.path("outcomesChanged").asInt());
        assertEquals(1, report.at("/changes/allow-to-deny").asInt());
        assertEquals(1, report.at("/changedByUser/鈴木").asInt());
        assertEquals(1, report.at("/changedByReason/user-not-allowed").asInt());
        assertEquals("r3", report.at("/examples/allow-to-deny/0/requestId").asText());
        assertEquals("allow", report.at("/examples/allow-to-deny/0/before/decision").asText());
        assertEquals("clerks", report.at("/examples/allow-to-deny/0/before/rule").asText());
        assertEquals("user-not-allowed", report.at("/examples/allow-to-deny/0/after/reasons/0").asText());
        assertEquals("2026-11-25T10:00:00+09:00", report.at("/period/first").asText());

        out.reset();
        assertEquals(0, replay(draft.toString(), "--format", "json", "--app", "another-app"));
        assertEquals(0, new ObjectMapper().readTree(out()).path("total").asInt());
    }

    @Test
    void badInputExitsTwoAndSaysWhere() throws Exception {
        Path broken = draft(CONFIG.replace("    allow:\n", "    allow: [\n"));
        assertEquals(2, replay(broken.toString()));
        assertTrue(err().contains(broken + ":"), "file:line:col: " + err());

        Path good = draft(CONFIG);
        assertEquals(2, replay(good.toString(), "--from", "2026-11-25", "--to", "2026-11-24"));
        assertEquals(2, replay(good.toString(), "--from", "yesterday"));
        assertEquals(2, replay(good.toString(), "--format", "xml"));
        assertEquals(2, replay(good.toString(), "--audit", dir.resolve("no-such-dir").toString()));
        assertTrue(err().contains("no audit trail at"), err());
    }
}
