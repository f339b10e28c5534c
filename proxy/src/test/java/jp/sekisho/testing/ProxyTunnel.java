package jp.sekisho.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A staff terminal talking to the forward proxy over a raw socket: sends one request head
 * ({@code CONNECT host:port} or an absolute-form request) and reads the proxy's answer head,
 * leaving the socket open for the tunnel.
 */
public final class ProxyTunnel implements AutoCloseable {

    public final Socket socket;
    public final int status;
    public final Map<String, String> headers;

    private ProxyTunnel(Socket socket, int status, Map<String, String> headers) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
    }

    /** {@code CONNECT authority}, with {@code headers} as name, value pairs. */
    public static ProxyTunnel connect(int proxyPort, String authority, String... headers) throws IOException {
        StringBuilder head = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        return send(proxyPort, head, headers);
    }

    /** Any request head: {@code requestLine} such as {@code GET http://intra.test/ HTTP/1.1}. */
    public static ProxyTunnel request(int proxyPort, String requestLine, String host, String... headers)
            throws IOException {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: ").append(host).append("\r\n");
        return send(proxyPort, head, headers);
    }

    private static ProxyTunnel send(int proxyPort, StringBuilder head, String... headers) throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        String answer = readHead(socket.getInputStream());
        String[] lines = answer.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new ProxyTunnel(socket, status, fields);
    }

    /** The body of a refusal (its content-length bytes). */
    public String body() throws IOException {
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the proxy closed before answering: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
