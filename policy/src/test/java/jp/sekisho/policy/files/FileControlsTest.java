package jp.sekisho.policy.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileControlsTest {

    private static final FileControls LGWAN_NO_DOWNLOADS = new FileControls(Set.of("lgwan"),
            Set.of("application/pdf"), Optional.empty(), false);

    @ParameterizedTest(name = "{0} | {1} | {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            lgwan    | attachment; filename=a.csv | text/csv                  | true
            lgwan    | ATTACHMENT                 | -                         | true
            lgwan    | inline                     | text/html                 | false
            lgwan    | -                          | application/PDF; q=1      | true
            lgwan    | -                          | text/html; charset=utf-8  | false
            telework | attachment                 | -                         | false
            -        | attachment                 | -                         | false
            """)
    void downloadsAreBlockedOnlyToTheNamedSegments(String segment, String disposition, String type, boolean blocked) {
        assertEquals(blocked, LGWAN_NO_DOWNLOADS.blocksDownload(Optional.ofNullable(segment), disposition, type));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            attachment; filename="report.pdf"                                      | report.pdf
            attachment; filename=report.pdf                                        | report.pdf
            attachment; filename="a.pdf"; filename*=UTF-8''%E8%AD%B0%E4%BA%8B.pdf   | 議事.pdf
            attachment; filename*=utf-8''a%2Bb.txt                                 | a+b.txt
            attachment                                                             | -
            """)
    void theAuditedNameIsTheUtf8NameWhenGiven(String disposition, String name) {
        assertEquals(Optional.ofNullable(name), FileControls.fileName(disposition));
    }
}
