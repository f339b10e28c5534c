package jp.sekisho.policy.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MyNumberScannerTest {

    private static int scan(String text) {
        MyNumberScanner scanner = new MyNumberScanner();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        scanner.feed(bytes, 0, bytes.length);
        scanner.end();
        return scanner.found();
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            123456789018                       | 1
            123456789017                       | 0
            987654321093                       | 1
            番号: 1234 5678 9018 です            | 1
            番号:1234-5678-9018。              | 1
            １２３４５６７８９０１８              | 1
            1234567890180                      | 0
            01234567890180                     | 0
            12345678901                        | 0
            1234  5678 9018                    | 0
            1234 5678 9018 and 987654321093    | 2
            電話 03-1234-5678、郵便 100-0001     | 0
            """)
    void findsTwelveDigitsWithAValidCheckDigitAndNothingElse(String text, int expected) {
        assertEquals(expected, scan(text));
    }

    @Test
    void aNumberSplitAcrossChunksIsFoundAtEverySplitPoint() {
        byte[] bytes = "申請者 １２３４ 5678-9018 以上".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            MyNumberScanner scanner = new MyNumberScanner();
            scanner.feed(bytes, 0, split);
            scanner.feed(bytes, split, bytes.length - split);
            scanner.end();
            assertEquals(1, scanner.found(), "split at byte " + split);
        }
    }

    @Test
    void oneByteAtATimeIsTheSameAsAllAtOnce() {
        byte[] bytes = "a 123456789018 b 123456789017 c １２３４５６７８９０１８".getBytes(StandardCharsets.UTF_8);
        MyNumberScanner scanner = new MyNumberScanner();
        for (int i = 0; i < bytes.length; i++) {
            scanner.feed(bytes, i, 1);
        }
        scanner.end();
        assertEquals(2, scanner.found());
    }
}
