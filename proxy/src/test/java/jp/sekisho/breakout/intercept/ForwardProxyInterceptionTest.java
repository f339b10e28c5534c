package jp.sekisho.breakout.intercept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.ProxyTunnel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant restrictions through the running forward proxy: the login host's tunnel is opened with
 * a certificate from the interception CA and the real host receives the restriction headers;
 * every other host's tunnel carries the real host's own certificate, untouched.
 */
class ForwardProxyInterceptionTest {

    private static final String LOGIN = "login.microsoftonline.com";
    private static final String KINTONE = "city.kintone.test";

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private TestCa interceptionCa;
    private DeviceCa realCa;
    private HttpServer login;
    private HttpServer kintone;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // valid around the fixture's clock (the proxy issues leaves at its own time)
        interceptionCa = TestCa.builder("Example City Interception CA", "EC").validity(
                ProxyFixture.START.minus(java.time.Duration.ofDays(30)),
                ProxyFixture.START.plus(java.time.Duration.ofDays(3650))).build();
        realCa = DeviceCa.create("Public Web CA (test)", proxy.dir.resolve("real"));
        login = realServer(LOGIN);
        kintone = realServer(KINTONE);
        proxy.resolver = host -> {
            try {
                return Future.succeededFuture(List.of(InetAddress.getByName("127.0.0.1")));
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
        };
        proxy.start(proxy.config("""
                upstreams:
                  tls: {trustedCaFiles: [%s]}
                forwardProxy:
                  listen: {host: 127.0.0.1, port: 0}
                  interceptionCa: {certificateFile: %s, keyFile: %s}
                breakout:
                  tenantRestrictions:
                    hosts: [%s]
                    headers:
                      Restrict-Access-To-Tenants: city.example.onmicrosoft.com
                      Restrict-Access-Context: 11111111-2222-3333-4444-555555555555
                  allowlist:
                    - id: entra-login
                      domains: [%s]
                      ports: [%d]
                      category: allow
                      allowPrivate: true
                    - id: kintone
                      domains: [%s]
                      ports: [%d]
                      allowPrivate: true
                """.formatted(realCa.caCertificatePath(),
                interceptionCa.writeCertificate(proxy.dir.resolve("intercept-ca.pem")),
                interceptionCa.writePkcs8Key(proxy.dir.resolve("intercept-ca.key")), LOGIN, LOGIN, login.actualPort(),
                KINTONE, kintone.actualPort())));
    }

    /** A "real" HTTPS host on loopback whose certificate the public CA issued; it answers with the headers it got. */
    private HttpServer realServer(String host) {
        DeviceCa.Issued certificate = realCa.serverCertificate(host);
        return proxy.vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(certificate.certificatePath().toString())
                                .setKeyPath(certificate.privateKeyPath().toString())))
                .requestHandler(request -> {
                    JsonObject headers = new JsonObject().put("served-by", host);
                    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    received.add(headers);
                    request.response().putHeader("content-type", "application/json").end(headers.encode());
                })
                .listen(0, "127.0.0.1").await();
    }

    /** Opens a CONNECT tunnel and TLS inside it, trusting only {@code trusted}. */
    private SSLSocket tlsThroughTunnel(String host, int port, X509Certificate trusted) throws Exception {
        ProxyTunnel tunnel = ProxyTunnel.connect(proxy.server().forwardProxyPort(), host + ":" + port,
                "Proxy-Authorization", "Bearer " + proxy.idp.token("sato", "all-staff"));
        assertEquals(200, tunnel.status);
        SSLSocket tls = (SSLSocket) trusting(trusted).getSocketFactory().createSocket(tunnel.socket, host, port, true);
        tls.startHandshake();
        return tls;
    }

    private static String get(SSLSocket tls, String host, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET /common/oauth2/authorize?client_id=x HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        tls.getOutputStream().write(request.append("Connection: close\r\n\r\n").toString()
                .getBytes(StandardCharsets.ISO_8859_1));
        tls.getOutputStream().flush();
        return new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theLoginHostIsInterceptedAndTheRealHostReceivesTheTenantRestrictions() throws Exception {
        try (SSLSocket tls = tlsThroughTunnel(LOGIN, login.actualPort(), interceptionCa.certificate)) {
            X509Certificate seen = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertEquals(interceptionCa.certificate.getSubjectX500Principal(), seen.getIssuerX500Principal(),
                    "the terminal sees a certificate from the municipality's interception CA");
            String answer = get(tls, LOGIN, "Restrict-Access-To-Tenants", "attacker.onmicrosoft.com");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(1, received.size());
        JsonObject headers = received.get(0);
        assertEquals(LOGIN, headers.getString("served-by"), "the real login host");
        assertEquals(LOGIN + ":" + login.actualPort(), headers.getString("host"));
        assertEquals("city.example.onmicrosoft.com", headers.getString("restrict-access-to-tenants"),
                "the configured tenant, not the one the client sent");
        assertEquals("11111111-2222-3333-4444-555555555555", headers.getString("restrict-access-context"));
        List<String> records = proxy.stopAndReadAudit("breakout");
        JsonObject record = new JsonObject(records.get(records.size() - 1));
        assertEquals(true, record.getBoolean("intercepted"));
        assertEquals("entra-login", record.getString("entry"));
    }

    @Test
    void anyOtherHostIsTunnelledUntouchedWithTheRealCertificate() throws Exception {
        try (SSLSocket tls = tlsThroughTunnel(KINTONE, kintone.actualPort(), realCa.caCertificate())) {
            X509Certificate seen = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertEquals(realCa.caCertificate().getSubjectX500Principal(), seen.getIssuerX500Principal(),
                    "the real host's own certificate");
            assertTrue(get(tls, KINTONE).startsWith("HTTP/1.1 200"));
        }
        assertEquals(null, received.get(0).getString("restrict-access-to-tenants"), "no headers added elsewhere");
        List<String> records = proxy.stopAndReadAudit("breakout");
        assertEquals(null, new JsonObject(records.get(records.size() - 1)).getBoolean("intercepted"));
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
