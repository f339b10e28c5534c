package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.ParentProxy;

/**
 * Opens a tunnel through the parent proxy (the prefecture's security cloud): connects to it,
 * asks {@code CONNECT host:port}, and hands over the socket once it answers 2xx. The client's
 * credentials are Sekisho's business and are never passed on.
 */
final class ParentConnector {

    /** A tunnel through the parent, and whatever the destination already sent after the parent's answer. */
    record Connected(NetSocket socket, Buffer early) {
    }

    /** The parent answered, but not with a tunnel. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final NetClient client;
    private final Duration timeout;

    ParentConnector(Vertx vertx, NetClient client, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.timeout = timeout;
    }

    Future<Connected> connect(ParentProxy parent, Destination destination) {
        return client.connect(parent.port(), parent.host()).compose(socket -> ask(socket, destination));
    }

    private Future<Connected> ask(NetSocket socket, Destination destination) {
        Promise<Connected> answered = Promise.promise();
        Buffer answer = Buffer.buffer();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (answered.tryFail(new Refused("the parent proxy did not answer in time"))) {
                socket.close();
            }
        });
        socket.handler(data -> {
            answer.appendBuffer(data);
            int end = headEnd(answer);
            if (end < 0) {
                if (answer.length() > MAX_ANSWER_BYTES && answered.tryFail(new Refused("the parent's answer is too long"))) {
                    socket.close();
                }
                return;
            }
            socket.pause();
            socket.handler(null);
            vertx.cancelTimer(timer);
            String statusLine = answer.getString(0, Math.max(0, answer.toString(StandardCharsets.ISO_8859_1).indexOf('\r')),
                    "ISO-8859-1");
            if (statusLine.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
                answered.tryComplete(new Connected(socket, answer.getBuffer(end, answer.length())));
            } else {
                socket.close();
                answered.tryFail(new Refused("the parent proxy answered " + printable(statusLine)));
            }
        });
        socket.exceptionHandler(e -> answered.tryFail(e));
        socket.closeHandler(v -> answered.tryFail(new Refused("the parent proxy closed the connection")));
        String authority = destination.authority();
        socket.write("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        return answered.future();
    }

    /** The index just after the blank line that ends the answer's head, or -1. */
    private static int headEnd(Buffer buffer) {
        for (int i = 3; i < buffer.length(); i++) {
            if (buffer.getByte(i) == '\n' && buffer.getByte(i - 1) == '\r' && buffer.getByte(i - 2) == '\n'
                    && buffer.getByte(i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static String printable(String line) {
        String shown = line.length() > 80 ? line.substring(0, 80) : line;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
