package jp.sekisho.breakout.intercept;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import jp.sekisho.testing.MutableClock;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterceptionCaTest {

    private static final String HOST = "login.microsoftonline.com";
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

    private static TestCa ecCa;
    private static TestCa rsaCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void createCas() {
        ecCa = caValidAround("Interception EC CA", "EC");
        rsaCa = caValidAround("Interception RSA CA", "RSA");
    }

    private static TestCa caValidAround(String name, String algorithm) {
        return TestCa.builder(name, algorithm).validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(3650)))
                .build();
    }

    @Test
    void issuesALeafSignedByTheCaWithTheCaAsItsChain() throws Exception {
        InterceptionCa ca = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED);
        IssuedCertificate issued = ca.issue(HOST);

        X509Certificate leaf = issued.leaf();
        leaf.verify(ecCa.certificate.getPublicKey());
        assertEquals(ecCa.certificate.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(2, issued.chain().length);
        assertSame(ecCa.certificate, issued.chain()[1]);
        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals("EC", issued.key().getAlgorithm());
        assertTrue(CaCredentials.belongTogether(issued.key(), leaf), "the key is the leaf's own");
    }

    @Test
    void namesTheHostAsItsOnlySubjectAltNameAndCommonName() throws Exception {
        X509Certificate leaf = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED).issue(HOST).leaf();

        assertEquals(List.of(List.of(2, HOST)), List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals("CN=" + HOST, leaf.getSubjectX500Principal().getName());
    }

    @Test
    void isAServerCertificateThatCannotSignOthers() throws Exception {
        X509Certificate leaf = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED).issue(HOST).leaf();

        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
        boolean[] usage = leaf.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        for (int bit = 1; bit < usage.length; bit++) {
            assertFalse(usage[bit], "only digitalSignature, not bit " + bit);
        }
        assertTrue(leaf.getSerialNumber().signum() > 0);
        assertTrue(leaf.getSerialNumber().bitLength() <= 128);
    }

    @Test
    void identifiesItsIssuerByTheCasSubjectKeyIdentifier() {
        X509Certificate leaf = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED).issue(HOST).leaf();

        byte[] caKeyId = ASN1OctetString.getInstance(
                octets(ecCa.certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId()))).getOctets();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                octets(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())));
        assertArrayEquals(caKeyId, aki.getKeyIdentifierObject().getOctets());
        assertTrue(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null, "has a subject key id");
    }

    @Test
    void isValidFromAnHourAgoForSevenDays() {
        X509Certificate leaf = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED).issue(HOST).leaf();

        assertEquals(NOW.minus(Duration.ofHours(1)), leaf.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(7)), leaf.getNotAfter().toInstant());
    }

    @Test
    void neverOutlivesTheCa() {
        Instant caEnd = NOW.plus(Duration.ofDays(3));
        TestCa shortCa = TestCa.builder("Short-lived CA", "EC").validity(NOW.minus(Duration.ofDays(1)), caEnd).build();

        X509Certificate leaf = InterceptionCa.of(shortCa.certificate, shortCa.keys.getPrivate(), FIXED).issue(HOST).leaf();

        assertEquals(caEnd, leaf.getNotAfter().toInstant());
    }

    @Test
    void givesTheSameLeafForTheSameHostInAnySpelling() {
        InterceptionCa ca = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED);

        IssuedCertificate first = ca.issue(HOST);

        assertSame(first, ca.issue(HOST));
        assertSame(first, ca.issue("Login.MicrosoftOnline.com"));
        assertNotSame(first, ca.issue("login.microsoft.com"));
    }

    @Test
    void sharesOneLeafKeyAcrossHosts() {
        InterceptionCa ca = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED);

        assertEquals(ca.issue(HOST).leaf().getPublicKey(), ca.issue("login.windows.net").leaf().getPublicKey());
    }

    @Test
    void issuesAgainOnceLessThanADayIsLeft() {
        MutableClock clock = new MutableClock(NOW);
        InterceptionCa ca = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), clock);
        IssuedCertificate first = ca.issue(HOST);

        clock.advance(Duration.ofDays(6)); // exactly a day left: still served
        assertSame(first, ca.issue(HOST));

        clock.advance(Duration.ofSeconds(1));
        IssuedCertificate second = ca.issue(HOST);
        assertNotSame(first, second);
        assertNotEquals(first.leaf().getSerialNumber(), second.leaf().getSerialNumber());
        assertEquals(NOW.plus(Duration.ofDays(13)).plusSeconds(1), second.leaf().getNotAfter().toInstant());
    }

    @Test
    void keepsALeafCutShortByTheCaRatherThanSigningOnEveryCall() {
        TestCa endingCa = TestCa.builder("Ending CA", "EC")
                .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofHours(12))).build();
        InterceptionCa ca = InterceptionCa.of(endingCa.certificate, endingCa.keys.getPrivate(), FIXED);

        assertSame(ca.issue(HOST), ca.issue(HOST));
    }

    @Test
    void signsWithRsaWhenTheCaKeyIsRsa() throws Exception {
        InterceptionCa ca = InterceptionCa.of(rsaCa.certificate, rsaCa.keys.getPrivate(), FIXED);

        X509Certificate leaf = ca.issue(HOST).leaf();

        assertEquals("SHA256withRSA", leaf.getSigAlgName());
        leaf.verify(rsaCa.certificate.getPublicKey());
        assertEquals("EC", leaf.getPublicKey().getAlgorithm(), "the leaf key stays EC P-256");
    }

    @Test
    void refusesAHostThatIsNotADnsName() {
        InterceptionCa ca = InterceptionCa.of(ecCa.certificate, ecCa.keys.getPrivate(), FIXED);

        for (String bad : List.of("", "*.microsoftonline.com", "login microsoftonline.com", "192.0.2.1:443",
                "login.microsoftonline.com\r\nX: y")) {
            assertThrows(IllegalArgumentException.class, () -> ca.issue(bad), bad);
        }
    }

    @Test
    void loadsTraditionalAndPkcs8Keys() throws Exception {
        for (TestCa testCa : List.of(ecCa, rsaCa)) {
            String algorithm = testCa.keys.getPublic().getAlgorithm();
            Path certificate = testCa.writeCertificate(dir.resolve(algorithm + "-ca.pem"));
            Path traditional = testCa.writeTraditionalKey(dir.resolve(algorithm + "-traditional.pem"));
            Path pkcs8 = testCa.writePkcs8Key(dir.resolve(algorithm + "-pkcs8.pem"));
            assertTrue(Files.readString(traditional).contains("BEGIN " + algorithm + " PRIVATE KEY"),
                    "PKCS#1 or SEC1 form");
            assertTrue(Files.readString(pkcs8).contains("BEGIN PRIVATE KEY"), "PKCS#8 form");

            for (Path key : List.of(traditional, pkcs8)) {
                InterceptionCa ca = InterceptionCa.load(certificate, key, FIXED);
                assertEquals(testCa.certificate, ca.certificate());
                ca.issue(HOST).leaf().verify(testCa.certificate.getPublicKey());
            }
        }
    }

    @Test
    void loadsASec1KeyPrecededByItsEcParameters() throws Exception {
        Path certificate = ecCa.writeCertificate(dir.resolve("ca.pem"));
        Path key = dir.resolve("key.pem");
        // what "openssl ecparam -genkey" writes
        Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + TestCa.pem(ecCa.traditionalKey()));

        assertEquals(ecCa.certificate, InterceptionCa.load(certificate, key, FIXED).certificate());
    }

    @Test
    void loadRefusesACertificateThatIsNotACa() {
        TestCa server = TestCa.builder("not a CA", "EC").notCa().build();
        Path certificate = server.writeCertificate(dir.resolve("server.pem"));
        Path key = server.writePkcs8Key(dir.resolve("server-key.pem"));

        IOException e = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, key, FIXED));

        assertTrue(e.getMessage().contains(certificate.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a CA certificate"), e.getMessage());
    }

    @Test
    void loadRefusesACaWhoseKeyUsageLacksKeyCertSign() {
        TestCa crlOnly = TestCa.builder("CRL signer", "EC").keyUsage(KeyUsage.cRLSign).build();
        Path certificate = crlOnly.writeCertificate(dir.resolve("crl-signer.pem"));
        Path key = crlOnly.writePkcs8Key(dir.resolve("crl-signer-key.pem"));

        IOException e = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, key, FIXED));

        assertTrue(e.getMessage().contains(certificate.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("keyCertSign"), e.getMessage());
    }

    @Test
    void loadAcceptsACaWithoutKeyUsageAsOpensslMakesIt() throws Exception {
        TestCa plain = TestCa.builder("openssl req -x509 CA", "RSA").keyUsage(null)
                .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365))).build();
        Path certificate = plain.writeCertificate(dir.resolve("plain.pem"));
        Path key = plain.writeTraditionalKey(dir.resolve("plain-key.pem"));

        assertEquals(plain.certificate, InterceptionCa.load(certificate, key, FIXED).certificate());
    }

    @Test
    void loadRefusesAnExpiredCa() {
        TestCa expired = TestCa.builder("Expired CA", "EC")
                .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(35))).build();
        Path certificate = expired.writeCertificate(dir.resolve("expired.pem"));
        Path key = expired.writePkcs8Key(dir.resolve("expired-key.pem"));

        IOException e = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, key, FIXED));

        assertTrue(e.getMessage().contains(certificate.toString()) && e.getMessage().contains("expired"),
                e.getMessage());
    }

    @Test
    void loadRefusesAKeyThatIsNotTheCertificatesWithoutQuotingIt() throws Exception {
        Path certificate = ecCa.writeCertificate(dir.resolve("ca.pem"));
        TestCa other = TestCa.ec("Another CA");
        Path key = other.writePkcs8Key(dir.resolve("other-key.pem"));
        Path rsaKey = rsaCa.writeTraditionalKey(dir.resolve("rsa-key.pem"));

        for (Path wrong : List.of(key, rsaKey)) {
            IOException e = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, wrong, FIXED));
            assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("not the private key"), e.getMessage());
            assertQuotesNoKey(e, wrong);
        }
    }

    @Test
    void loadRefusesAKeyFileThatDoesNotParseWithoutQuotingIt() throws Exception {
        Path certificate = ecCa.writeCertificate(dir.resolve("ca.pem"));
        Path broken = dir.resolve("broken-key.pem");
        String pkcs8 = TestCa.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(ecCa.keys.getPrivate(), null)
                .generate());
        // a key cut in the middle, as a bad copy-and-paste leaves it
        List<String> lines = pkcs8.lines().toList();
        Files.writeString(broken, lines.get(0) + "\n" + lines.get(1).substring(0, 40) + "\n" + lines.get(lines.size() - 1)
                + "\n");
        Path empty = Files.writeString(dir.resolve("empty-key.pem"), "no key here\n");

        IOException cut = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, broken, FIXED));
        IOException none = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, empty, FIXED));

        assertTrue(cut.getMessage().contains(broken.toString()), cut.getMessage());
        assertQuotesNoKey(cut, broken);
        assertTrue(none.getMessage().contains(empty.toString()) && none.getMessage().contains("no PEM private key"),
                none.getMessage());
    }

    @Test
    void loadNamesAMissingFile() {
        Path certificate = ecCa.writeCertificate(dir.resolve("ca.pem"));
        Path missing = dir.resolve("missing-key.pem");

        IOException e = assertThrows(IOException.class, () -> InterceptionCa.load(certificate, missing, FIXED));

        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
                e.getMessage());
    }

    @Test
    void ofRefusesAMismatchedKeyToo() {
        assertThrows(IllegalArgumentException.class,
                () -> InterceptionCa.of(ecCa.certificate, rsaCa.keys.getPrivate(), FIXED));
    }

    /** Neither the message nor any cause quotes a line of the key file's base64 body. */
    private static void assertQuotesNoKey(Throwable e, Path keyFile) throws IOException {
        List<String> body = Files.readAllLines(keyFile).stream()
                .filter(line -> !line.startsWith("-----") && line.length() >= 16).toList();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String line : body) {
                assertFalse(message.contains(line.substring(0, 16)), "quotes the key: " + message);
            }
            assertFalse(message.contains("PRIVATE KEY-----"), "quotes the key file: " + message);
        }
    }

    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }
}
