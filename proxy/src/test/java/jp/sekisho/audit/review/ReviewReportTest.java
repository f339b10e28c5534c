package jp.sekisho.audit.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.sekisho.audit.export.CsvExport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review as an HTML page and as CSV, written directly and through {@code sekisho audit report}. */
class ReviewReportTest {

    private static final List<String> JA_SECTIONS = List.of("1. 業務時間外のアクセス", "2. 利用件数が特に多い利用者",
            "3. 拒否の急増", "4. 追加認証と多要素認証の失敗", "5. 隔離と解除", "6. ポリシーの変更", "7. 監査ログの健全性");

    @TempDir
    static Path root;

    static ReviewTrail trail;
    static Review review;

    @BeforeAll
    static void writeTrail() throws Exception {
        trail = ReviewTrail.write(root);
        review = trail.review(BusinessHours.officeHours());
    }

    static String html(CsvExport.Headers language) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlReport.write(review, language, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theHtmlPageIsJapaneseSelfContainedAndEveryTableIsClosedAndCaptioned() throws Exception {
        String html = html(CsvExport.Headers.JA);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"ja\">"), html.substring(0, 40));
        assertTrue(html.endsWith("</html>\n"));
        int tables = count(html, "<table>");
        assertTrue(tables >= 10, "tables: " + tables);
        assertEquals(tables, count(html, "</table>"));
        assertEquals(tables, count(html, "<caption>"));
        assertEquals(count(html, "<tr"), count(html, "</tr>"));
        assertEquals(count(html, "<section"), count(html, "</section>"));
        for (String section : JA_SECTIONS) {
            assertTrue(html.contains("<h2>" + section + "</h2>"), section);
        }
        assertTrue(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\">"));
        String lower = html.toLowerCase(Locale.ROOT);
        for (String outside : List.of("<script", "<link", "<img", "src=", "href=", "http://", "https://", "@import")) {
            assertFalse(lower.contains(outside), outside);
        }
        assertTrue(html.contains("@media print"));
    }

    @Test
    void aHostileUserNameIsShownAsTextNeverAsMarkup() throws Exception {
        String html = html(CsvExport.Headers.JA);
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void theHtmlPageSaysWhatItFlaggedAndWhichHoursItAssumed() throws Exception {
        String html = html(CsvExport.Headers.JA);
        assertTrue(html.contains("官公庁の勤務時間 (平日 08:30–18:15、日本時間)"), "the default is stated");
        assertTrue(html.contains("<tr class=\"flag\"><th scope=\"row\">heavy</th><td>juminhyo</td><td class=\"n\">500"
                + "</td><td class=\"n\">6</td><td class=\"n\">100</td></tr>"));
        assertTrue(html.contains("<tr class=\"flag\"><th scope=\"row\">2026-11-09</th>"));
        assertTrue(html.contains("sekisho audit verify"));
    }

    @Test
    void englishHeadingsOnRequest() throws Exception {
        String html = html(CsvExport.Headers.EN);
        assertTrue(html.contains("<html lang=\"en\">"));
        assertTrue(html.contains("<h2>1. Access outside business hours</h2>"));
        assertTrue(html.contains("<h2>7. Trail health</h2>"));
    }

    @Test
    void theCsvHasABomAndEverySectionAndGuardsFormulas() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CsvReport.write(review, CsvExport.Headers.JA, CsvExport.Encoding.UTF_8, out));
        String csv = out.toString(StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("\uFEFF"));
        for (String section : JA_SECTIONS) {
            assertTrue(csv.contains("\r\n■ " + section + "\r\n"), section);
        }
        assertTrue(csv.contains("\r\nheavy,juminhyo,500,6,100\r\n"));
        assertTrue(csv.contains("\r\n2026-11-09,30,10,20,30,該当\r\n"));
        assertTrue(csv.contains(ReviewTrail.HOSTILE + ",juminhyo,1,1,hostile"));
        assertFalse(csv.replace("\r\n", "").contains("\n"), "every row is one line");
    }

    @Test
    void theCsvInCp932HasNoBomAndReadsBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvReport.write(review, CsvExport.Headers.JA, CsvExport.Encoding.CP932, out);
        String csv = out.toString(Charset.forName("windows-31j"));
        assertFalse(csv.startsWith("\uFEFF"));
        assertTrue(csv.startsWith("監査ログ 定期レビュー\r\n"));
        assertTrue(csv.contains("■ 3. 拒否の急増"));
    }

    @Test
    void theCommandWritesTheHtmlPageWithThePolicysBusinessHours() throws Exception {
        Path output = root.resolve("review.html");
        ReviewTrail.Run run = ReviewTrail.run(output, "audit", "report", trail.dir.toString(), "--from", "2026-11-01",
                "--to", "2026-12-01", "--config", trail.config().toString(), "--output", output.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.text().contains("<html lang=\"ja\">"));
        assertTrue(run.text().contains("の時間帯「business-hours」"));
        assertTrue(run.text().contains("<td>holiday</td>"), "the holiday request is outside business hours");
    }

    @Test
    void theCommandWritesCsvWithEnglishHeadings() throws Exception {
        Path output = root.resolve("review.csv");
        ReviewTrail.Run run = ReviewTrail.run(output, "audit", "report", trail.dir.toString(), "--from", "2026-11-01",
                "--to", "2026-12-01", "--format", "csv", "--headers", "en", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.text().startsWith("\uFEFFPeriodic audit review\r\n"));
        assertTrue(run.text().contains("■ 5. Quarantines and releases"));
    }

    @Test
    void exitsTwoWithoutFrom() throws Exception {
        ReviewTrail.Run run = ReviewTrail.run(null, "audit", "report", trail.dir.toString(), "--to", "2026-12-01");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--from"), run.err());
    }

    @Test
    void exitsTwoOnAnUnreadableDateAMissingDirectoryOrAnUnknownWindow() throws Exception {
        assertEquals(2, ReviewTrail.run(null, "audit", "report", trail.dir.toString(), "--from", "2026-13-01",
                "--to", "2026-12-01").exitCode());
        assertEquals(2, ReviewTrail.run(null, "audit", "report", root.resolve("nowhere").toString(), "--from",
                "2026-11-01", "--to", "2026-12-01").exitCode());
        ReviewTrail.Run unknown = ReviewTrail.run(null, "audit", "report", trail.dir.toString(), "--from",
                "2026-11-01", "--to", "2026-12-01", "--config", trail.config().toString(), "--business-hours",
                "lunch");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no time window has the id 'lunch'"), unknown.err());
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
