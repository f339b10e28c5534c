package jp.sekisho.audit.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sekisho audit shadow-it} over {@link ShadowTrail}: formats, options and exit codes. */
class AuditShadowItCommandTest {

    @TempDir
    static Path root;

    static ShadowTrail trail;

    @BeforeAll
    static void writeTrail() throws Exception {
        trail = ShadowTrail.write(root);
    }

    @Test
    void writesAJapaneseTextTableToStandardOutputByDefault() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        ShadowTrail.Run run;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            run = ShadowTrail.execute(null, "audit", "shadow-it", trail.dir.toString(), "--from", "2026-11-01", "--to",
                    "2026-12-01");
        } finally {
            System.setOut(original);
        }

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = List.of(stdout.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals("シャドーIT レポート (許可リストにない宛先への接続)", lines.get(0));
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("宛先  ")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("宛先 +拒否件数 +利用者数 +端末数 +初回 +最終 +主なネットワーク区分 +主なグループ"),
                lines.get(header));
        assertTrue(lines.get(header + 1).matches("www\\.dropbox\\.com +4 +3 +3 +2026-11-02 09:00:00 +"
                + "2026-11-04 09:00:00 +lgwan \\(2\\), internet \\(1\\), telework \\(1\\) +shimin-ka \\(3\\).*"),
                lines.get(header + 1));
        assertEquals(lines.get(header).indexOf("拒否件数") + 2, lines.get(header + 1).indexOf("4 "),
                "columns line up in a terminal: the two characters of 宛先 take two cells each");
        assertTrue(run.err().contains("counted 8 refusal(s) of 4 destination(s) not on the allowlist"), run.err());
        assertTrue(run.err().contains("warning: 1 line(s) could not be read and were skipped"), run.err());
    }

    @Test
    void topAndSegmentNarrowTheReport() throws Exception {
        ShadowTrail.Run run = trail.run("--from", "2026-11-01", "--to", "2026-12-01", "--format", "json",
                "--top", "1", "--segment", "telework");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.bytes());
        assertEquals("telework", json.path("segment").asText());
        assertEquals(1, json.path("top").asInt());
        assertEquals(1, json.path("destinations").size());
        assertEquals("drive.google.com", json.at("/destinations/0/destination").asText(), "2 from telework, dropbox 1");
        assertEquals(2, json.at("/totals/destinations").asInt());
        assertEquals(3, json.at("/totals/notListed").asLong());
    }

    @Test
    void writesCsvWithEnglishHeadersOnRequest() throws Exception {
        ShadowTrail.Run run = trail.run("--from", "2026-11-01", "--to", "2026-12-01", "--format", "csv",
                "--headers", "en", "--top", "2");

        assertEquals(0, run.exitCode(), run.err());
        String text = run.text();
        assertTrue(text.startsWith("\uFEFFShadow IT report"), text);
        assertTrue(text.contains("\r\nDestination,Refusals,Users,Devices,First seen,Last seen,Top segments,"
                + "Top groups\r\nwww.dropbox.com,4,"), text);
        assertTrue(text.contains("\r\ndrive.google.com,2,"), text);
        assertFalse(text.contains("files.example.com"), "--top 2 leaves the third out");
    }

    @Test
    void exitsTwoOnAUsageError() throws Exception {
        String dir = trail.dir.toString();
        List<List<String>> wrong = List.of(
                List.of(dir, "--to", "2026-12-01"),
                List.of(dir, "--from", "2026-13-01", "--to", "2026-12-01"),
                List.of(dir, "--from", "2026-12-01", "--to", "2026-11-01"),
                List.of(root.resolve("nowhere").toString(), "--from", "2026-11-01", "--to", "2026-12-01"),
                List.of(dir, "--from", "2026-11-01", "--to", "2026-12-01", "--top", "0"),
                List.of(dir, "--from", "2026-11-01", "--to", "2026-12-01", "--top", "many"),
                List.of(dir, "--from", "2026-11-01", "--to", "2026-12-01", "--format", "html"),
                List.of(dir, "--from", "2026-11-01", "--to", "2026-12-01", "--output", dir + "/report.txt"));
        for (List<String> args : wrong) {
            String[] command = java.util.stream.Stream.concat(java.util.stream.Stream.of("audit", "shadow-it"),
                    args.stream()).toArray(String[]::new);
            ShadowTrail.Run run = ShadowTrail.execute(null, command);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertFalse(run.err().isBlank());
        }
    }
}
