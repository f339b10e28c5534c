package jp.sekisho.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import jp.sekisho.tls.UpstreamTrust;

/**
 * The HTTP client the commands that talk to a running proxy share (its management and admin
 * listeners): HTTP/1.1, short timeouts, and for HTTPS the system's CAs plus, when given, the
 * municipality's private CA. Host names are verified by the JDK as usual.
 */
final class CliHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private CliHttp() {
    }

    /** @param caFile a PEM file of the CA that signed the listener's certificate, or null for the system's CAs */
    static HttpClient client(Path caFile) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (caFile != null) {
            if (!Files.isRegularFile(caFile)) {
                throw new IOException("there is no such file");
            }
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {UpstreamTrust.of(List.of(caFile))}, null);
                builder.sslContext(tls);
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("no CA certificate (PEM) could be read from it: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
