package jp.sekisho.audit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where a syslog sink sends: a host and port, over plain TCP or TLS. With TLS the receiver's
 * certificate is checked against the given CAs (or the JVM's trust store) and must name the
 * host (RFC 5425 §5.2: host name checks as for HTTPS).
 *
 * @param tls null for plain TCP
 */
public record SyslogReceiver(String host, int port, SSLSocketFactory tls) {

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** TLS trusting the CA certificates in the PEM file {@code caFile}, or the JVM's trust store when null. */
    public static SSLSocketFactory trusting(Path caFile) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                try (InputStream in = Files.newInputStream(caFile)) {
                    int i = 0;
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        anchors.setCertificateEntry("ca-" + i++, certificate);
                    }
                }
                if (anchors.size() == 0) {
                    throw new IOException("no certificate in " + caFile);
                }
                trust.init(anchors);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to the syslog receiver: " + e.getMessage(), e);
        }
    }

    /** A connected socket, the TLS handshake done. Blocking. */
    Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            if (tls == null) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(CONNECT_TIMEOUT_MS);
            secure.startHandshake();
            secure.setSoTimeout(0);
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return (tls == null ? "tcp://" : "tls://") + host + ":" + port;
    }
}
