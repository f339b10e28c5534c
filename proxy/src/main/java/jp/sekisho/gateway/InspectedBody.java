package jp.sekisho.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jp.sekisho.policy.files.MyNumberScanner;

/**
 * An upload passed on while it is inspected for 個人番号 (My Number). The chunk in which a
 * number completes is not passed on, nor is the end of the body after one: {@code found} runs
 * once instead, so the upstream never receives a whole request that carries one. Nothing is
 * buffered: the scanner keeps only the digits of the number under way.
 */
final class InspectedBody extends BodyStream {

    private final MyNumberScanner scanner = new MyNumberScanner();
    private final Runnable found;
    private boolean stopped;

    InspectedBody(ReadStream<Buffer> source, Runnable found) {
        super(source);
        this.found = found;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            if (stopped) {
                return;
            }
            byte[] bytes = chunk.getBytes();
            scanner.feed(bytes, 0, bytes.length);
            if (scanner.found() > 0) {
                stop();
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : v -> {
            if (stopped) {
                return;
            }
            scanner.end(); // a number at the very end of the body
            if (scanner.found() > 0) {
                stop();
                return;
            }
            endHandler.handle(v);
        });
        return this;
    }

    private void stop() {
        stopped = true;
        found.run();
    }
}
