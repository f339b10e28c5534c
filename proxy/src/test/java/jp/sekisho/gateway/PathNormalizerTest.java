package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

    @ParameterizedTest(name = "{index}: {0} -> {1}")
    @CsvSource(nullValues = "REFUSED", textBlock = """
            /,                    /
            /records,             /records
            /records/,            /records/
            /a//b,                /a/b
            ///a,                 /a
            /a/./b,               /a/b
            /a/b/..,              /a/
            /a/b/../c,            /a/c
            /a/.,                 /a/
            /%7euser,             /~user
            /%41%42,              /AB
            /%2e%2e/x,            REFUSED
            /a/%2e%2e/b,          /b
            /a/%2E/b,             /a/b
            /%e3%81%82,           /%E3%81%82
            /a%20b,               /a%20b
            /a;jsessionid=1,      /a;jsessionid=1
            /..,                  REFUSED
            /a/../..,             REFUSED
            /a%2fb,               REFUSED
            /a%2Fb,               REFUSED
            /a%5cb,               REFUSED
            /a\\b,                REFUSED
            /a%00b,               REFUSED
            /a%0d%0ab,            REFUSED
            /a%,                  REFUSED
            /a%4,                 REFUSED
            /a%zz,                REFUSED
            /あ,                  REFUSED
            a/b,                  REFUSED
            *,                    REFUSED
            """)
    void normalisesOrRefuses(String raw, String expected) {
        assertEquals(expected, PathNormalizer.normalize(raw));
    }
}
