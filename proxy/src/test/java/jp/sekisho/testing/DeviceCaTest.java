package jp.sekisho.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks DeviceCa's output with the JDK's own PKIX code and with a real Vert.x mutual-TLS handshake. */
class DeviceCaTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void deviceCertificateChainsToTheCaReadBackFromPem() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        DeviceCa.Issued device = ca.deviceCertificate("laptop-42");

        X509Certificate caFromPem = readCertificate(ca.caCertificatePath());
        X509Certificate deviceFromPem = readCertificate(device.certificatePath());
        assertEquals(device.certificate(), deviceFromPem);
        validate(deviceFromPem, caFromPem);
        assertTrue(Files.readString(device.privateKeyPath()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(caFromPem.getBasicConstraints() >= 0, "the CA certificate must say it is a CA");
    }

    @Test
    void deviceCertificateNamesTheDeviceForClientAuth() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        X509Certificate device = ca.deviceCertificate("laptop-42").certificate();

        assertTrue(device.getSubjectAlternativeNames().contains(List.of(SAN_URI, "urn:sekisho:device:laptop-42")),
                String.valueOf(device.getSubjectAlternativeNames()));
        assertEquals("laptop-42", commonName(device));
        assertTrue(device.getSubjectX500Principal().getName().contains("O=shiyakusho"));
        assertEquals(List.of(CLIENT_AUTH), device.getExtendedKeyUsage());
        assertEquals(-1, device.getBasicConstraints(), "a device certificate must not be a CA");
    }

    @Test
    void serverCertificateCarriesDnsNamesAndIpAddresses() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        X509Certificate server = ca.serverCertificate("localhost", "127.0.0.1").certificate();

        assertEquals(Set.of(List.of(SAN_DNS, "localhost"), List.of(SAN_IP, "127.0.0.1")),
                Set.copyOf(server.getSubjectAlternativeNames()));
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        validate(server, readCertificate(ca.caCertificatePath()));
    }

    @Test
    void everyCertificateGetsItsOwnSerial() {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        X509Certificate first = ca.deviceCertificate("laptop-42").certificate();
        X509Certificate second = ca.deviceCertificate("laptop-42").certificate();

        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertNotEquals(first.getSerialNumber(), ca.caCertificate().getSerialNumber());
    }

    @Test
    void certificateFromAnotherCaDoesNotValidate() throws Exception {
        DeviceCa trusted = DeviceCa.create("shiyakusho", dir);
        DeviceCa stranger = DeviceCa.create("stranger", dir);
        X509Certificate foreign = stranger.deviceCertificate("laptop-42").certificate();

        assertThrows(CertPathValidatorException.class,
                () -> validate(foreign, readCertificate(trusted.caCertificatePath())));
    }

    @Test
    void crlListsTheRevokedCertificateAndNotTheOther() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        X509Certificate lost = ca.deviceCertificate("lost-laptop").certificate();
        X509Certificate kept = ca.deviceCertificate("kept-laptop").certificate();
        ca.revoke(lost);

        Path crlPath = ca.writeCrl();
        assertTrue(Files.readString(crlPath).startsWith("-----BEGIN X509 CRL-----"));
        X509CRL crl;
        try (InputStream in = Files.newInputStream(crlPath)) {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
        crl.verify(ca.caCertificate().getPublicKey());
        assertTrue(crl.isRevoked(lost));
        assertFalse(crl.isRevoked(kept));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), crl.getThisUpdate().toInstant());
        assertEquals(Instant.parse("2036-01-01T00:00:00Z"), crl.getNextUpdate().toInstant());
    }

    @Test
    void thumbprintIsUnpaddedBase64UrlOfSha256OverTheDer() throws Exception {
        X509Certificate device = DeviceCa.create("shiyakusho", dir).deviceCertificate("laptop-42").certificate();

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(device.getEncoded());
        String thumbprint = DeviceCa.thumbprint(device);
        // 32 bytes are 43 characters of unpadded base64, drawn from the URL-safe alphabet only.
        assertTrue(thumbprint.matches("[A-Za-z0-9_-]{43}"), thumbprint);
        assertTrue(MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(thumbprint)));
    }

    @Test
    void vertxServerSeesTheDeviceCertificateOverMutualTls() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        HttpServer server = startServer(ca, null, new AtomicInteger());

        assertEquals("laptop-42", get(ca, server, ca.deviceCertificate("laptop-42")));
    }

    @Test
    void vertxServerWithTheCrlRefusesOnlyTheRevokedDevice() throws Exception {
        DeviceCa ca = DeviceCa.create("shiyakusho", dir);
        DeviceCa.Issued lost = ca.deviceCertificate("lost-laptop");
        DeviceCa.Issued kept = ca.deviceCertificate("kept-laptop");
        ca.revoke(lost.certificate());
        AtomicInteger handled = new AtomicInteger();
        HttpServer server = startServer(ca, ca.writeCrl(), handled);

        Exception refused = assertThrows(Exception.class, () -> get(ca, server, lost));
        assertTrue(causedBy(refused, SSLHandshakeException.class), "not a TLS refusal: " + refused);
        assertEquals(0, handled.get(), "a revoked device's request must never reach the handler");
        // The same server still lets a good device in, so the refusal above was about revocation.
        assertEquals("kept-laptop", get(ca, server, kept));
    }

    /** A server that requires a client certificate from {@code ca} and answers with its CN. */
    private HttpServer startServer(DeviceCa ca, Path crlPath, AtomicInteger handled) throws Exception {
        DeviceCa.Issued serverCertificate = ca.serverCertificate("localhost", "127.0.0.1");
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(serverCertificate.certificatePath().toString())
                        .setKeyPath(serverCertificate.privateKeyPath().toString()))
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.caCertificatePath().toString()));
        if (crlPath != null) {
            options.addCrlPath(crlPath.toString());
        }
        return vertx.createHttpServer(options)
                .requestHandler(request -> {
                    handled.incrementAndGet();
                    try {
                        X509Certificate peer = (X509Certificate) request.connection().peerCertificates().get(0);
                        request.response().end(commonName(peer));
                    } catch (Exception e) {
                        request.response().setStatusCode(500).end(e.toString());
                    }
                })
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    /** One HTTP/1.1 GET over TLS presenting {@code device}; returns the body of a 200. */
    private String get(DeviceCa ca, HttpServer server, DeviceCa.Issued device) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.caCertificatePath().toString()))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(device.certificatePath().toString())
                        .setKeyPath(device.privateKeyPath().toString())));
        try {
            return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> request.send())
                    .compose(response -> response.statusCode() == 200
                            ? response.body()
                            : response.body().map(body -> {
                                throw new AssertionError(response.statusCode() + " " + body);
                            }))
                    .await(10, TimeUnit.SECONDS)
                    .toString();
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static void validate(X509Certificate certificate, X509Certificate caCertificate) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(caCertificate, null)));
        // Revocation is the CRL test's business; here only the chain and signatures count.
        parameters.setRevocationEnabled(false);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(certificate)), parameters);
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String commonName(X509Certificate certificate) throws Exception {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        throw new AssertionError("no CN in " + certificate.getSubjectX500Principal());
    }
}
