package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sekisho policy explain | simulate | test} on the shipped example policy, as an administrator runs them. */
class PolicyCommandsTest {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "policy");
    private static final String CONFIG = EXAMPLES.resolve("sekisho.yaml").toString();

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(String... args) {
        return new CommandLine(new SekishoCli()).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void explainPrintsEveryRuleInDecisionOrderWithItsConditions() {
        assertEquals(0, run("policy", "explain", "-c", CONFIG, "records"));
        String text = out();
        assertTrue(text.contains("deny  no-export-from-telework: everyone, from segments [telework], paths [/export/**]"),
                text);
        assertTrue(text.contains("allow shimin-ka: groups [shimin-ka], from segments [lgwan], in business-hours (mon,tue,"
                + "wed,thu,fri 08:30-17:15 Asia/Tokyo, not on holidays)"), text);
        assertTrue(text.indexOf("deny  no-export") < text.indexOf("allow shimin-ka"), "deny rules come first");
        assertEquals(2, run("policy", "explain", "-c", CONFIG, "no-such-app"));
    }

    @Test
    void simulateSaysWhatWouldHappenAndWhichRuleDecided() {
        assertEquals(0, run("policy", "simulate", "-c", CONFIG, "--host", "records.city.example.lg.jp", "--path",
                "/export/all.csv", "--user", "sato", "--groups", "shimin-ka", "--mfa", "face", "--auth-age-seconds",
                "60", "--from", "10.99.0.5", "--at", "2026-11-24T10:00:00+09:00"));
        String text = out();
        assertTrue(text.contains("segment:  telework"), text);
        assertTrue(text.contains("decision: deny"), text);
        assertTrue(text.contains("rule:     no-export-from-telework"), text);
    }

    @Test
    void testRunsTheCasesAndExitsByTheResult() throws Exception {
        assertEquals(0, run("policy", "test", "-c", CONFIG, EXAMPLES.resolve("cases.yaml").toString()));
        assertTrue(out().contains("9 case(s), 0 failed"), out());

        Path failing = dir.resolve("failing.yaml");
        Files.writeString(failing, """
                cases:
                  - name: 閉庁後も使えるはず (誤り)
                    request: {host: records.city.example.lg.jp, from: 10.20.1.2, at: 2026-11-24T19:00:00+09:00}
                    user: {name: sato, groups: [shimin-ka], methods: [face], authAgeSeconds: 60}
                    expect: {decision: allow}
                """);
        assertEquals(1, run("policy", "test", "-c", CONFIG, failing.toString()));
        assertTrue(out().contains("FAIL  閉庁後も使えるはず (誤り): expected allow, got deny (time-not-allowed)"), out());

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "cases:\n  - request: {host: x}\n");
        assertEquals(2, run("policy", "test", "-c", CONFIG, broken.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'decision' is required here"), err.toString());
    }

    @Test
    void lintReportsFindingsAndGatesOnTheSeverityAsked() throws Exception {
        Path audit = dir.resolve("access.jsonl");
        String now = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(9)).toString();
        Files.writeString(audit, """
                {"schema":1,"kind":"access","time":"%1$s","app":"records","rule":"shimin-ka","decision":"allow"}
                {"schema":1,"kind":"access","time":"2020-01-06T10:00:00+09:00","app":"records","rule":"kansa-read-only"}
                {"schema":1,"kind":"access","time":"%1$s","app":"groupware","rule":"all-staff","decision":"allow"}
                {"schema":1,"kind":"acc
                """.formatted(now));
        assertEquals(0, run("policy", "lint", "-c", CONFIG, "--audit", audit.toString(), "--days", "30"));
        String text = out();
        assertTrue(text.contains("info    L004 groupware: no owner"), text);
        assertTrue(!text.contains("L004 records"), "records has an owner: " + text);
        assertTrue(text.contains("info    L006 records/kansa-read-only: decided no request in the audited period"),
                "a use older than --days does not count: " + text);
        assertTrue(!text.contains("L006 records/shimin-ka"), text);
        assertEquals(1, run("policy", "lint", "-c", CONFIG, "--fail-on", "info"));
    }
}
