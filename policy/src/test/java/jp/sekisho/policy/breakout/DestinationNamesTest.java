package jp.sekisho.policy.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationNamesTest {

    @ParameterizedTest(name = "{index}: ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            outlook.office.com            | outlook.office.com        | false
            Outlook.Office.COM            | outlook.office.com        | false
            outlook.office.com.           | outlook.office.com        | false
            '  outlook.office.com  '      | outlook.office.com        | false
            intranet                      | intranet                  | false
            市役所.jp                      | xn--7sto6a74d.jp         | false
            ＥＸＡＭＰＬＥ.jp              | example.jp                | false
            52.96.10.1                    | 52.96.10.1                | true
            ::1                           | ::1                       | true
            [2603:1006::1]                | 2603:1006::1              | true
            [2603:1006::ABCD]             | 2603:1006::abcd           | true
            outlook.office.com..          | -                         | -
            .outlook.office.com           | -                         | -
            out_look.office.com           | -                         | -
            -outlook.office.com           | -                         | -
            outlook-.office.com           | -                         | -
            'outlook office.com'          | -                         | -
            ''                            | -                         | -
            1.2.3                         | -                         | -
            1.2.3.256                     | -                         | -
            010.1.1.1                     | -                         | -
            0x7f.0.0.1                    | -                         | -
            2130706433                    | -                         | -
            [::1                          | -                         | -
            [outlook.office.com]          | -                         | -
            fe80::1%eth0                  | -                         | -
            """)
    void normalisesHostNamesAndLiterals(String host, String expected, Boolean ipLiteral) {
        Optional<Destination> destination = Destination.of(host, 443);
        if (expected == null) {
            assertEquals(Optional.empty(), destination, host);
        } else {
            assertEquals(Optional.of(new Destination(expected, 443, ipLiteral)), destination);
        }
    }

    @ParameterizedTest(name = "{index}: label length {0}")
    @CsvSource({"63, true", "64, false"})
    void labelsMayHaveAtMost63Characters(int length, boolean valid) {
        assertEquals(valid, Destination.of("a".repeat(length) + ".example.jp", 443).isPresent());
    }

    @ParameterizedTest(name = "{index}: name length {0}")
    @CsvSource({"253, true", "254, false"})
    void namesMayHaveAtMost253Characters(int length, boolean valid) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            name.append(name.length() % 2 == 0 ? 'a' : '.');
        }
        if (name.charAt(name.length() - 1) == '.') {
            name.setCharAt(name.length() - 1, 'b');
        }
        assertEquals(valid, Destination.of(name.toString(), 443).isPresent(), name.toString());
    }

    @ParameterizedTest(name = "{index}: port {0}")
    @CsvSource({"0, false", "1, true", "65535, true", "65536, false", "-1, false"})
    void portMustBeOneTo65535(int port, boolean valid) {
        assertEquals(valid, Destination.of("outlook.office.com", port).isPresent());
    }

    @ParameterizedTest(name = "{index}: ''{0}''")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            outlook.office.com:443         | outlook.office.com:443
            Outlook.Office.com.:443        | outlook.office.com:443
            52.96.10.1:443                 | 52.96.10.1:443
            [2603:1006::1]:443             | [2603:1006::1]:443
            [::1]:8443                     | [::1]:8443
            outlook.office.com:0443        | outlook.office.com:443
            outlook.office.com             | -
            outlook.office.com:            | -
            outlook.office.com:https       | -
            outlook.office.com:+443        | -
            outlook.office.com:65536       | -
            outlook.office.com:0           | -
            user@outlook.office.com:443    | -
            outlook.office.com:443/path    | -
            'outlook.office.com :443'      | -
            2603:1006::1:443               | -
            [2603:1006::1]                 | -
            [2603:1006::1]443              | -
            :443                           | -
            ''                             | -
            """)
    void readsConnectAuthoritiesWithARequiredPort(String authority, String expected) {
        Optional<Destination> destination = Destination.parseAuthority(authority);
        assertEquals(Optional.ofNullable(expected), destination.map(Destination::authority), authority);
    }

    @ParameterizedTest(name = "{index}: ''{0}''")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            outlook.office.com          | outlook.office.com
            *.Outlook.Office.com.       | *.outlook.office.com
            *.市役所.jp                  | *.xn--7sto6a74d.jp
            autodiscover.*.example.com  | -
            *blob.core.windows.net      | -
            *.*.example.com             | -
            *                           | -
            *.com                       | -
            52.96.10.1                  | -
            2603:1006::1                | -
            """)
    void domainPatternsAreNamesOrALeftmostWildcard(String text, String expected) {
        assertEquals(Optional.ofNullable(expected), DomainPattern.parse(text).map(DomainPattern::toString));
    }
}
