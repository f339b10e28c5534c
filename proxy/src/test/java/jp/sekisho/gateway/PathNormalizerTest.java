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
            /a/..;/b,             REFUSED
            /a/.;x/b,             REFUSED
            /;x/b,                REFUSED
            /a#frag,              REFUSED
            /%c0%ae%c0%ae/b,      REFUSED
            /a%e3%81,             REFUSED
            /a/%ef%bc%8e%ef%bc%8e/b, REFUSED
            /a%ef%bc%8fb,         REFUSED
            /%ef%bd%81,           /%EF%BD%81
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

    @org.junit.jupiter.params.ParameterizedTest
    @CsvSource({
            "/secret,                 /secret",
            "/%EF%BD%93ecret/x,        /secret/x",
            "/%E7%94%B3%E8%AB%8B,      /申請",
            "/files/%EF%BC%88%EF%BC%91%EF%BC%89.pdf, /files/(1).pdf"})
    void routesByTheFoldedFormAServerMightRead(String canonical, String routing) {
        assertEquals(routing, PathNormalizer.routingForm(canonical));
    }
}
