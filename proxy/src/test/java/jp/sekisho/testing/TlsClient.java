package jp.sekisho.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * HTTPS requests to a local listener under any host name: the connection goes to 127.0.0.1,
 * while SNI, host name verification and {@code Host} use the name given, as a browser's would.
 */
public final class TlsClient {

    /** What came back, and over what. */
    public record Answer(int status, String body, HttpVersion version, String serverSubject, String serverSerial,
                         String hsts) {
    }

    private TlsClient() {
    }

    public static Answer get(Vertx vertx, int port, String host, String path, java.nio.file.Path trustedCa,
                             HttpVersion version, String... headers) throws Exception {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true).setForceSni(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(trustedCa.toString()))
                .setProtocolVersion(version).setUseAlpn(version == HttpVersion.HTTP_2);
        HttpClient client = vertx.createHttpClient(options);
        try {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                    .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setURI(path);
            for (int i = 0; i < headers.length; i += 2) {
                request.putHeader(headers[i], headers[i + 1]);
            }
            return client.request(request).compose(r -> r.send().compose(response -> response.body().map(body -> {
                X509Certificate served;
                try {
                    served = (X509Certificate) r.connection().peerCertificates().get(0);
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    throw new IllegalStateException(e);
                }
                return new Answer(response.statusCode(), body.toString(), response.version(),
                        served.getSubjectX500Principal().getName(), served.getSerialNumber().toString(16),
                        response.getHeader("strict-transport-security"));
            }))).await(10, TimeUnit.SECONDS);
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }
}
