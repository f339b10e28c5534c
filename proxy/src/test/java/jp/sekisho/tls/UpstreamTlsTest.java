package jp.sekisho.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** https:// upstreams are verified (trust, host name), optionally with a client certificate; failures are 502s. */
class UpstreamTlsTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private final AtomicInteger reached = new AtomicInteger();
    private HttpServer upstream;
    private DeviceCa upstreamCa;

    @AfterEach
    void stopUpstream() throws Exception {
        if (upstream != null) {
            upstream.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** An HTTPS app server with a certificate for {@code host}, optionally demanding client certificates. */
    private int startUpstream(String host, DeviceCa clientCa) throws Exception {
        upstreamCa = DeviceCa.create("upstream", proxy.dir.resolve("upstream-pki"));
        DeviceCa.Issued certificate = upstreamCa.serverCertificate(host);
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(certificate.certificatePath().toString()).setKeyPath(certificate.privateKeyPath().toString()));
        if (clientCa != null) {
            options.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertPath(clientCa.caCertificatePath().toString()));
        }
        upstream = proxy.vertx.createHttpServer(options).requestHandler(request -> {
            reached.incrementAndGet();
            request.response().end("tls-upstream");
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return upstream.actualPort();
    }

    private void startProxy(int port, String upstreamSettings, String appExtra) throws Exception {
        proxy.start(proxy.configWithApps(upstreamSettings, """
                  - id: saas
                    hosts: [127.0.0.1]
                    pathPrefixes: [/saas]
                    upstream: https://127.0.0.1:%d
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                %s""".formatted(port, appExtra)));
    }

    private ProxyFixture.Response saas() throws Exception {
        return proxy.get("127.0.0.1", "/saas/", "Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka"));
    }

    @Test
    void anUpstreamFromAnUntrustedCaIsNeverSentTheRequest() throws Exception {
        startProxy(startUpstream("127.0.0.1", null), "", "");
        ProxyFixture.Response response = saas();
        assertEquals(502, response.status());
        assertEquals("upstream-tls-failed", new JsonObject(response.body()).getString("error"));
        assertEquals(0, reached.get());
    }

    @Test
    void theMunicipalCaAddedToTheSystemTrustIsTrusted() throws Exception {
        int port = startUpstream("127.0.0.1", null);
        startProxy(port, "upstreams: {tls: {trustedCaFiles: [%s]}}".formatted(upstreamCa.caCertificatePath()), "");
        ProxyFixture.Response response = saas();
        assertEquals(200, response.status(), response.body());
        assertEquals("tls-upstream", response.body());
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenFromATrustedCa() throws Exception {
        int port = startUpstream("other.example.lg.jp", null);
        startProxy(port, "upstreams: {tls: {trustedCaFiles: [%s]}}".formatted(upstreamCa.caCertificatePath()), "");
        ProxyFixture.Response response = saas();
        assertEquals(502, response.status());
        assertEquals("upstream-tls-failed", new JsonObject(response.body()).getString("error"));
        assertEquals(0, reached.get());
    }

    @Test
    void theEscapeHatchWorksOnlyWhereSetAndIsCounted() throws Exception {
        startProxy(startUpstream("other.example.lg.jp", null), "", "    upstreamTls: {insecureSkipVerify: true}\n");
        assertEquals(200, saas().status());
        assertTrue(proxy.management("/metrics").body().contains("sekisho_upstream_tls_unverified_apps 1.0"));
    }

    @Test
    void aClientCertificateIsPresentedToUpstreamsThatRequireOne() throws Exception {
        DeviceCa proxyIdentity = DeviceCa.create("proxy-identity", proxy.dir.resolve("proxy-pki"));
        DeviceCa.Issued client = proxyIdentity.deviceCertificate("sekisho-proxy");
        int port = startUpstream("127.0.0.1", proxyIdentity);
        startProxy(port, """
                upstreams:
                  tls:
                    trustedCaFiles: [%s]
                    clientCertificate: {certificateFile: %s, keyFile: %s}
                """.formatted(upstreamCa.caCertificatePath(), client.certificatePath(), client.privateKeyPath()), "");
        assertEquals(200, saas().status());
        assertTrue(proxy.management("/metrics").body().contains(
                "sekisho_tls_certificate_expiry_timestamp_seconds{certificate=\"0\",purpose=\"upstream-client\"}"));
    }

    @Test
    void withoutTheClientCertificateSuchAnUpstreamRefusesAndTheUserGetsA502() throws Exception {
        DeviceCa proxyIdentity = DeviceCa.create("proxy-identity", proxy.dir.resolve("proxy-pki"));
        int port = startUpstream("127.0.0.1", proxyIdentity);
        startProxy(port, "upstreams: {tls: {trustedCaFiles: [%s]}}".formatted(upstreamCa.caCertificatePath()), "");
        ProxyFixture.Response response = saas();
        assertEquals(502, response.status());
        assertEquals(0, reached.get());
    }
}
