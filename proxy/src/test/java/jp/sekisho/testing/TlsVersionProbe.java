package jp.sekisho.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tries one TLS handshake with one protocol version, in a JVM of its own whose security
 * policy still allows old versions: the JDK would otherwise refuse to even offer TLS 1.1, and
 * the test would prove nothing about the server. Prints the negotiated protocol, or "refused".
 */
public final class TlsVersionProbe {

    private TlsVersionProbe() {
    }

    public static void main(String[] args) throws Exception {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                Integer.parseInt(args[0]))) {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[] {args[1]});
            if (args.length > 2) {
                socket.setEnabledCipherSuites(new String[] {args[2]});
            }
            socket.startHandshake();
            System.out.println(socket.getSession().getProtocol());
        } catch (IOException e) {
            System.out.println("refused");
        }
    }

    /** Runs the probe against {@code port} offering only {@code protocol}; returns what it printed. */
    public static String handshake(int port, String protocol, Path dir) throws Exception {
        return handshake(port, protocol, null, dir);
    }

    /** As {@link #handshake(int, String, Path)}, offering only {@code cipherSuite} when not null. */
    public static String handshake(int port, String protocol, String cipherSuite, Path dir) throws Exception {
        Path security = dir.resolve("old-protocols-allowed.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
                TlsVersionProbe.class.getName(), Integer.toString(port), protocol));
        if (cipherSuite != null) {
            command.add(cipherSuite);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the TLS probe did not finish");
        }
        String out = new String(process.getInputStream().readAllBytes()).trim();
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
