package jp.sekisho.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body of unannounced length (chunked, or HTTP/2 without Content-Length) passed
 * through while it stays within the limit; the chunk that crosses it is not passed on.
 */
final class BoundedBody extends CheckedBody {

    private final long max;
    private long seen;

    BoundedBody(ReadStream<Buffer> source, long max, Runnable exceeded) {
        super(source, exceeded);
        this.max = max;
    }

    @Override
    boolean accept(Buffer chunk) {
        seen += chunk.length();
        return seen <= max;
    }
}
