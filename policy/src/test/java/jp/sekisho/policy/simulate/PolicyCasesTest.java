package jp.sekisho.policy.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

/** The shipped example policy and its cases, and what a failing or broken case looks like. */
class PolicyCasesTest {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "policy");
    private static final Instant MONDAY_NOON = Instant.parse("2026-11-30T03:00:00Z");

    private static PolicySnapshot examplePolicy() throws Exception {
        return PolicyCompiler.compile(SourceDocument.parse("sekisho.yaml",
                Files.readString(EXAMPLES.resolve("sekisho.yaml"), StandardCharsets.UTF_8)), "example");
    }

    private static List<PolicyCases.Case> cases(String yaml) throws ConfigException {
        return PolicyCases.read(SourceDocument.parse("cases.yaml", yaml), MONDAY_NOON);
    }

    @Test
    void everyShippedCasePassesOnTheShippedPolicy() throws Exception {
        List<PolicyCases.Case> cases = PolicyCases.read(SourceDocument.parse("cases.yaml",
                Files.readString(EXAMPLES.resolve("cases.yaml"), StandardCharsets.UTF_8)), MONDAY_NOON);
        List<PolicyCases.Verdict> verdicts = PolicyCases.run(examplePolicy(), cases);
        assertEquals(9, verdicts.size());
        for (PolicyCases.Verdict verdict : verdicts) {
            assertTrue(verdict.passed(), verdict.testCase().name() + ": expected " + verdict.expected() + ", got "
                    + verdict.got());
        }
    }

    @Test
    void aCaseThatExpectsTheWrongThingFailsAndSaysWhatHappened() throws Exception {
        List<PolicyCases.Verdict> verdicts = PolicyCases.run(examplePolicy(), cases("""
                cases:
                  - name: wrongly expects telework to pass
                    request: {host: records.city.example.lg.jp, from: 10.99.3.4}
                    user: {name: sato, groups: [shimin-ka], methods: [face], authAgeSeconds: 60}
                    expect: {decision: allow, rule: shimin-ka}
                """));
        assertFalse(verdicts.get(0).passed());
        assertEquals("allow by rule shimin-ka", verdicts.get(0).expected());
        assertEquals("deny (segment-not-allowed)", verdicts.get(0).got());
    }

    @Test
    void mistakesInTheCasesFileAreReportedWithTheirPosition() {
        ConfigException e = assertThrows(ConfigException.class, () -> cases("""
                cases:
                  - name: no host, a bad time, an unknown decision and reason
                    request: {path: /, at: "10:00"}
                    expect: {decision: permit, reason: user-allowd}
                """));
        assertEquals(List.of(
                "cases.yaml:3:5: cases[0].request: 'host' is required here",
                "cases.yaml:3:24: cases[0].request.at: '10:00' is not a time with its offset; write it as"
                        + " 2026-11-24T10:00:00+09:00",
                "cases.yaml:4:14: cases[0].expect.decision: 'permit' is not a decision; use allow, deny,"
                        + " unauthenticated or step-up",
                "cases.yaml:4:32: cases[0].expect.reason: 'user-allowd' is not a reason code"),
                e.errors().stream().map(ConfigError::toString).toList());
    }
}
