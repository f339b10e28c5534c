package jp.sekisho.audit.review;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import jp.sekisho.audit.export.CsvExport;
import jp.sekisho.audit.export.CsvRows;

/**
 * A review as one CSV file for Excel, read top to bottom like the HTML page: each section is a
 * title row, its notes, then each table as a caption row, a heading row and its rows, with a
 * blank row between blocks. Encoded as the export encodes: UTF-8 with a byte order mark or CP932,
 * CRLF, RFC 4180 quoting, and every cell guarded against formula injection ({@link CsvRows}).
 */
public final class CsvReport {

    private CsvReport() {
    }

    /**
     * Writes the review; returns how many characters CP932 could not hold and were written as '?'
     * (0 in UTF-8).
     */
    public static long write(Review review, CsvExport.Headers language, CsvExport.Encoding encoding,
                             OutputStream out) throws IOException {
        ReviewText text = new ReviewText(language, review.period());
        CsvRows csv = new CsvRows(out, encoding);
        csv.row(List.of(ReviewSections.title(text)));
        csv.row(List.of());
        for (ReviewSections.Section section : ReviewSections.of(review, text)) {
            csv.row(List.of("■ " + section.title()));
            for (String note : section.notes()) {
                csv.row(List.of(note));
            }
            for (ReviewSections.Table table : section.tables()) {
                csv.row(List.of("□ " + table.caption()));
                csv.row(table.headers());
                for (ReviewSections.Row row : table.rows()) {
                    csv.row(row.cells());
                }
                if (table.rows().isEmpty()) {
                    csv.row(List.of(text.t("該当なし", "none")));
                }
                csv.row(List.of());
            }
        }
        csv.flush();
        return csv.replacedCharacters();
    }
}
