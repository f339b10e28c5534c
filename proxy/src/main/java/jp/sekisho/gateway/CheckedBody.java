package jp.sekisho.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body passed on chunk by chunk while a check holds. The chunk (or end) on which
 * the check fails is not passed on; {@code failed} runs once instead, and nothing more is
 * delivered, so the upstream never receives the body whole.
 */
abstract class CheckedBody extends BodyStream {

    private final Runnable failed;
    private boolean stopped;

    CheckedBody(ReadStream<Buffer> source, Runnable failed) {
        super(source);
        this.failed = failed;
    }

    /** False when {@code chunk} breaks the check. */
    abstract boolean accept(Buffer chunk);

    /** False when the body, now complete, breaks the check. */
    boolean acceptEnd() {
        return true;
    }

    @Override
    public final ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            if (stopped) {
                return;
            }
            if (!accept(chunk)) {
                stop();
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public final ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (stopped) {
                return;
            }
            if (!acceptEnd()) {
                stop();
                return;
            }
            endHandler.handle(v);
        });
        return this;
    }

    private void stop() {
        stopped = true;
        failed.run();
    }
}
