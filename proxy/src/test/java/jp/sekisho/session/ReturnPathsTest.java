package jp.sekisho.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReturnPathsTest {

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                              | true
            /records?x=1                   | true
            /a/b#frag                      | true
            /%E4%BD%8F%E6%B0%91            | true
            https://evil.example/          | false
            http:evil.example              | false
            //evil.example                 | false
            ///evil.example                | false
            /\\evil.example                | false
            \\\\evil.example               | false
            %2F%2Fevil.example             | false
            /%2Fevil.example               | false
            /%5Cevil.example               | false
            %252F%252Fevil.example         | false
            /%252F%252Fevil.example        | false
            javascript:alert(1)            | false
            /%0d%0aSet-Cookie:x            | false
            /a%00b                         | false
            ''                             | false
            records                        | false
            """)
    void onlySameHostPathsAreSafe(String target, boolean safe) {
        assertEquals(safe, ReturnPaths.isSafe(target));
    }
}
