package jp.sekisho.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends bytes exactly as written and reads the raw answer: for tests of what an HTTP client
 * library would have normalised away (spoofed headers, odd framing, malformed paths).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} (CRLF line ends) and reads one complete response, or until the proxy closes. */
    public static String exchange(int port, String request) throws IOException {
        return exchange(port, request, 1);
    }

    /** Reads until {@code responses} complete responses arrived, the proxy closed, or 5 s of silence. */
    public static String exchange(int port, String request, int responses) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while (completeResponses(answer.toString(StandardCharsets.ISO_8859_1)) < responses
                        && (n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // the proxy went quiet: what arrived so far is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Counts the complete responses (Content-Length or chunked framing) in a raw answer. */
    static int completeResponses(String raw) {
        int count = 0;
        int at = 0;
        while (true) {
            int headerEnd = raw.indexOf("\r\n\r\n", at);
            if (headerEnd < 0) {
                return count;
            }
            String head = raw.substring(at, headerEnd).toLowerCase(Locale.ROOT);
            int bodyStart = headerEnd + 4;
            int end;
            int cl = head.indexOf("\ncontent-length:");
            if (head.contains("\ntransfer-encoding: chunked")) {
                int last = raw.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
                if (last < 0) {
                    return count;
                }
                end = last + 7;
            } else if (cl >= 0) {
                int lineEnd = head.indexOf('\n', cl + 1);
                String value = head.substring(cl + 16, lineEnd < 0 ? head.length() : lineEnd).trim();
                end = bodyStart + Integer.parseInt(value);
                if (raw.length() < end) {
                    return count;
                }
            } else {
                end = bodyStart; // e.g. 101, 204, 304: no body
            }
            count++;
            at = end;
        }
    }

    /** The status code of the first response in a raw answer. */
    public static int status(String answer) {
        if (!answer.startsWith("HTTP/1.")) {
            throw new AssertionError("not an HTTP response: " + answer);
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** Reads a response head up to and including the blank line, byte by byte (the body stays unread). */
    public static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** What came back on a connection, and whether the proxy closed it (rather than went quiet). */
    public record Reply(String text, boolean closed) {
    }

    /** Sends raw bytes and reads until the proxy closes, resets, or stays silent for {@code quietMs}. */
    public static Reply sendUntilClosed(int port, String raw, int quietMs) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(quietMs);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
                return new Reply(out.toString(StandardCharsets.UTF_8), true);
            } catch (SocketTimeoutException e) {
                return new Reply(out.toString(StandardCharsets.UTF_8), false);
            } catch (java.net.SocketException e) {
                return new Reply(out.toString(StandardCharsets.UTF_8), true); // reset after a refusal
            }
        }
    }
}
