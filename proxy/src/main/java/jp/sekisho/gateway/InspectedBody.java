package jp.sekisho.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jp.sekisho.policy.files.MyNumberScanner;

/**
 * An upload passed on while it is inspected for 個人番号 (My Number). The chunk in which a
 * number completes is not passed on, nor is the end of the body after one. Nothing is
 * buffered: the scanner keeps only the digits of the number under way. The size and the
 * SHA-256 of what passed are kept for the audit record, so that auditors can tell which file
 * was sent.
 */
final class InspectedBody extends CheckedBody {

    /** What was inspected: its size, and its SHA-256 once the body was whole. */
    interface Result {
        void inspected(long bytes, String sha256);
    }

    private final MyNumberScanner scanner = new MyNumberScanner();
    private final MessageDigest digest;
    private final Result result;
    private long bytes;

    InspectedBody(ReadStream<Buffer> source, Runnable found, Result result) {
        super(source, found);
        this.result = result;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    boolean accept(Buffer chunk) {
        byte[] data = chunk.getBytes();
        scanner.feed(data, 0, data.length);
        digest.update(data);
        bytes += data.length;
        if (scanner.found() > 0) {
            result.inspected(bytes, null); // cut short: a hash of part of a file would mislead
            return false;
        }
        return true;
    }

    @Override
    boolean acceptEnd() {
        scanner.end(); // a number at the very end of the body
        boolean clean = scanner.found() == 0;
        result.inspected(bytes, clean ? HexFormat.of().formatHex(digest.digest()) : null);
        return clean;
    }
}
