package jp.sekisho.audit.review;

import static jp.sekisho.html.HtmlText.escape;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.audit.export.CsvExport;

/**
 * A review as one self-contained HTML page: inline CSS, no script, nothing fetched from
 * elsewhere, every value escaped, tables with a caption and scoped headings, and a print style
 * so it can be handed over on paper. The page is {@code lang="ja"} (or {@code en}).
 */
public final class HtmlReport {

    private static final String CSS = """
            body{font-family:"Yu Gothic","Hiragino Sans","Noto Sans JP",Meiryo,sans-serif;margin:2em;color:#111;\
            line-height:1.5}
            h1{font-size:1.5em;border-bottom:2px solid #333}h2{font-size:1.2em;margin-top:2em;\
            border-left:6px solid #345;padding-left:.5em}
            table{border-collapse:collapse;margin:.8em 0 1.2em;min-width:40%}
            caption{text-align:left;font-weight:bold;padding:.3em 0}
            th,td{border:1px solid #999;padding:.25em .6em;vertical-align:top;text-align:left}
            thead th{background:#e8edf2}th[scope=row]{background:#f5f7f9;font-weight:normal}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.flag td,tr.flag th{background:#fde8e8;font-weight:bold}
            p.none{color:#555;font-style:italic}p.note{max-width:60em}
            @media print{body{margin:0;font-size:10pt}section{break-inside:avoid-page}\
            thead{display:table-header-group}tr{break-inside:avoid}}
            """;

    private HtmlReport() {
    }

    /** Writes the page as UTF-8. */
    public static void write(Review review, CsvExport.Headers language, OutputStream out) throws IOException {
        ReviewText text = new ReviewText(language, review.period());
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        String title = ReviewSections.title(text);
        w.write("<!DOCTYPE html>\n<html lang=\"" + (language == CsvExport.Headers.JA ? "ja" : "en") + "\">\n<head>\n"
                + "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title + " " + text.period()) + "</title>\n<style>\n" + CSS + "</style>\n"
                + "</head>\n<body>\n<h1>" + escape(title) + "</h1>\n");
        for (ReviewSections.Section section : ReviewSections.of(review, text)) {
            section(w, section, text);
        }
        w.write("</body>\n</html>\n");
        w.flush();
    }

    private static void section(Writer w, ReviewSections.Section section, ReviewText text) throws IOException {
        w.write("<section id=\"" + escape(section.id()) + "\">\n<h2>" + escape(section.title()) + "</h2>\n");
        for (String note : section.notes()) {
            w.write("<p class=\"note\">" + escape(note) + "</p>\n");
        }
        for (ReviewSections.Table table : section.tables()) {
            table(w, table, text);
        }
        w.write("</section>\n");
    }

    private static void table(Writer w, ReviewSections.Table table, ReviewText text) throws IOException {
        if (table.rows().isEmpty()) {
            w.write("<p class=\"none\">" + escape(table.caption() + ": " + text.t("該当なし", "none")) + "</p>\n");
            return;
        }
        w.write("<table>\n<caption>" + escape(table.caption()) + "</caption>\n<thead><tr>");
        for (String header : table.headers()) {
            w.write("<th scope=\"col\">" + escape(header) + "</th>");
        }
        w.write("</tr></thead>\n<tbody>\n");
        for (ReviewSections.Row row : table.rows()) {
            w.write(row.flagged() ? "<tr class=\"flag\">" : "<tr>");
            List<String> cells = row.cells();
            for (int i = 0; i < cells.size(); i++) {
                if (i == 0) {
                    w.write("<th scope=\"row\">" + escape(cells.get(i)) + "</th>");
                } else {
                    w.write((table.numeric().contains(i) ? "<td class=\"n\">" : "<td>") + escape(cells.get(i))
                            + "</td>");
                }
            }
            w.write("</tr>\n");
        }
        w.write("</tbody>\n</table>\n");
    }
}
