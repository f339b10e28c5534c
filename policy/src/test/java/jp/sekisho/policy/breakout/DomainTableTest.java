package jp.sekisho.policy.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.posture.PostureRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainTableTest {

    static BreakoutEntry entry(String id, List<String> domains, List<String> addresses) {
        return new BreakoutEntry(id, id, domains, Set.of(443), addresses.isEmpty() ? CidrSet.NONE
                : CidrSet.of(addresses), "default", Optional.empty(), List.of(), MfaRequirement.NONE,
                PostureRequirement.NONE, false, false, Optional.empty());
    }

    private static final BreakoutPolicy POLICY = new BreakoutPolicy(List.of(
            entry("office-wide", List.of("*.office.com"), List.of()),
            entry("outlook-wide", List.of("*.outlook.office.com"), List.of("52.96.0.0/14")),
            entry("outlook", List.of("outlook.office.com"), List.of()),
            entry("exchange-v6", List.of("*.office365.com"), List.of("2603:1006::/40", "52.96.0.0/16"))),
            List.of(), TenantRestrictions.NONE, BreakoutPolicy.IsmapMode.ENFORCE, ZoneId.of("Asia/Tokyo"));

    private static Optional<String> match(String host) {
        return POLICY.match(Destination.of(host, 443).orElseThrow()).map(BreakoutEntry::id);
    }

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(nullValues = "-", textBlock = """
            outlook.office.com,        outlook
            OUTLOOK.office.com.,       outlook
            x.outlook.office.com,      outlook-wide
            y.x.outlook.office.com,    outlook-wide
            www.office.com,            office-wide
            a.b.office.com,            office-wide
            office.com,                -
            outlook.office.com.evil.jp, -
            evil-outlook.office.com,   office-wide
            xoffice.com,               -
            """)
    void exactNamesWinThenTheLongestWildcardButNeverTheApex(String host, String expected) {
        assertEquals(Optional.ofNullable(expected), match(host));
    }

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(nullValues = "-", textBlock = """
            52.96.1.1,          outlook-wide
            52.99.255.255,      outlook-wide
            52.100.0.1,         -
            [2603:1006::10],    exchange-v6
            2603:1007::1,       -
            10.0.0.1,           -
            """)
    void anIpLiteralMatchesTheFirstEntryWhoseAddressesHoldIt(String host, String expected) {
        assertEquals(Optional.ofNullable(expected), match(host));
    }

    @Test
    void theFirstEntryInFileOrderKeepsANameListedTwice() {
        BreakoutPolicy policy = new BreakoutPolicy(List.of(entry("first", List.of("*.example.jp"), List.of()),
                entry("second", List.of("*.EXAMPLE.jp"), List.of())), List.of(), TenantRestrictions.NONE,
                BreakoutPolicy.IsmapMode.ENFORCE, ZoneId.of("Asia/Tokyo"));
        assertEquals("first", policy.match(new Destination("a.example.jp", 443, false)).orElseThrow().id());
    }

    @Test
    void theMatchDoesNotLookAtThePort() {
        assertEquals("outlook", POLICY.match(new Destination("outlook.office.com", 25, false)).orElseThrow().id());
    }

    @Test
    void anEntryWithAnUnreadablePatternIsRefusedWhenThePolicyIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BreakoutPolicy(
                List.of(entry("bad", List.of("autodiscover.*.example.jp"), List.of())), List.of(),
                TenantRestrictions.NONE, BreakoutPolicy.IsmapMode.ENFORCE, ZoneId.of("Asia/Tokyo")));
        assertEquals("entry bad: 'autodiscover.*.example.jp' is not a domain pattern", e.getMessage());
    }
}
