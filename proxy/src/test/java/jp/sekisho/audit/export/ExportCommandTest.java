package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person gets wrong on the command line ends with exit 2 and a message that says what. */
class ExportCommandTest {

    @TempDir
    Path root;
    KnownTrail trail;

    @BeforeEach
    void writeTrail() throws IOException {
        trail = KnownTrail.write(root);
    }

    private void usageError(String expected, String... options) throws IOException {
        KnownTrail.Export export = trail.export(options);
        assertEquals(2, export.exitCode(), export.err());
        assertTrue(export.err().contains(expected), export.err());
    }

    @Test
    void aBadFromIsAUsageError() throws IOException {
        usageError("--from '2026-13-45' is not a date", "--format", "csv", "--from", "2026-13-45");
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsAUsageError() throws IOException {
        usageError("is not before --to", "--format", "csv", "--from", "2026-11-25", "--to", "2026-11-24");
    }

    @Test
    void unknownChoicesAreUsageErrors() throws IOException {
        usageError("--format 'xml' is not one of csv, jsonl, ocsf", "--format", "xml");
        usageError("--encoding 'sjis' is not one of cp932, utf-8", "--format", "csv", "--encoding", "sjis");
        usageError("unknown decision 'maybe'", "--format", "csv", "--decision", "maybe");
    }

    @Test
    void aMissingDirectoryIsAUsageError() throws IOException {
        KnownTrail missing = KnownTrail.write(root.resolve("elsewhere"));
        java.nio.file.Files.walk(missing.dir).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());

        KnownTrail.Export export = missing.export("--format", "csv");

        assertEquals(2, export.exitCode());
        assertTrue(export.err().contains("is not a directory"), export.err());
    }

    @Test
    void theExportIsNeverWrittenIntoTheTrail() throws IOException {
        KnownTrail.Export export = trail.export("--format", "csv", "--output", trail.dir.resolve("x.csv").toString());

        assertEquals(2, export.exitCode());
        assertTrue(export.err().contains("inside the audit directory"), export.err());
    }

    @Test
    void aSummaryGoesToStandardError() throws IOException {
        KnownTrail.Export export = trail.export("--format", "jsonl");

        assertEquals(0, export.exitCode());
        assertTrue(export.err().contains("exported 8 record(s)"), export.err());
        assertTrue(export.err().contains("1 request(s) have a decision record but no access record"), export.err());
    }
}
