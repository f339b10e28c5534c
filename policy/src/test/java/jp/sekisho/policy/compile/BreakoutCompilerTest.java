package jp.sekisho.policy.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.IsmapRegistration;
import jp.sekisho.policy.breakout.ParentProxy;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

class BreakoutCompilerTest {

    private static final String HEAD = """
            timeZone: Asia/Tokyo
            segments:
              - {id: lgwan, cidrs: [10.20.0.0/16]}
              - {id: telework, cidrs: [10.99.0.0/16]}
            apps: []
            """;

    private static final String BREAKOUT = HEAD + """
            breakout:
              ismapExpired: warn
              defaults:
                mfa: {anyOf: [face, otp], maxAgeSeconds: 28800}
                posture: {managed: true}
              parents:
                - id: pref-cloud
                  address: Proxy.Pref.Example.LG.JP:8080
                  segments: [lgwan]
                - id: any
                  address: "[fd00::1]:3128"
              tenantRestrictions:
                hosts: [login.microsoftonline.com, Login.Microsoft.com.]
                headers:
                  Restrict-Access-To-Tenants: city.example.onmicrosoft.com
                  Restrict-Access-Context: 00000000-0000-0000-0000-000000000000
              allowlist:
                - id: m365-exchange
                  name: Exchange Online
                  domains: [Outlook.Office.com, "*.outlook.office.com"]
                  ports: [443, 80]
                  addresses: [52.96.0.0/14, "2603:1006::/40"]
                  category: optimize
                  ismap: {id: C21-0006-1, validFrom: 2021-05-01, validUntil: 2027-04-30}
                  allow: [{id: staff, groups: [all-staff], segments: [telework]}]
                  mfa: {anyOf: [face]}
                  source: m365:2026103000
                - id: kintone
                  domains: [city.cybozu.com]
                  posture: {certificate: true}
                  allowPrivate: true
                - id: updates
                  domains: ["*.update.microsoft.com"]
                  deviceOnly: true
            """;

    private static BreakoutPolicy compile(String yaml) throws ConfigException {
        return PolicyCompiler.compile(SourceDocument.parse("p.yaml", yaml), "v").breakout();
    }

