package jp.sekisho.breakout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestPostureService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A managed device that proves itself with its certificate on the forward proxy's TLS listener
 * may use an entry marked {@code deviceOnly} without a user token (its own updates, say); any
 * other entry still asks who the user is.
 */
class ForwardProxyDeviceOnlyTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private DeviceCa serverCa;
    private DeviceCa.Issued device;

    @BeforeEach
    void start() throws Exception {
        serverCa = DeviceCa.create("town-server", proxy.dir.resolve("pki"));
        DeviceCa deviceCa = DeviceCa.create("town-devices", proxy.dir.resolve("pki"));
        DeviceCa.Issued server = serverCa.serverCertificate("127.0.0.1");
        device = deviceCa.deviceCertificate("LG-PC-0001");
        TestPostureService posture = new TestPostureService(proxy.dir.resolve("posture"), proxy.clock);
        proxy.resolver = host -> {
            try {
                return Future.succeededFuture(List.of(InetAddress.getByName("127.0.0.1")));
            } catch (java.net.UnknownHostException e) {
                return Future.failedFuture(e);
            }
        };
        proxy.start(proxy.config(posture.settings() + """
                  certificates:
                    mode: request
                    trustAnchors: [%s]
                    deviceId: san-uri
                    sanUriPrefix: "urn:sekisho:device:"
                forwardProxy:
                  listen: {host: 127.0.0.1, port: 0, tls: {certificateFile: %s, keyFile: %s}}
                breakout:
                  allowlist:
                    - id: os-updates
                      domains: [updates.lgwan.test]
                      ports: [%d]
                      allowPrivate: true
                      deviceOnly: true
                    - id: staff-only
                      domains: [asp.lgwan.test]
                      ports: [%d]
                      allowPrivate: true
                """.formatted(deviceCa.caCertificatePath(), server.certificatePath(), server.privateKeyPath(),
                proxy.upstream.port(), proxy.upstream.port())));
    }

    /** An absolute-form GET over TLS to the forward proxy, presenting {@code certificate} (or none). */
    private int get(String url, DeviceCa.Issued certificate) throws Exception {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setProtocolVersion(HttpVersion.HTTP_1_1)
                .setTrustOptions(new PemTrustOptions().addCertPath(serverCa.caCertificatePath().toString()));
        if (certificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certificatePath().toString())
                    .setKeyPath(certificate.privateKeyPath().toString()));
        }
        HttpClient client = proxy.vertx.createHttpClient(options);
        try {
            return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                            .setPort(proxy.server().forwardProxyPort()).setURI(url))
                    .compose(r -> r.send()).map(response -> response.statusCode()).await(10, TimeUnit.SECONDS);
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeviceCertificateIsEnoughForADeviceOnlyEntry() throws Exception {
        String updates = "http://updates.lgwan.test:" + proxy.upstream.port() + "/catalog";
        assertEquals(200, get(updates, device));
        assertEquals(407, get(updates, null), "without the certificate, someone must sign in");
        assertEquals(407, get("http://asp.lgwan.test:" + proxy.upstream.port() + "/", device),
                "other entries still need the user");
        List<String> records = proxy.stopAndReadAudit("breakout");
        JsonObject allowed = new JsonObject(records.get(0));
        assertEquals("allow", allowed.getString("decision"));
        assertEquals("os-updates", allowed.getString("entry"));
        assertEquals("LG-PC-0001", allowed.getJsonObject("device").getString("id"));
        assertEquals(null, allowed.getJsonObject("user"));
    }
}
