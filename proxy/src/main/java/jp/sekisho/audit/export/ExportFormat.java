package jp.sekisho.audit.export;

import java.io.Closeable;
import java.io.IOException;

/** Writes exported records in one format. {@link #close()} flushes (and closes the output it was given). */
public interface ExportFormat extends Closeable {

    /** Whether operator actions belong in this format (a CSV of requests has no columns for them). */
    boolean takesAdminRecords();

    void write(ExportRecord record) throws IOException;
}
