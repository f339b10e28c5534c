package jp.sekisho.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /export/**        | /export                   | true
            /export/**        | /export/                  | true
            /export/**        | /export/a/b.csv           | true
            /export/**        | /EXPORT/a                 | true
            /export/**        | /export;jsessionid=1/a    | true
            /export/**        | /exports/a                | false
            /export/*.csv     | /export/a.csv             | true
            /export/*.csv     | /export/a/b.csv           | false
            /export/*.csv     | /Export/A.CSV             | true
            /**/*.pdf         | /reports/2026/a.pdf       | true
            /**/*.pdf         | /a.pdf                    | true
            /**/*.pdf         | /reports/a.pdfx           | false
            /api/v?/items     | /api/v2/items             | true
            /api/v?/items     | /api/v10/items            | false
            /申請/**           | /申請/一覧                  | true
            /a.b              | /aXb                      | false
            """)
    void matchesLikeRoutesDo(String pattern, String path, boolean expected) {
        assertEquals(expected, PathGlob.of(pattern).matches(path));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            export/**  | a path pattern starts with '/'
            /a/**b     | '**' must be a whole segment, as in /docs/** or /**/x.pdf
            /a/***     | '***' means nothing: use '**' for any number of segments
            """)
    void refusesPatternsThatMeanSomethingElse(String pattern, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> PathGlob.of(pattern)).getMessage());
    }
}
