package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;

/**
 * An HTTP/2 request without Content-Length may or may not have a body: only the stream's end
 * tells, and a paused request does not show its end. An HTTP/1.1 upstream needs to know before
 * the head is written (no body, or chunked), so once the request is allowed the first event
 * is read: the end means no body, a chunk means a chunked body that starts with it.
 */
final class UnannouncedBody {

    private UnannouncedBody() {
    }

    /** True for a request whose body framing is known only once its first event is read. */
    static boolean applies(HttpServerRequest request) {
        return request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !request.isEnded()
                && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null;
    }

    /** Reads the first event, then gives {@code proxyRequest} the body framing it shows. */
    static Future<Void> settle(HttpServerRequest request, ProxyRequest proxyRequest) {
        Promise<Void> settled = Promise.promise();
        Body body = proxyRequest.getBody();
        request.exceptionHandler(settled::tryFail);
        request.endHandler(v -> {
            proxyRequest.setBody(null); // the stream ended with its headers: no body at all
            settled.tryComplete();
        });
        request.handler(first -> {
            request.pause();
            request.handler(null).endHandler(null).exceptionHandler(null);
            request.headers().set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
            proxyRequest.setBody(Body.body(new StartingWith(first, body.stream()), -1));
            settled.tryComplete();
        });
        request.fetch(1);
        return settled.future();
    }

    /** A stream that first gives one chunk already read, then everything else from its source. */
    private static final class StartingWith extends BodyStream {
        private Buffer first;
        private Handler<Buffer> handler;

        StartingWith(Buffer first, ReadStream<Buffer> source) {
            super(source);
            this.first = first;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return super.handler(handler);
        }

        @Override
        public ReadStream<Buffer> resume() {
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            if (first != null && handler != null && amount > 0) {
                Buffer chunk = first;
                first = null;
                handler.handle(chunk);
                amount = amount == Long.MAX_VALUE ? amount : amount - 1;
            }
            if (amount == Long.MAX_VALUE) {
                source.resume();
            } else if (amount > 0) {
                source.fetch(amount);
            }
            return this;
        }
    }
}
