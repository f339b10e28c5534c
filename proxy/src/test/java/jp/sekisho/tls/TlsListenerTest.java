package jp.sekisho.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import jp.sekisho.testing.TlsClient;
import jp.sekisho.testing.TlsVersionProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS on the staff listener: SNI, reload without restart, redirect, HSTS, HTTP/2, protocol floor. */
class TlsListenerTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private DeviceCa ca;
    private Path certA;
    private Path keyA;

    @BeforeEach
    void start() throws Exception {
        ca = DeviceCa.create("city-server", proxy.dir.resolve("pki"));
        DeviceCa.Issued a = ca.serverCertificate("records.city.example.lg.jp");
        DeviceCa.Issued wildcard = ca.serverCertificate("*.apps.example.lg.jp");
        // the files the proxy reads, replaced later by copying over them
        certA = proxy.dir.resolve("tls/records.pem");
        keyA = proxy.dir.resolve("tls/records-key.pem");
        Files.createDirectories(certA.getParent());
        Files.copy(a.certificatePath(), certA);
        Files.copy(a.privateKeyPath(), keyA);
        String settings = """
                listen:
                  host: 127.0.0.1
                  port: 0
                  redirectHttpPort: 0
                  tls:
                    certificates:
                      - {certificateFile: %s, keyFile: %s}
                      - {certificateFile: %s, keyFile: %s}
                """.formatted(certA, keyA, wildcard.certificatePath(), wildcard.privateKeyPath());
        String yaml = proxy.configWithApps("", """
                  - id: city-records
                    hosts: [records.city.example.lg.jp]
                    upstream: %1$s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                  - id: kintone
                    hosts: [kintone.apps.example.lg.jp]
                    upstream: %1$s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                """.formatted(proxy.upstream.url()))
                .replace("listen: {host: 127.0.0.1, port: 0}\n", settings);
        proxy.start(yaml);
    }

    private TlsClient.Answer get(String host, HttpVersion version, String user) throws Exception {
        return TlsClient.get(proxy.vertx, proxy.port(), host, "/", ca.caCertificatePath(), version,
                "Authorization", "Bearer " + proxy.idp.token(user, user.equals("sato") ? "shimin-ka" : "soumu-ka"));
    }

    @Test
    void theCertificateIsChosenByTheNameTheClientAsksFor() throws Exception {
        TlsClient.Answer records = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato");
        assertEquals(200, records.status());
        assertTrue(records.serverSubject().contains("CN=records.city.example.lg.jp"), records.serverSubject());
        TlsClient.Answer kintone = get("kintone.apps.example.lg.jp", HttpVersion.HTTP_1_1, "sato");
        assertEquals(200, kintone.status());
        assertTrue(kintone.serverSubject().contains("CN=*.apps.example.lg.jp"), kintone.serverSubject());
    }

    @Test
    void httpsResponsesCarryHstsAllowedOrNot() throws Exception {
        assertEquals("max-age=31536000", get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato").hsts());
        TlsClient.Answer refused = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "suzuki");
        assertEquals(403, refused.status());
        assertEquals("max-age=31536000", refused.hsts());
    }

    @Test
    void replacedCertificateFilesAreServedWithoutARestart() throws Exception {
        String before = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato").serverSerial();
        DeviceCa.Issued renewed = ca.serverCertificate("records.city.example.lg.jp");
        Files.copy(renewed.privateKeyPath(), keyA, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certificatePath(), certA, StandardCopyOption.REPLACE_EXISTING);
        proxy.server().reloadCertificates().await(10, TimeUnit.SECONDS);

        String after = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato").serverSerial();
        assertNotEquals(before, after);
        assertEquals(renewed.certificate().getSerialNumber().toString(16), after);
        assertTrue(proxy.management("/metrics").body().contains(
                "sekisho_tls_certificate_reloads_total{listener=\"staff\",result=\"success\"} 1.0"));
    }

    @Test
    void aBrokenReplacementKeepsTheOldCertificateAndSaysSo() throws Exception {
        String before = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato").serverSerial();
        // a renewed certificate whose key was not copied: the pair no longer belongs together
        Files.copy(ca.serverCertificate("records.city.example.lg.jp").certificatePath(), certA,
                StandardCopyOption.REPLACE_EXISTING);
        proxy.server().reloadCertificates().await(10, TimeUnit.SECONDS);

        assertEquals(before, get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato").serverSerial());
        JsonObject staff = new JsonObject(proxy.management("/readyz").body()).getJsonArray("tls").getJsonObject(0);
        assertTrue(staff.getString("lastReloadError").contains("is not the private key"), staff.encode());
        assertTrue(proxy.management("/metrics").body().contains(
                "sekisho_tls_certificate_reloads_total{listener=\"staff\",result=\"failure\"} 1.0"));
    }

    @Test
    void plainHttpOnlyRedirectsToHttpsAndOnlyForServedHosts() throws Exception {
        int redirect = proxy.server().redirectPort();
        String answer = RawHttp.exchange(redirect, "GET /juki/list?page=2 HTTP/1.1\r\nHost: records.city.example.lg.jp"
                + "\r\n\r\n");
        assertEquals(308, RawHttp.status(answer), answer);
        assertTrue(answer.toLowerCase().contains("location: https://records.city.example.lg.jp:" + proxy.port()
                + "/juki/list?page=2"), answer);
        String elsewhere = RawHttp.exchange(redirect, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        assertEquals(404, RawHttp.status(elsewhere), elsewhere);
        assertEquals(List.of(), proxy.upstream.received(), "the plain listener forwards nothing");
    }

    @Test
    void http2IsDecidedAndAuditedLikeHttp11() throws Exception {
        TlsClient.Answer allowed = get("records.city.example.lg.jp", HttpVersion.HTTP_2, "sato");
        assertEquals(HttpVersion.HTTP_2, allowed.version());
        assertEquals(200, allowed.status());
        TlsClient.Answer denied = get("records.city.example.lg.jp", HttpVersion.HTTP_2, "suzuki");
        assertEquals(403, denied.status());
        assertEquals("user-not-allowed", new JsonObject(denied.body()).getString("error"));
        TlsClient.Answer allowed11 = get("records.city.example.lg.jp", HttpVersion.HTTP_1_1, "sato");
        assertEquals(HttpVersion.HTTP_1_1, allowed11.version());

        List<JsonObject> audit = proxy.stopAndReadAudit().stream().map(JsonObject::new).toList();
        assertEquals(List.of("allow", "deny", "allow"), audit.stream().map(r -> r.getString("decision")).toList());
        assertEquals(Set.copyOf(audit.get(2).fieldNames()), Set.copyOf(audit.get(0).fieldNames()),
                "an HTTP/2 record has the same fields as an HTTP/1.1 one");
        assertEquals(audit.get(2).getJsonObject("user"), audit.get(0).getJsonObject("user"));
        assertEquals("records.city.example.lg.jp", audit.get(0).getString("host"));
        assertEquals(List.of("user-not-allowed"), audit.get(1).getJsonArray("reasons").getList());
    }

    @Test
    void onlyTls12AndTls13AreSpoken() throws Exception {
        assertEquals("refused", TlsVersionProbe.handshake(proxy.port(), "TLSv1.1", proxy.dir));
        assertEquals("refused", TlsVersionProbe.handshake(proxy.port(), "TLSv1", proxy.dir));
        assertEquals("TLSv1.2", TlsVersionProbe.handshake(proxy.port(), "TLSv1.2", proxy.dir), "the probe works");
    }

    @Test
    void tls12OffersOnlyForwardSecretAeadSuitesByDefault() throws Exception {
        assertEquals("refused", TlsVersionProbe.handshake(proxy.port(), "TLSv1.2",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", proxy.dir), "CBC, which the JDK still allows");
        assertEquals("TLSv1.2", TlsVersionProbe.handshake(proxy.port(), "TLSv1.2",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", proxy.dir));
    }

    /** An HTTP/2 client that trusts the city CA and sends every request to this proxy under {@code host}. */
    private io.vertx.core.http.HttpClient http2Client() {
        return proxy.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setVerifyHost(true)
                .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(ca.caCertificatePath().toString())));
    }

    private io.vertx.core.http.RequestOptions post(String token) throws Exception {
        io.vertx.core.http.RequestOptions options = new io.vertx.core.http.RequestOptions()
                .setMethod(io.vertx.core.http.HttpMethod.POST).setHost("records.city.example.lg.jp").setPort(proxy.port())
                .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(proxy.port(), "127.0.0.1")).setURI("/upload");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return options;
    }

    @Test
    void anHttp2BodyOfUnannouncedLengthReachesTheHttp11Upstream() throws Exception {
        io.vertx.core.http.HttpClient client = http2Client();
        try {
            String token = proxy.idp.token("sato", "shimin-ka");
            int status = client.request(post(token)).compose(request -> {
                request.setChunked(true); // HTTP/2 frames, no content-length
                request.write("住民票の");
                return request.end("写し").compose(v -> request.response());
            }).map(io.vertx.core.http.HttpClientResponse::statusCode).await(10, TimeUnit.SECONDS);
            assertEquals(200, status);
            assertEquals("住民票の写し", proxy.upstream.last().body());
            assertEquals(null, proxy.upstream.last().headers().get("content-length"));
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedHttp2UploadDoesNotStallTheOtherStreamsOfItsConnection() throws Exception {
        io.vertx.core.http.HttpClient client = http2Client();
        try {
            io.vertx.core.buffer.Buffer megabyte = io.vertx.core.buffer.Buffer.buffer(new byte[1024 * 1024]);
            int refused = client.request(post(null)).compose(request -> {
                request.setChunked(true);
                request.write(megabyte); // far beyond the 64 KiB windows, never read by the proxy
                return request.response();
            }).map(io.vertx.core.http.HttpClientResponse::statusCode).await(10, TimeUnit.SECONDS);
            assertEquals(401, refused);
            // the same connection (HTTP/2 multiplexes) still serves the next request at once
            int next = client.request(post(proxy.idp.token("sato", "shimin-ka")))
                    .compose(request -> request.send("ok").map(io.vertx.core.http.HttpClientResponse::statusCode))
                    .await(10, TimeUnit.SECONDS);
            assertEquals(200, next);
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }
}
