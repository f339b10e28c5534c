package jp.sekisho.audit.export;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rows of CSV for Excel, written as every CSV of Sekisho's is: UTF-8 with a byte order mark (so
 * that Excel reads it as UTF-8) or CP932 without one, CRLF line endings, and each cell made safe
 * and quoted by {@link CsvCell} before it is encoded. Not thread-safe.
 */
public final class CsvRows implements Closeable {

    private static final char BOM = '\uFEFF';

    private final Writer out;
    private final Cp932Text cp932;

    public CsvRows(OutputStream out, CsvExport.Encoding encoding) throws IOException {
        this.cp932 = encoding == CsvExport.Encoding.CP932 ? new Cp932Text() : null;
        this.out = new BufferedWriter(new OutputStreamWriter(out,
                encoding == CsvExport.Encoding.CP932 ? Cp932Text.CHARSET : StandardCharsets.UTF_8), 64 * 1024);
        if (cp932 == null) {
            this.out.write(BOM);
        }
    }

    /** One line; a null cell is empty, anything else is written as its {@code toString()}. */
    public void row(List<?> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object value = cells.get(i);
            String cell = CsvCell.of(value == null ? null : value.toString()); // line breaks gone before encoding
            out.write(cp932 == null ? cell : cp932.of(cell));
        }
        out.write("\r\n");
    }

    /** Characters CP932 could not hold, written as '?' (0 for UTF-8). */
    public long replacedCharacters() {
        return cp932 == null ? 0 : cp932.replaced();
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
