package jp.sekisho.demo;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import jp.sekisho.storage.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS demo's certificates, made on first start and kept: a demo CA (the file to give
 * {@code curl --cacert} or to import into a browser) and a server certificate for the demo's
 * host names. Development only: the CA key stays beside it in the demo's data directory.
 */
final class DemoCertificate {

    static final String CA_FILE = "tls/demo-ca.pem";
    static final String CERTIFICATE_FILE = "tls/demo-server.pem";
    static final String KEY_FILE = "tls/demo-server-key.pem";
    private static final String[] NAMES = {"localhost", "records.localhost", "portal.localhost", "zeimu.localhost"};

    private DemoCertificate() {
    }

    /** Makes the CA and server certificate unless they exist. Blocking. */
    static void prepare(Path dataDir, Clock clock) throws IOException {
        if (Files.exists(dataDir.resolve(CERTIFICATE_FILE)) && Files.exists(dataDir.resolve(KEY_FILE))) {
            return;
        }
        try {
            Instant now = clock.instant();
            KeyPair caKeys = keyPair();
            X500Name caName = new X500Name("CN=Sekisho demo CA (development only)");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(825))), caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCertificate = sign(ca, caKeys);

            KeyPair serverKeys = keyPair();
            GeneralName[] names = new GeneralName[NAMES.length + 1];
            for (int i = 0; i < NAMES.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, NAMES[i]);
            }
            names[NAMES.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(397))),
                    new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            X509Certificate serverCertificate = sign(server, caKeys);

            PrivateFiles.write(dataDir.resolve(CA_FILE), pem(caCertificate));
            PrivateFiles.write(dataDir.resolve(CERTIFICATE_FILE), pem(serverCertificate) + pem(caCertificate));
            PrivateFiles.write(dataDir.resolve(KEY_FILE), pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the demo certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
