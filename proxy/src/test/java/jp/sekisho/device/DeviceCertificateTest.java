package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestPostureService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Device certificates over mutual TLS on the staff listener: checked against the device CA
 * and its CRL in the handshake, named by their SAN URI, and bound to posture tokens.
 */
class DeviceCertificateTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private DeviceCa serverCa;
    private DeviceCa deviceCa;
    private DeviceCa.Issued device;
    private DeviceCa.Issued revoked;
    private TestPostureService posture;

    private void start(String mode) throws Exception {
        serverCa = DeviceCa.create("town-server", proxy.dir.resolve("pki"));
        deviceCa = DeviceCa.create("town-devices", proxy.dir.resolve("pki"));
        DeviceCa.Issued server = serverCa.serverCertificate("127.0.0.1", "localhost");
        device = deviceCa.deviceCertificate("LG-PC-0001");
        revoked = deviceCa.deviceCertificate("LG-PC-0666");
        deviceCa.revoke(revoked.certificate());
        posture = new TestPostureService(proxy.dir.resolve("posture"), proxy.clock);
        String settings = posture.settings() + """
                  certificates:
                    mode: %s
                    trustAnchors: [%s]
                    crls: [%s]
                    deviceId: san-uri
                    sanUriPrefix: "urn:sekisho:device:"
                """.formatted(mode, deviceCa.caCertificatePath(), deviceCa.writeCrl());
        String yaml = proxy.configWithApps(settings, """
                  - id: kikan
                    name: 基幹系 (端末証明書必須)
                    hosts: [127.0.0.1]
                    pathPrefixes: [/kikan]
                    upstream: %s
                    allow:
                      - id: staff
                        groups: [shimin-ka]
                    posture:
                      certificate: true
                """.formatted(proxy.upstream.url()))
                .replace("listen: {host: 127.0.0.1, port: 0}", "listen: {host: 127.0.0.1, port: 0, tls: {certificateFile: "
                        + server.certificatePath() + ", keyFile: " + server.privateKeyPath() + "}}");
        proxy.start(yaml);
    }

    /** One HTTPS request to the proxy, presenting {@code certificate} (or none). */
    private ProxyFixture.Response get(String path, DeviceCa.Issued certificate, String... headers) throws Exception {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setProtocolVersion(HttpVersion.HTTP_1_1)
                .setTrustOptions(new PemTrustOptions().addCertPath(serverCa.caCertificatePath().toString()));
        if (certificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certificatePath().toString())
                    .setKeyPath(certificate.privateKeyPath().toString()));
        }
        HttpClient client = proxy.vertx.createHttpClient(options);
        try {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                    .setPort(proxy.port()).setURI(path)
                    .putHeader("Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka"));
            for (int i = 0; i < headers.length; i += 2) {
                request.putHeader(headers[i], headers[i + 1]);
            }
            return client.request(request).compose(r -> r.send())
                    .compose(response -> response.body().map(body -> new ProxyFixture.Response(response.statusCode(),
                            java.util.Map.of(), body.toString())))
                    .await(10, TimeUnit.SECONDS);
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void certificateFromTheDeviceCaIsAcceptedAndNamesTheDevice() throws Exception {
        start("request");
        assertEquals(200, get("/kikan/", device).status());
        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        assertEquals("LG-PC-0001", record.getJsonObject("device").getString("id"));
        assertEquals(List.of("certificate"), record.getJsonObject("device").getJsonArray("evidence").getList());
        assertEquals("passed", record.getJsonObject("device").getString("posture"));
    }

    @Test
    void certificateFromAnotherCaIsNeverTakenForADevice() throws Exception {
        start("request");
        DeviceCa.Issued stranger = DeviceCa.create("elsewhere", proxy.dir.resolve("pki-other"))
                .deviceCertificate("LG-PC-0001");
        // A well-behaved client offers only certificates from the CAs the server names: none here.
        ProxyFixture.Response response = get("/kikan/", stranger);
        assertEquals(403, response.status());
        assertEquals("device-certificate-required", new JsonObject(response.body()).getString("error"));
        // A client that pushes it anyway fails the handshake.
        assertEquals("", rawGetPresentingAnyway(stranger), "no HTTP answer over a refused handshake");
        assertEquals(List.of(), proxy.upstream.received());
        assertTrue(rawGetPresentingAnyway(device).startsWith("HTTP/1.1 200"), "the same client with a device certificate");
    }

    /**
     * A GET over a TLS socket whose key manager presents {@code certificate} whatever CAs the
     * server asks for; returns what came back, empty when the server refused the handshake.
     */
    private String rawGetPresentingAnyway(DeviceCa.Issued certificate) throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        String pem = java.nio.file.Files.readString(certificate.privateKeyPath()).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
        keys.setKeyEntry("device", key, new char[0], new java.security.cert.Certificate[] {certificate.certificate()});
        javax.net.ssl.X509ExtendedKeyManager pushy = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String type, java.security.Principal[] issuers) {
                return new String[] {"device"};
            }

            @Override
            public String chooseClientAlias(String[] type, java.security.Principal[] issuers, java.net.Socket s) {
                return "device";
            }

            @Override
            public String[] getServerAliases(String type, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String type, java.security.Principal[] issuers, java.net.Socket s) {
                return null;
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                return new java.security.cert.X509Certificate[] {certificate.certificate()};
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", serverCa.caCertificate());
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trust);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(new javax.net.ssl.KeyManager[] {pushy}, trustManagers.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(("GET /kikan/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + proxy.idp.token("sato", "shimin-ka") + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException refused) {
            return ""; // TLS 1.3 reports a refused client certificate on the first read
        }
    }

    @Test
    void certificateRevokedByTheCrlFailsTheHandshake() throws Exception {
        start("request");
        assertThrows(Exception.class, () -> get("/kikan/", revoked));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void withoutACertificateAnAppThatRequiresOneRefusesWithItsReason() throws Exception {
        start("request");
        ProxyFixture.Response response = get("/kikan/", null);
        assertEquals(403, response.status());
        assertEquals("device-certificate-required", new JsonObject(response.body()).getString("error"));
        assertEquals(200, get("/", null).status(), "apps without the requirement still open over TLS");
    }

    @Test
    void requiredModeRefusesTheHandshakeWithoutACertificate() throws Exception {
        start("require");
        assertThrows(Exception.class, () -> get("/", null));
        assertEquals(200, get("/", device).status());
    }

    @Test
    void postureTokenBoundToThePresentedCertificateIsAcceptedAndToAnotherIsNot() throws Exception {
        start("request");
        String bound = posture.boundToken(posture.healthy("LG-PC-0001"), DeviceCa.thumbprint(device.certificate()));
        assertEquals(200, get("/kikan/", device, "X-Sekisho-Device-Posture", bound).status());

        String boundElsewhere = posture.boundToken(posture.healthy("LG-PC-0001"),
                DeviceCa.thumbprint(revoked.certificate()));
        ProxyFixture.Response mismatch = get("/kikan/", device, "X-Sekisho-Device-Posture", boundElsewhere);
        assertEquals(200, mismatch.status(), "the certificate alone still meets a certificate-only app");

        List<String> audit = proxy.stopAndReadAudit();
        JsonObject first = new JsonObject(audit.get(0)).getJsonObject("device");
        assertEquals(List.of("certificate", "token"), first.getJsonArray("evidence").getList());
        JsonObject second = new JsonObject(audit.get(1)).getJsonObject("device");
        assertEquals(List.of("certificate"), second.getJsonArray("evidence").getList(),
                "a token bound to another certificate proves nothing here");
    }

    @Test
    void postureTokenForAnotherDeviceThanTheCertificateIsRefusedWhereFactsAreNeeded() throws Exception {
        start("request");
        proxy.stopAndReadAudit();
        // restart with an app that needs facts as well as the certificate
        String yaml = java.nio.file.Files.readString(proxy.dir.resolve("sekisho.yaml"))
                .replace("      certificate: true", "      certificate: true\n      managed: true");
        proxy.start(yaml);
        String other = posture.token(posture.healthy("LG-PC-0002"));
        ProxyFixture.Response response = get("/kikan/", device, "X-Sekisho-Device-Posture", other);
        assertEquals(403, response.status());
        assertEquals("device-token-certificate-mismatch", new JsonObject(response.body()).getString("error"));
        assertTrue(get("/kikan/", device, "X-Sekisho-Device-Posture",
                posture.token(posture.healthy("LG-PC-0001"))).status() == 200);
    }

    @Test
    void aNewCrlTakesEffectWithoutARestart() throws Exception {
        start("request");
        DeviceCa.Issued stolen = deviceCa.deviceCertificate("LG-PC-0042");
        assertEquals(200, get("/kikan/", stolen).status());
        deviceCa.revoke(stolen.certificate());
        deviceCa.writeCrl();
        proxy.server().reloadCertificates().await(10, TimeUnit.SECONDS);
        assertThrows(Exception.class, () -> get("/kikan/", stolen), "revoked after start, refused now");
        assertEquals(200, get("/kikan/", device).status(), "other devices still pass");
    }
}
