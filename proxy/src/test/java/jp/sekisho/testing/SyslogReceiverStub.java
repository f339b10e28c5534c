package jp.sekisho.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A syslog receiver on a TCP port (optionally TLS) that parses octet-counted frames
 * (RFC 6587 §3.4.1) and keeps every message. It can stop and start again on the same port.
 */
public final class SyslogReceiverStub implements AutoCloseable {

    /** One message as received. */
    public record Message(String text) {

        private static final Pattern HEAD = Pattern.compile(
                "^<(\\d{1,3})>1 (\\S+) (\\S+) sekisho - (\\S+) \\[sekisho@32473 seq=\"(\\d+)\"(?:[^\\\\\\]]|\\\\.)*\\] \uFEFF");

        private Matcher head() {
            Matcher m = HEAD.matcher(text);
            if (!m.lookingAt()) {
                throw new AssertionError("not an RFC 5424 message from Sekisho: " + text);
            }
            return m;
        }

        public int pri() {
            return Integer.parseInt(head().group(1));
        }

        public String timestamp() {
            return head().group(2);
        }

        public String hostname() {
            return head().group(3);
        }

        public String msgId() {
            return head().group(4);
        }

        public long seq() {
            return Long.parseLong(head().group(5));
        }

        /** The MSG: the audit record's JSON line. */
        public String json() {
            return text.substring(head().end());
        }
    }

    private final int port;
    private final SSLContext tls;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private SyslogReceiverStub(int port, SSLContext tls) {
        this.port = port;
        this.tls = tls;
    }

    /** A plain TCP receiver on a free port, not yet listening. */
    public static SyslogReceiverStub plain() throws IOException {
        return new SyslogReceiverStub(freePort(), null);
    }

    /** A TLS receiver on a free port presenting {@code certificate}, not yet listening. */
    public static SyslogReceiverStub tls(DeviceCa.Issued certificate) throws Exception {
        String pem = Files.readString(certificate.privateKeyPath(), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance(certificate.certificate().getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], new Certificate[] {certificate.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return new SyslogReceiverStub(freePort(), context);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Starts listening (again) on its port. */
    public SyslogReceiverStub start() throws IOException {
        ServerSocket socket = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = socket;
        Thread accept = new Thread(() -> accept(socket), "syslog-receiver-accept");
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    /** Stops listening and drops every connection. */
    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket connection : connections) {
            connection.close();
        }
        connections.clear();
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<Long> seqs() {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.seq()));
        return seqs;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread reader = new Thread(() -> read(connection), "syslog-receiver-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    /** Reads {@code LEN SP MSG} frames until the connection ends. */
    private void read(Socket connection) {
        try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ' ') {
                    if (c < 0) {
                        return;
                    }
                    if (c < '0' || c > '9') {
                        throw new AssertionError("not an octet count: " + (char) c);
                    }
                    length = length * 10 + (c - '0');
                }
                byte[] frame = in.readNBytes(length);
                if (frame.length < length) {
                    return; // cut short
                }
                messages.add(new Message(new String(frame, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            // the sink went away or the test stopped this receiver
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
