package jp.sekisho.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Encodes records into the bodies the chain links: one JSON object each, UTF-8, without the
 * newline (the chain adds it). Reuses one buffer, so it belongs to one thread: the audit writer.
 */
final class RecordEncoder {

    private final AccessRecordJson json;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    RecordEncoder(AccessRecordJson json) {
        this.json = json;
    }

    byte[] encode(AuditEntry entry) throws IOException {
        buffer.reset();
        json.write(entry, buffer);
        byte[] line = buffer.toByteArray();
        return Arrays.copyOf(line, line.length - 1);
    }
}
