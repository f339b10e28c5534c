package jp.sekisho.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTP/2 client that writes every frame by hand, over TLS with ALPN "h2": for tests of what
 * a client library would never send (uppercase names, CR/LF in values, duplicate pseudo-headers,
 * floods). Requests are HPACK-encoded as literals only, so any byte can be put in a name or
 * value; responses are decoded with Netty's HPACK decoder.
 *
 * <p>A reader thread records every frame the server sends, answers its SETTINGS and PINGs, and
 * gives back connection-level flow-control credit, so a test never stalls on those; tests then
 * wait for what they expect with a deadline ({@link #reply}, {@link #await}), never by sleeping.
 */
public final class RawH2 implements AutoCloseable {

    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;
    /** A frame type no server sends: the reader's mark that the connection ended. */
    public static final int CLOSED = -1;

    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    public static final int SETTINGS_ENABLE_PUSH = 0x2;
    public static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    /** The largest frame payload a server must accept before it says otherwise (RFC 9113 §4.2). */
    public static final int MAX_FRAME = 16_384;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame from the server; HEADERS carries its whole block (CONTINUATIONs folded in), decoded. */
    public record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        /** The error code of a RST_STREAM or GOAWAY. */
        public long errorCode() {
            return ByteBuffer.wrap(payload, type == GOAWAY ? 4 : 0, 4).getInt() & 0xFFFFFFFFL;
        }

        /** The last stream a GOAWAY says the server processed. */
        public int lastStreamId() {
            return ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7FFFFFFF;
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /**
     * How a stream ended for the client: {@code status}, {@code rst}, {@code goaway} (code is the
     * error code), {@code closed} (the connection ended without either) or {@code timeout}.
     */
    public record Reply(String kind, long code, Http2Headers headers, String body) {
        @Override
        public String toString() {
            return switch (kind) {
                case "status" -> "status " + code;
                case "rst" -> "RST_STREAM " + errorName(code);
                case "goaway" -> "GOAWAY " + errorName(code);
                default -> kind;
            };
        }

        /** Refused as malformed: 400, or a PROTOCOL_ERROR on the stream or the connection. */
        public boolean malformedRefusal() {
            return (kind.equals("status") && code == 400)
                    || ((kind.equals("rst") || kind.equals("goaway")) && code == Http2Error.PROTOCOL_ERROR.code());
        }
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private final List<Frame> frames = new ArrayList<>();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private final Thread reader;
    private final Object writeLock = new Object();
    /** The reader's own answers (ACKs, credit) go out from here, so reading never waits on writing. */
    private final java.util.concurrent.ExecutorService answers = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "raw-h2-answers");
                t.setDaemon(true);
                return t;
            });

    private RawH2(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
    }

    /**
     * Connects to 127.0.0.1:{@code port} asking for {@code host} (SNI, certificate check against
     * {@code caPem}), negotiates h2, sends the preface and SETTINGS ({@code settings} as id, value
     * pairs, push always off) and returns once the server's SETTINGS were received and acknowledged.
     */
    public static RawH2 connect(int port, String host, Path caPem, long... settings) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(0); // the reader blocks; every wait has its own deadline instead
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new AssertionError("the server did not choose h2 but '" + socket.getApplicationProtocol() + "'");
        }
        RawH2 h2 = new RawH2(socket);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        setting(payload, SETTINGS_ENABLE_PUSH, 0);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            setting(payload, (int) settings[i], settings[i + 1]);
        }
        h2.send(PREFACE, frame(SETTINGS, 0, 0, payload.toByteArray()));
        h2.reader.start();
        if (h2.await(f -> f.type() == SETTINGS && !f.has(ACK), Duration.ofSeconds(5)) == null) {
            h2.close();
            throw new AssertionError("no SETTINGS from the server: " + h2.describeFrames());
        }
        return h2;
    }

    private static void setting(ByteArrayOutputStream out, int id, long value) {
        out.write(id >>> 8);
        out.write(id);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    // ---- writing ----

    /** Writes the frames in one go (one TLS write), so the server reads them as one burst. */
    public void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        synchronized (writeLock) {
            out.write(all.toByteArray());
            out.flush();
        }
    }

    private void answer(byte[] frame) {
        answers.execute(() -> trySend(frame));
    }

    /** Like {@link #send} but reports a connection the server already ended as false, not an exception. */
    public boolean trySend(byte[]... frames) {
        try {
            send(frames);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a request's header block in one HEADERS frame: {@code fields} are name, value pairs, sent as given. */
    public void request(int stream, boolean endStream, String... fields) throws IOException {
        send(headers(stream, endStream, true, block(fields)));
    }

    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        ByteBuffer.wrap(f, 5, 4).putInt(stream & 0x7FFFFFFF);
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    public static byte[] headers(int stream, boolean endStream, boolean endHeaders, byte[] block) {
        return frame(HEADERS, (endStream ? END_STREAM : 0) | (endHeaders ? END_HEADERS : 0), stream, block);
    }

    public static byte[] continuation(int stream, boolean endHeaders, byte[] fragment) {
        return frame(CONTINUATION, endHeaders ? END_HEADERS : 0, stream, fragment);
    }

    public static byte[] data(int stream, boolean endStream, byte[] bytes) {
        return frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    public static byte[] rstStream(int stream, Http2Error error) {
        return frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt((int) error.code()).array());
    }

    public static byte[] windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(increment).array());
    }

    public static byte[] ping(long opaque) {
        return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(opaque).array());
    }

    /**
     * An HPACK header block of "literal header field without indexing, new name" entries (RFC 7541
     * §6.2.2), no Huffman: every name and value byte goes on the wire exactly as given (ISO-8859-1),
     * and nothing enters the server's dynamic table.
     */
    public static byte[] block(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            out.write(0x00);
            string(out, fields[i]);
            string(out, fields[i + 1]);
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** An HPACK integer with a 7-bit prefix (RFC 7541 §5.1); the H bit stays 0: no Huffman. */
    private static void integer(ByteArrayOutputStream out, int value) {
        if (value < 127) {
            out.write(value);
            return;
        }
        out.write(127);
        value -= 127;
        while (value >= 128) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    // ---- reading ----

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] head = new byte[9];
            ByteArrayOutputStream pendingBlock = null;
            int pendingFlags = 0;
            while (true) {
                in.readFully(head);
                int length = (head[0] & 0xFF) << 16 | (head[1] & 0xFF) << 8 | (head[2] & 0xFF);
                int type = head[3] & 0xFF;
                int flags = head[4] & 0xFF;
                int stream = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7FFFFFFF;
                byte[] payload = new byte[length];
                in.readFully(payload);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            trySend(frame(SETTINGS, ACK, 0, new byte[0])); // written before it is recorded: see connect
                        }
                        record(new Frame(type, flags, stream, payload, null));
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            answer(frame(PING, ACK, 0, payload));
                        }
                        record(new Frame(type, flags, stream, payload, null));
                    }
                    case DATA -> {
                        if (length > 0) {
                            answer(windowUpdate(0, length)); // connection credit only; streams keep their own
                        }
                        record(new Frame(type, flags, stream, payload, null));
                    }
                    case HEADERS -> {
                        pendingBlock = new ByteArrayOutputStream();
                        pendingBlock.write(fragment(payload, flags));
                        pendingFlags = flags;
                        if ((flags & END_HEADERS) != 0) {
                            record(new Frame(type, flags, stream, payload, decode(stream, pendingBlock)));
                            pendingBlock = null;
                        }
                    }
                    case CONTINUATION -> {
                        if (pendingBlock != null) {
                            pendingBlock.write(payload);
                            if ((flags & END_HEADERS) != 0) {
                                record(new Frame(HEADERS, pendingFlags | END_HEADERS, stream, payload,
                                        decode(stream, pendingBlock)));
                                pendingBlock = null;
                            }
                        }
                    }
                    default -> record(new Frame(type, flags, stream, payload, null));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the server closed or reset the connection (or this side did): recorded below
        } finally {
            record(new Frame(CLOSED, 0, 0, new byte[0], null));
        }
    }

    /** A HEADERS payload without its padding and priority fields. */
    private static byte[] fragment(byte[] payload, int flags) {
        int start = 0;
        int end = payload.length;
        if ((flags & PADDED) != 0) {
            end -= payload[0] & 0xFF;
            start = 1;
        }
        if ((flags & PRIORITY) != 0) {
            start += 5;
        }
        return java.util.Arrays.copyOfRange(payload, start, end);
    }

    private Http2Headers decode(int stream, ByteArrayOutputStream block) {
        try {
            return decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(block.toByteArray()));
        } catch (Http2Exception e) {
            throw new IllegalStateException("undecodable response headers on stream " + stream, e);
        }
    }

    private synchronized void record(Frame frame) {
        frames.add(frame);
        notifyAll();
    }

    /** Every frame received so far. */
    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** The first frame received (so far or within {@code timeout}) that matches, or null. */
    public synchronized Frame await(Predicate<Frame> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < frames.size(); seen++) {
                if (match.test(frames.get(seen))) {
                    return frames.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** True once the connection has ended (GOAWAY or not), false if it is still open at the deadline. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return await(f -> f.type() == CLOSED, timeout) != null;
    }

    /** The first GOAWAY, or the end of the connection, within {@code timeout}; null when neither came. */
    public Frame awaitGoAwayOrClose(Duration timeout) throws InterruptedException {
        return await(f -> f.type() == GOAWAY || f.type() == CLOSED, timeout);
    }

    /**
     * What became of {@code stream}: its final status and body (read to END_STREAM), a RST_STREAM,
     * a GOAWAY that left it unprocessed, the connection's end, or a timeout.
     */
    public Reply reply(int stream, Duration timeout) throws InterruptedException {
        return reply(stream, timeout, true);
    }

    /** Like {@link #reply} but returns at the final HEADERS, without waiting for the body. */
    public Reply head(int stream, Duration timeout) throws InterruptedException {
        return reply(stream, timeout, false);
    }

    private Reply reply(int stream, Duration timeout, boolean readBody) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Frame first = await(f -> (f.stream() == stream && f.type() == RST_STREAM)
                || (f.stream() == stream && f.type() == HEADERS && isFinal(f.headers()))
                || (f.type() == GOAWAY && f.lastStreamId() < stream) || f.type() == CLOSED, timeout);
        if (first == null) {
            return new Reply("timeout", 0, null, null);
        }
        switch (first.type()) {
            case RST_STREAM:
                return new Reply("rst", first.errorCode(), null, null);
            case GOAWAY:
                return new Reply("goaway", first.errorCode(), null, null);
            case CLOSED: {
                Frame goAway = await(f -> f.type() == GOAWAY, Duration.ZERO);
                return goAway != null ? new Reply("goaway", goAway.errorCode(), null, null)
                        : new Reply("closed", 0, null, null);
            }
            default:
                break;
        }
        Http2Headers headers = first.headers();
        int status = Integer.parseInt(headers.status().toString());
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!readBody) {
            return new Reply("status", status, headers, null);
        }
        if (!first.has(END_STREAM)) {
            await(f -> f.stream() == stream && (f.has(END_STREAM) && (f.type() == DATA || f.type() == HEADERS)
                    || f.type() == RST_STREAM) || f.type() == CLOSED, left);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Frame f : frames()) {
            if (f.stream() == stream && f.type() == DATA) {
                body.writeBytes(dataOf(f));
            }
        }
        return new Reply("status", status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static boolean isFinal(Http2Headers headers) {
        return headers != null && headers.status() != null && headers.status().charAt(0) != '1';
    }

    private static byte[] dataOf(Frame f) {
        if (!f.has(PADDED)) {
            return f.payload();
        }
        return java.util.Arrays.copyOfRange(f.payload(), 1, f.payload().length - (f.payload()[0] & 0xFF));
    }

    /** The frames received, one short line each: for assertion messages. */
    public String describeFrames() {
        StringBuilder s = new StringBuilder();
        for (Frame f : frames()) {
            s.append(switch (f.type()) {
                case HEADERS -> "HEADERS(" + f.stream() + ") " + (f.headers() == null ? "" : f.headers().status());
                case DATA -> "DATA(" + f.stream() + ") " + f.payload().length + "B";
                case RST_STREAM -> "RST_STREAM(" + f.stream() + ") " + errorName(f.errorCode());
                case GOAWAY -> "GOAWAY last=" + f.lastStreamId() + " " + errorName(f.errorCode());
                case CLOSED -> "CLOSED";
                default -> "type " + f.type() + " flags " + f.flags() + " stream " + f.stream();
            }).append("; ");
        }
        return s.toString();
    }

    static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error == null ? "0x" + Long.toHexString(code) : error.name();
    }

    @Override
    public void close() throws IOException {
        answers.shutdownNow();
        socket.close();
    }
}
