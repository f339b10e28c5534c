package jp.sekisho.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jp.sekisho.policy.files.MyNumberScanner;

/**
 * An upload passed on while it is inspected for 個人番号 (My Number). The chunk in which a
 * number completes is not passed on, nor is the end of the body after one. Nothing is
 * buffered: the scanner keeps only the digits of the number under way.
 */
final class InspectedBody extends CheckedBody {

    private final MyNumberScanner scanner = new MyNumberScanner();

    InspectedBody(ReadStream<Buffer> source, Runnable found) {
        super(source, found);
    }

    @Override
    boolean accept(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        scanner.feed(bytes, 0, bytes.length);
        return scanner.found() == 0;
    }

    @Override
    boolean acceptEnd() {
        scanner.end(); // a number at the very end of the body
        return scanner.found() == 0;
    }
}
