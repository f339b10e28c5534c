package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One cell's rules, row by row: formulas neutralised, line breaks gone, RFC 4180 quoting. */
class CsvExportCellTest {

    @ParameterizedTest(name = "{index}: [{0}] -> [{1}]")
    @CsvSource(delimiterString = " -> ", quoteCharacter = '`', textBlock = """
            /住民記録/検索 -> /住民記録/検索
            =cmd|' /C calc'!A0 -> '=cmd|' /C calc'!A0
            +81-3-0000 -> '+81-3-0000
            -2+3 -> '-2+3
            @SUM(A1) -> '@SUM(A1)
            a,b -> "a,b"
            say "hi" -> "say ""hi""\"
            =a,b -> "'=a,b"
            100-200 -> 100-200
            a'b -> a'b
            """)
    void rules(String value, String cell) {
        assertEquals(cell, CsvCell.of(value));
    }

    @ParameterizedTest(name = "{index}")
    @CsvSource(delimiterString = " -> ", quoteCharacter = '`', textBlock = """
            a\\r\\nb -> a  b
            a\\u2028b\\u2029c -> a b c
            \\tSUM -> '\\tSUM
            \\r=1+1 -> ' =1+1
            """)
    void controlCharacters(String escaped, String escapedCell) {
        assertEquals(unescape(escapedCell), CsvCell.of(unescape(escaped)));
    }

    @Test
    void nothingIsEmpty() {
        assertEquals("", CsvCell.of(null));
        assertEquals("", CsvCell.of(""));
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u2028", "\u2028")
                .replace("\\u2029", "\u2029");
    }
}
