package jp.sekisho.audit.review;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.audit.export.Cp932Text;
import jp.sekisho.audit.export.CsvCell;
import jp.sekisho.audit.export.CsvExport;

/**
 * A review as one CSV file for Excel, read top to bottom like the HTML page: each section is a
 * title row, its notes, then each table as a caption row, a heading row and its rows, with a
 * blank row between blocks. Encoded as the export encodes: UTF-8 with a byte order mark or CP932,
 * CRLF, RFC 4180 quoting, and every cell guarded against formula injection ({@link CsvCell}).
 */
public final class CsvReport {

    private final Writer out;
    private final Cp932Text cp932;

    private CsvReport(OutputStream out, CsvExport.Encoding encoding) throws IOException {
        this.cp932 = encoding == CsvExport.Encoding.CP932 ? new Cp932Text() : null;
        this.out = new BufferedWriter(new OutputStreamWriter(out,
                encoding == CsvExport.Encoding.CP932 ? Cp932Text.CHARSET : StandardCharsets.UTF_8));
        if (cp932 == null) {
            this.out.write('\uFEFF');
        }
    }

    /**
     * Writes the review; returns how many characters CP932 could not hold and were written as '?'
     * (0 in UTF-8).
     */
    public static long write(Review review, CsvExport.Headers language, CsvExport.Encoding encoding,
                             OutputStream out) throws IOException {
        ReviewText text = new ReviewText(language, review.period());
        CsvReport csv = new CsvReport(out, encoding);
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
        csv.out.flush();
        return csv.cp932 == null ? 0 : csv.cp932.replaced();
    }

    private void row(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = CsvCell.of(cells.get(i));
            out.write(cp932 == null ? cell : cp932.of(cell));
        }
        out.write("\r\n");
    }
}
