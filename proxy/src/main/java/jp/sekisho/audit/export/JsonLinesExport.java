package jp.sekisho.audit.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A JSON Lines export (ECS, OCSF): one object per request, forward-proxy (breakout) record or
 * operator action, each on its own line.
 */
abstract class JsonLinesExport implements ExportFormat {

    private final JsonLines out;

    JsonLinesExport(OutputStream out) throws IOException {
        this.out = new JsonLines(out);
    }

    /** The object for a request's record. */
    abstract ObjectNode request(ExportRecord record);

    /** The object for an operator's action. */
    abstract ObjectNode admin(ExportRecord record);

    /** The object for a forward-proxy tunnel or request. */
    abstract ObjectNode breakout(ExportRecord record);

    @Override
    public boolean takesAdminRecords() {
        return true;
    }

    @Override
    public void write(ExportRecord record) throws IOException {
        out.write(record.breakout() != null ? breakout(record)
                : record.request() != null ? request(record) : admin(record));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
