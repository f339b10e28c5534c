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
     * does not understand a coding cannot know where the body ends). For HTTP/2: false for a
     * malformed field, and for a request without {@code :authority} (or one Vert.x could not
     * parse, and replaced by a {@code Host} field).
     */
    static boolean isUnambiguous(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2 frames its own data, and the codec refuses connection-specific fields; but it
            // lets through fields that an HTTP/1.1 upstream would read as more than one line.
            return fieldsWellFormed(request.headers()) && request.authority(true) != null;
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

    /**
     * RFC 9113 §8.2.1: a name must be a lower-case token, and a value must hold no NUL, CR or LF
     * and not start or end with a space or tab. HPACK can carry any byte, and a CR LF followed
     * by a space (obs-fold) would otherwise reach an HTTP/1.1 upstream as a line of its own.
     */
    static boolean fieldsWellFormed(MultiMap headers) {
        for (java.util.Map.Entry<String, String> field : headers) {
            if (!isLowerCaseToken(field.getKey()) || !isFieldValue(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerCaseToken(String name) {
        int start = name.startsWith(":") ? 1 : 0; // a pseudo-header, where the codec shows them
        if (name.length() == start) {
            return false;
        }
        for (int i = start; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldValue(String value) {
        int last = value.length() - 1;
        if (last >= 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(last)))) {
            return false;
        }
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
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
