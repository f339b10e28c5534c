package jp.sekisho.policy.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BreakoutLintTest {

    private static final String POLICY = """
            apps: []
            breakout:
              ismapExpired: %s
              tenantRestrictions:
                hosts: [login.microsoftonline.com, login.windows.net]
                headers: {Restrict-Access-To-Tenants: city.example.onmicrosoft.com}
              allowlist:
                - id: kintone
                  domains: [city.cybozu.com]
                  ismap: {id: C21-0003-1, validUntil: 2027-01-22}
                - id: lgwan-asp
                  domains: ["*.asp.example.lg.jp"]
                  ismap: {id: C22-0100-1, validUntil: 2026-11-30}
                - id: garoon
                  domains: [city.garoon.cybozu.com]
                  ismap: {id: C21-0004-1, validUntil: 2027-06-30}
                - id: m365-login
                  domains: ["*.microsoftonline.com"]
            """;

    /** 10:00 in Tokyo on Tuesday 2026-11-24. */
    private static List<String> lint(String mode, String at) throws Exception {
        SourceDocument source = SourceDocument.parse("p.yaml", POLICY.formatted(mode));
        PolicySnapshot policy = PolicyCompiler.compile(source, "v");
        return PolicyLint.check(policy, source, Optional.empty(), Instant.parse(at)).stream()
                .map(Finding::toString).filter(f -> f.contains(" B00")).toList();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource({"enforce", "warn"})
    void registrationsLapsingWithinSixtyDaysAreWarnedAboutAndTenantHostsOffTheListNoted(String mode) throws Exception {
        assertEquals(List.of(
                "warning B001 breakout/kintone: ISMAP registration C21-0003-1 expires on 2027-01-22 (in 59 days):"
                        + " renew it or plan to remove the entry",
                "warning B001 breakout/lgwan-asp: ISMAP registration C22-0100-1 expires on 2026-11-30 (in 6 days):"
                        + " renew it or plan to remove the entry",
                "info    B003 breakout: tenant restrictions name login.windows.net, which no allowlist entry lists:"
                        + " staff reach it only through a parent proxy, if at all; add it to an entry (port 443)"),
                lint(mode, "2026-11-24T01:00:00Z"));
    }

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            enforce | error   B002 breakout/lgwan-asp: ISMAP registration C22-0100-1 expired on 2026-11-30: the entry refuses everyone; renew the registration's dates or remove the entry
            warn    | warning B002 breakout/lgwan-asp: ISMAP registration C22-0100-1 expired on 2026-11-30: still allowed because ismapExpired is warn
            """)
    void aLapsedRegistrationIsAnErrorWhenEnforcedAndAWarningWhenNot(String mode, String expected) throws Exception {
        // 00:00 on 1 December in Tokyo: the first instant the registration no longer holds
        List<String> findings = lint(mode, "2026-11-30T15:00:00Z");
        assertEquals(List.of(expected), findings.stream().filter(f -> f.contains("lgwan-asp")).toList());
    }

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-30T14:59:59Z | (today)
            2026-11-29T14:59:59Z | (in 1 day)
            """)
    void theLastDayCountsInThePolicysTimeZone(String at, String when) throws Exception {
        assertEquals(List.of("warning B001 breakout/lgwan-asp: ISMAP registration C22-0100-1 expires on 2026-11-30 "
                + when + ": renew it or plan to remove the entry"),
                lint("enforce", at).stream().filter(f -> f.contains("lgwan-asp")).toList());
    }
}