    private static List<String> errors(String breakout) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PolicyCompiler.compile(SourceDocument.parse("p.yaml", HEAD + breakout), "v"));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void theSectionCompilesToTheAllowlistParentsAndTenantRestrictions() throws ConfigException {
        BreakoutPolicy policy = compile(BREAKOUT);
        assertEquals(BreakoutPolicy.IsmapMode.WARN, policy.ismapMode());
        assertEquals(ZoneId.of("Asia/Tokyo"), policy.zone());
        assertEquals(List.of(new ParentProxy("pref-cloud", "proxy.pref.example.lg.jp", 8080, Set.of("lgwan")),
                new ParentProxy("any", "fd00::1", 3128, Set.of())), policy.parents());
        assertEquals(Set.of("login.microsoftonline.com", "login.microsoft.com"), policy.tenantRestrictions().hosts());
        assertEquals(Map.of("Restrict-Access-To-Tenants", "city.example.onmicrosoft.com", "Restrict-Access-Context",
                "00000000-0000-0000-0000-000000000000"), policy.tenantRestrictions().headers());

        BreakoutEntry exchange = policy.entries().get(0);
        assertEquals("Exchange Online", exchange.name());
        assertEquals(List.of("outlook.office.com", "*.outlook.office.com"), exchange.domains());
        assertEquals(Set.of(443, 80), exchange.ports());
        assertTrue(exchange.addresses().contains("2603:1006::5"));
        assertEquals("optimize", exchange.category());
        assertEquals(Optional.of(new IsmapRegistration("C21-0006-1", Optional.of(LocalDate.parse("2021-05-01")),
                LocalDate.parse("2027-04-30"))), exchange.ismap());
        assertEquals("staff", exchange.allow().get(0).id());
        assertEquals(Set.of("telework"), exchange.allow().get(0).segments());
        assertEquals(Set.of("face"), exchange.mfa().anyOf(), "the entry's own mfa replaces the default whole");
        assertEquals(Optional.empty(), exchange.mfa().maxAge());
        assertTrue(exchange.posture().managed(), "the default posture applies");
        assertEquals(Optional.of("m365:2026103000"), exchange.source());

        BreakoutEntry kintone = policy.entries().get(1);
        assertEquals("kintone", kintone.name());
        assertEquals(Set.of(443), kintone.ports());
        assertEquals("default", kintone.category());
        assertEquals(Optional.of(Duration.ofSeconds(28800)), kintone.mfa().maxAge());
        assertTrue(kintone.posture().certificateRequired());
        assertEquals(false, kintone.posture().managed());
        assertTrue(kintone.allowPrivate());
        assertTrue(policy.entries().get(2).deviceOnly());

        assertEquals("m365-exchange", policy.match(new Destination("x.outlook.office.com", 443, false))
                .orElseThrow().id());
        assertEquals("updates", policy.match(new Destination("a.update.microsoft.com", 443, false)).orElseThrow().id());
    }

    @Test
    void aPolicyWithoutTheSectionHasNoBreakout() throws ConfigException {
        PolicySnapshot snapshot = PolicyCompiler.compile(SourceDocument.parse("p.yaml", HEAD), "v");
        assertSame(BreakoutPolicy.NONE, snapshot.breakout());
        assertTrue(PolicyCompiler.SECTIONS.contains("breakout"));
    }

    @Test
    void theIsmapDatesAreReadInThePolicysTimeZoneAndEntriesWithoutMfaOrPostureDemandNone() throws ConfigException {
        BreakoutPolicy policy = compile(HEAD.replace("Asia/Tokyo", "UTC") + """
                breakout:
                  allowlist:
                    - {id: asp, domains: [asp.example.lg.jp]}
                """);
        assertEquals(ZoneId.of("UTC"), policy.zone());
        assertEquals(BreakoutPolicy.IsmapMode.ENFORCE, policy.ismapMode());
        BreakoutEntry asp = policy.entries().get(0);
        assertTrue(asp.mfa().isNone());
        assertEquals(false, asp.posture().demandsAnything());
    }

    @Test
    void entryMistakesAreReportedWithTheirPositions() {
        String notAPattern = " is not a domain pattern: write a host name (outlook.office.com) or '*.' before one"
                + " (*.outlook.office.com); '*' may only be the whole leftmost label";
        assertEquals(List.of(
                "p.yaml:9:37: breakout.allowlist[0].domains[1]: 'autodiscover.*.example.com'" + notAPattern,
                "p.yaml:9:65: breakout.allowlist[0].domains[2]: '*blob.core.windows.net'" + notAPattern,
                "p.yaml:9:91: breakout.allowlist[0].domains[3]: '52.96.1.1' is an IP address: list it under addresses",
                "p.yaml:9:102: breakout.allowlist[0].domains[4]: '*.jp' would allow a whole top-level domain: name"
                        + " the domain below it (*.example.com)",
                "p.yaml:10:20: breakout.allowlist[0].ports[1]: port 70000 is out of range: use 1 to 65535",
                "p.yaml:11:33: breakout.allowlist[0].addresses[1]: 'outlook.office.com' is not an IP address or CIDR"
                        + " range (such as 52.96.0.0/14 or 2603:1006::/40)",
                "p.yaml:12:7: breakout.allowlist[0].category: category 'Optimize' must be lower-case letters,"
                        + " digits and '-' (it is a metric label), such as optimize",
                "p.yaml:13:54: breakout.allowlist[0].ismap.validUntil: validUntil 2021-04-30 is before validFrom"
                        + " 2021-05-01: check the registration's dates",
                "p.yaml:14:7: breakout.allowlist[1].id: entry id 'a' is used twice: give each entry its own id"
                        + " (audit records and metrics name it)",
                "p.yaml:17:36: breakout.allowlist[1].allow[0].paths: 'paths' does not apply to the allowlist: the"
                        + " forward proxy sees a tunnel to a host, not requests; remove it",
                "p.yaml:17:60: breakout.allowlist[1].allow[0].segments[0]: no segment has the id 'office'; defined:"
                        + " lgwan, telework",
                "p.yaml:16:7: breakout.allowlist[1].deviceOnly: a deviceOnly entry lets devices in without a user,"
                        + " so its allow rules could never be judged: remove 'allow' or 'deviceOnly'",
                "p.yaml:19:17: breakout.allowlist[2].domains[0]: 'OUTLOOK.office.com.' is already listed by entry"
                        + " 'a': list each domain in one entry only",
                "p.yaml:20:7: breakout.allowlist[3]: entry 'c' lists no domains and no addresses: it can never"
                        + " match; add domains or remove the entry",
                "p.yaml:21:7: breakout.allowlist[3].ismap: an ISMAP registration needs validUntil: the last day it"
                        + " is valid, as 2027-04-30"),
                errors("""
                        breakout:
                          allowlist:
                            - id: a
                              domains: [outlook.office.com, autodiscover.*.example.com, "*blob.core.windows.net", 52.96.1.1, "*.jp"]
                              ports: [443, 70000]
                              addresses: [52.96.0.0/14, outlook.office.com]
                              category: Optimize
                              ismap: {id: C21-0006-1, validFrom: 2021-05-01, validUntil: 2021-04-30}
                            - id: a
                              domains: [c.example.jp]
                              deviceOnly: true
                              allow: [{id: r, groups: [g], paths: [/x], segments: [office]}]
                            - id: b
                              domains: [OUTLOOK.office.com.]
                            - id: c
                              ismap: {id: C21-0006-1}
                        """));
    }

    @Test
    void parentAndTenantRestrictionMistakesAreReportedWithTheirPositions() {
        assertEquals(List.of(
                "p.yaml:7:3: breakout.ismapExpired: 'sometimes' is not enforce or warn: enforce refuses an entry"
                        + " whose ISMAP registration is not valid, warn lets it through and says so",
                "p.yaml:10:7: breakout.parents[0].address: 'proxy.pref.example.lg.jp' is not host:port: write the"
                        + " parent proxy as proxy.pref.example.lg.jp:8080 (an IPv6 address in brackets,"
                        + " [fd00::1]:8080)",
                "p.yaml:11:18: breakout.parents[0].segments[0]: no segment has the id 'lgwan2'; defined: lgwan,"
                        + " telework",
                "p.yaml:12:7: breakout.parents[1].id: parent proxy id 'pref' is used twice: give each its own id"
                        + " (audit records name it)",
                "p.yaml:17:9: breakout.tenantRestrictions.hosts[1]: 'login microsoft com' is not a host name: list"
                        + " login hosts such as login.microsoftonline.com",
                "p.yaml:19:7: breakout.tenantRestrictions.headers.Restrict Access: 'Restrict Access' is not a"
                        + " header name: use letters, digits and '-' (such as Restrict-Access-To-Tenants)",
                "p.yaml:21:7: breakout.tenantRestrictions.headers.restrict-access-to-tenants: header"
                        + " 'restrict-access-to-tenants' is already given as 'Restrict-Access-To-Tenants' (header"
                        + " names ignore case): keep one",
                "p.yaml:22:7: breakout.tenantRestrictions.headers.Restrict-Access-Context: the value of"
                        + " 'Restrict-Access-Context' holds a line break or control character: write it on one line"),
                errors("""
                        breakout:
                          ismapExpired: sometimes
                          parents:
                            - id: pref
                              address: proxy.pref.example.lg.jp
                              segments: [lgwan2]
                            - id: pref
                              address: proxy2.pref.example.lg.jp:8080
                          tenantRestrictions:
                            hosts:
                              - login.microsoftonline.com
                              - login microsoft com
                            headers:
                              Restrict Access: x
                              Restrict-Access-To-Tenants: city.example.onmicrosoft.com
                              restrict-access-to-tenants: other.onmicrosoft.com
                              Restrict-Access-Context: "a\\r\\nX-Injected: 1"
                        """));
    }

    @Test
    void tenantRestrictionsNeedBothHostsAndHeaders() {
        assertEquals(List.of("p.yaml:7:3: breakout.tenantRestrictions: hosts are listed but no headers: add the"
                        + " headers to insert (Restrict-Access-To-Tenants and Restrict-Access-Context) or remove"
                        + " tenantRestrictions"),
                errors("""
                        breakout:
                          tenantRestrictions:
                            hosts: [login.microsoftonline.com]
                        """));
    }

    @Test
    void aMistakeInTheDefaultsIsReportedOnceAtTheDefault() {
        assertEquals(List.of("p.yaml:8:19: breakout.defaults.mfa.anyOf[0]: unknown method 'palm'; known: "
                        + String.join(", ", jp.sekisho.policy.mfa.AuthMethods.known())),
                errors("""
                        breakout:
                          defaults:
                            mfa: {anyOf: [palm]}
                          allowlist:
                            - {id: a, domains: [a.example.jp]}
                            - {id: b, domains: [b.example.jp]}
                        """));
    }
}
