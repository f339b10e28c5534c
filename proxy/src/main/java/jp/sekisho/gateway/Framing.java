package jp.sekisho.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * HTTP/1.1 message framing the proxy accepts (RFC 9112 §6): a body's length must be read the
 * same way by every hop, or a second request can be smuggled inside the first. Only an
 * unambiguous request is decided and forwarded; the rest are refused and their connection
 * closed.
 */
final class Framing {

    private Framing() {
    }

    /**
     * False for a request with both Content-Length and Transfer-Encoding, with several
     * Transfer-Encoding headers, or with any coding but exactly {@code chunked} (a proxy that
     * does not understand a coding cannot know where the body ends).
     */
    static boolean isUnambiguous(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return true; // HTTP/2 frames its own data; the codec refuses these headers there
        }
        MultiMap headers = request.headers();
        List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return true;
        }
        boolean chunked = codings.size() == 1 && codings.get(0).strip().equalsIgnoreCase("chunked")
                && !headers.contains(HttpHeaders.CONTENT_LENGTH) && request.version() == HttpVersion.HTTP_1_1;
        if (chunked && !codings.get(0).equals("chunked")) {
            // " CHUNKED" is chunked to the codec; the forwarding side knows only the exact token
            headers.set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
        }
        return chunked;
    }

    /** True when the client's Connection header lists {@code close} among its tokens. */
    static boolean asksToClose(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_1_1) {
            return false; // HTTP/1.0 closes unless asked otherwise, which Vert.x handles
        }
        for (String value : request.headers().getAll(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                if (token.strip().equalsIgnoreCase("close")) {
                    return true;
                }
            }
        }
        return false;
    }
}
