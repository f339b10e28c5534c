package jp.sekisho.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body of unannounced length (chunked, or HTTP/2 without Content-Length) passed
 * through while it stays within the listener's limit. The chunk that crosses the limit is not
 * passed on; {@code exceeded} runs once instead, and nothing more is delivered.
 */
final class BoundedBody extends BodyStream {

    private final long max;
    private final Runnable exceeded;
    private long seen;
    private boolean over;

    BoundedBody(ReadStream<Buffer> source, long max, Runnable exceeded) {
        super(source);
        this.max = max;
        this.exceeded = exceeded;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            if (over) {
                return;
            }
            seen += chunk.length();
            if (seen > max) {
                over = true;
                exceeded.run();
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (!over) {
                endHandler.handle(v);
            }
        });
        return this;
    }
}
