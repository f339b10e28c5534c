package jp.sekisho.policy.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyCompilerTest {

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PolicyCompiler.compile(SourceDocument.parse("p.yaml", yaml), "v"));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void compilesAppsWithRoutesAndRules() throws ConfigException {
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", """
                apps:
                  - id: records
                    name: 住民記録
                    hosts: [Records.Example.LG.JP]
                    pathPrefixes: [/api/]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                """), "v1");
        assertEquals("v1", snapshot.version());
        assertEquals("records", snapshot.route("records.example.lg.jp", "/api/x").orElseThrow().id());
        assertEquals("住民記録", snapshot.app("records").orElseThrow().name());
    }

    @Test
    void reportsEverySemanticErrorWithItsPosition() {
        List<String> errors = errors("""
                apps:
                  - id: a
                    hosts: [x.example.lg.jp]
                    upstream: ftp://files
                    allow:
                      - id: r
                        users: []
                  - id: a
                    hosts: [x.example.lg.jp]
                    upstream: http://ok:80
                    allow: []
                """);
        assertEquals(List.of(
                "p.yaml:4:5: apps[0].upstream: upstream must be an http:// or https:// URL, got 'ftp://files'",
                "p.yaml:6:9: apps[0].allow[0]: rule 'r' admits nobody: list users, groups or claims",
                "p.yaml:8:5: apps[1].id: app id 'a' is already used by another app",
                "p.yaml:9:5: apps[1].hosts: 'x.example.lg.jp/' is already served by app 'a'"), errors);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", textBlock = """
            /,          /
            /api,       /api
            /api/,      /api
            /a/b,       /a/b
            api,        -
            //api,      -
            /a/../b,    -
            /a/./b,     -
            /a%2fb,     -
            /a\\b,      -
            /a?b,       -
            """)
    void pathPrefixesMustBeCanonical(String prefix, String expected) {
        if (expected == null) {
            assertNull(PolicyCompiler.canonicalPrefix(prefix));
        } else {
            assertEquals(expected, PolicyCompiler.canonicalPrefix(prefix));
        }
    }

    @Test
    void appNamesTheIssuersItAcceptsByIdAndUnknownIdsAreErrors() throws ConfigException {
        String yaml = """
                issuers:
                  - id: lgwan-idp
                    issuer: https://idp.example.lg.jp
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5
                    issuers: [%s]
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                """;
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", yaml.formatted("lgwan-idp")), "v");
        assertEquals(java.util.Set.of("https://idp.example.lg.jp"), snapshot.app("records").orElseThrow().issuers());
        assertEquals(List.of("p.yaml:8:15: apps[0].issuers[0]: no issuer has the id 'entra'; known: lgwan-idp"),
                errors(yaml.formatted("entra")));
    }

    @Test
    void segmentsAreCompiledInOrderAndRulesNameThem() throws ConfigException {
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", """
                segments:
                  - id: lgwan
                    name: LGWAN接続系
                    cidrs: [10.20.0.0/16, "fd00:20::/32"]
                  - id: internet
                    cidrs: [0.0.0.0/0]
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        segments: [lgwan]
                """), "v1");
        assertEquals(java.util.Optional.of("lgwan"), snapshot.segments().of("10.20.3.4"));
        assertEquals(java.util.Optional.of("lgwan"), snapshot.segments().of("fd00:20::7"));
        assertEquals(java.util.Optional.of("internet"), snapshot.segments().of("203.0.113.9"), "first match wins");
        assertEquals(java.util.Optional.empty(), snapshot.segments().of("fe80::1"));
        assertEquals(java.util.Set.of("lgwan"),
                snapshot.app("records").orElseThrow().rules().get(0).segments());
    }

    @Test
    void segmentMistakesAreReportedWithTheirPosition() {
        List<String> errors = errors("""
                segments:
                  - id: lgwan
                    cidrs: [10.20.0.0/33]
                  - id: lgwan
                    cidrs: [lgwan.example.lg.jp]
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        segments: [telework]
                """);
        assertEquals(List.of(
                "p.yaml:3:13: segments[0].cidrs[0]: '10.20.0.0/33' is not an IP address or CIDR range (such as"
                        + " 10.20.0.0/16 or fd00::/8)",
                "p.yaml:4:5: segments[1].id: segment id 'lgwan' is used twice",
                "p.yaml:5:13: segments[1].cidrs[0]: 'lgwan.example.lg.jp' is not an IP address or CIDR range (such"
                        + " as 10.20.0.0/16 or fd00::/8)",
                "p.yaml:13:20: apps[0].allow[0].segments[0]: no segment has the id 'telework'; defined: lgwan"),
                errors);
    }

    @Test
    void ruleConditionMistakesAreReportedWithTheirPosition() {
        List<String> errors = errors("""
                apps:
                  - id: files
                    hosts: [files.example.lg.jp]
                    upstream: http://10.0.0.7:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        methods: [GET, FETCH]
                        paths: [export/**]
                    deny:
                      - id: clerks
                        paths: [/a/**b]
                      - id: everything
                        methods: []
                """);
        assertEquals(List.of(
                "p.yaml:8:24: apps[0].allow[0].methods[1]: 'FETCH' is not a method a rule can name; use one of GET,"
                        + " HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
                "p.yaml:9:17: apps[0].allow[0].paths[0]: 'export/**': a path pattern starts with '/'",
                "p.yaml:11:9: apps[0].deny[0].id: rule id 'clerks' is used twice in this app",
                "p.yaml:12:17: apps[0].deny[0].paths[0]: '/a/**b': '**' must be a whole segment, as in /docs/** or"
                        + " /**/x.pdf",
                "p.yaml:13:9: apps[0].deny[1]: deny rule 'everything' would refuse every request to this app: narrow"
                        + " it with users, groups, segments, methods or paths"),
                errors);
    }

    @Test
    void timeWindowsAreCompiledInTheConfiguredZoneAndRulesNameThem() throws ConfigException {
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", """
                holidays: [2026-12-29]
                timeWindows:
                  - id: business-hours
                    days: [mon, tue, wed, thu, fri]
                    hours: 08:30-17:15
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        times: [business-hours]
                """), "v1");
        jp.sekisho.policy.TimeWindow window = snapshot.app("records").orElseThrow().rules().get(0).where().times().get(0);
        assertEquals(java.time.ZoneId.of("Asia/Tokyo"), window.zone());
        assertEquals(true, window.contains(java.time.Instant.parse("2026-12-28T00:00:00Z"))); // Mon 09:00 JST
        assertEquals(false, window.contains(java.time.Instant.parse("2026-12-29T00:00:00Z"))); // the holiday
    }

    @Test
    void theCalendarIsCompiledAloneEvenWhenNoRuleNamesAWindow() throws ConfigException {
        PolicyCompiler.Calendar calendar = PolicyCompiler.calendar(SourceDocument.parse("p.yaml", """
                timeZone: Asia/Tokyo
                holidays: [2026-11-03]
                timeWindows:
                  - id: business-hours
                    days: [mon, tue, wed, thu, fri]
                    hours: 08:30-17:15
                """));
        assertEquals(java.time.ZoneId.of("Asia/Tokyo"), calendar.zone());
        assertEquals(java.util.Set.of(java.time.LocalDate.of(2026, 11, 3)), calendar.holidays());
        jp.sekisho.policy.TimeWindow window = calendar.windows().get("business-hours");
        assertEquals(false, window.contains(java.time.Instant.parse("2026-11-03T01:00:00Z"))); // the holiday, 10:00 JST
        assertEquals(true, window.contains(java.time.Instant.parse("2026-11-04T01:00:00Z")));
        assertThrows(ConfigException.class, () -> PolicyCompiler.calendar(SourceDocument.parse("p.yaml",
                "timeZone: Asia/Tokio\n")));
    }

    @Test
    void timeWindowMistakesAreReportedWithTheirPosition() {
        List<String> errors = errors("""
                timeZone: Asia/Tokio
                holidays: [2026-12-32]
                timeWindows:
                  - id: business-hours
                    days: [mon, tues]
                    hours: 8:30-17:15
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        times: [office-hours]
                """);
        assertEquals(List.of(
                "p.yaml:1:1: timeZone: 'Asia/Tokio' is not a time zone; use a name such as Asia/Tokyo",
                "p.yaml:2:12: holidays[0]: '2026-12-32' is not a date; write it as 2026-12-29",
                "p.yaml:5:17: timeWindows[0].days[1]: 'tues' is not a day; use mon, tue, wed, thu, fri, sat or sun",
                "p.yaml:6:5: timeWindows[0].hours: '8:30-17:15' is not a span of hours; write it as 08:30-17:15 (or"
                        + " 22:00-06:00 across midnight)",
                "p.yaml:14:17: apps[0].allow[0].times[0]: no time window has the id 'office-hours'; defined: none (add"
                        + " a top-level timeWindows section)"),
                errors);
    }

    @Test
    void defaultsApplyToEveryAppThatDoesNotSetItsOwn() throws ConfigException {
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", """
                segments:
                  - {id: lgwan, kind: lgwan, cidrs: [10.20.0.0/16]}
                defaults:
                  model: alpha
                  mfa: {anyOf: [face, otp], maxAgeSeconds: 28800}
                  fileControls: {uploads: {refuseMyNumber: true}}
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow: [{id: clerks, groups: [shimin-ka]}]
                  - id: zeimu
                    hosts: [zeimu.example.lg.jp]
                    upstream: http://10.0.0.6:8080
                    mfa: {anyOf: [face], maxAgeSeconds: 900}
                    allow: [{id: zeimu-ka, groups: [zeimu-ka]}]
                """), "v");
        jp.sekisho.policy.App records = snapshot.app("records").orElseThrow();
        jp.sekisho.policy.App zeimu = snapshot.app("zeimu").orElseThrow();
        assertEquals(java.util.Set.of("face", "otp"), records.mfa().anyOf());
        assertEquals(java.util.Set.of("face"), zeimu.mfa().anyOf(), "an app's own section replaces the default");
        assertEquals(java.util.Optional.of(jp.sekisho.policy.ModelPreset.ALPHA), zeimu.model().preset());
        assertEquals(java.util.Set.of("lgwan"), zeimu.rules().get(0).segments(), "the default model applies");
        assertEquals(true, records.files().refuseMyNumber());
    }

    @Test
    void rulesMayNameOnlyClaimsAnIssuerKeeps() throws ConfigException {
        String policy = """
                issuers:
                  - {id: entra, issuer: https://login.example/v2.0, keepClaims: [department]}
                apps:
                  - id: records
                    hosts: [records.example.lg.jp]
                    upstream: http://10.0.0.5:8080
                    allow:
                      - id: by-department
                        claims: {%s: [市民課]}
                """;
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", policy.formatted("department")),
                "v");
        assertEquals(java.util.Map.of("department", java.util.Set.of("市民課")),
                snapshot.app("records").orElseThrow().rules().get(0).claims());
        assertEquals(List.of("p.yaml:9:18: apps[0].allow[0].claims.division: no issuer keeps the claim 'division';"
                + " add it to an issuer's keepClaims (kept now: department)"), errors(policy.formatted("division")));
    }
}
