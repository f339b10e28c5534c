package jp.sekisho.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for mutual-TLS tests: it issues server and device
 * certificates and a CRL, each written as PEM files that Vert.x's Pem*Options read directly.
 */
public final class DeviceCa {

    /** A certificate as PEM, its unencrypted PKCS#8 key as PEM, and the parsed certificate. */
    public record Issued(Path certificatePath, Path privateKeyPath, X509Certificate certificate) {}

    // Fixed dates keep the output independent of the wall clock, yet the JDK's TLS stack checks
    // validity against the real time, so the window has to cover "now" for years to come.
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2036-01-01T00:00:00Z");
    private static final Instant CRL_THIS_UPDATE = Instant.parse("2026-11-01T00:00:00Z");
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caCertificatePath;
    private final List<BigInteger> revokedSerials = new ArrayList<>();
    private int crlNumber;

    private DeviceCa(String name, Path dir, KeyPair caKeys, X509Certificate caCertificate, Path caCertificatePath) {
        this.name = name;
        this.dir = dir;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.caCertificatePath = caCertificatePath;
    }

    /** A self-signed CA named {@code name}; its PEM and everything it issues are written to {@code dir}. */
    public static DeviceCa create(String name, Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            KeyPair keys = newKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(NOT_BEFORE), Date.from(NOT_AFTER), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(signer(keys)));
            Path path = writePem(dir.resolve(fileSafe(name) + "-ca.pem"), certificate);
            return new DeviceCa(name, dir, keys, certificate, path);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not create test CA " + name, e);
        }
    }

    /** A TLS server certificate for the given DNS names and IP literals (the first one is also the CN). */
    public Issued serverCertificate(String... hostsOrIps) {
        GeneralName[] names = new GeneralName[hostsOrIps.length];
        for (int i = 0; i < hostsOrIps.length; i++) {
            String host = hostsOrIps[i];
            // Hostname verification matches an IP only against iPAddress entries, never dNSName.
            boolean ipLiteral = host.contains(":") || host.matches("[0-9.]+");
            names[i] = new GeneralName(ipLiteral ? GeneralName.iPAddress : GeneralName.dNSName, host);
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostsOrIps[0]).build();
        return issue("server-" + fileSafe(hostsOrIps[0]), subject, new GeneralNames(names), KeyPurposeId.id_kp_serverAuth);
    }

    /** A client certificate naming the device in its CN and in a {@code urn:sekisho:device:} SAN URI. */
    public Issued deviceCertificate(String deviceId) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, name)
                .addRDN(BCStyle.CN, deviceId)
                .build();
        GeneralNames names = new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:sekisho:device:" + deviceId));
        return issue("device-" + fileSafe(deviceId), subject, names, KeyPurposeId.id_kp_clientAuth);
    }

    /** Lists the certificate in the next {@link #writeCrl()}. */
    public void revoke(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
            throw new IllegalArgumentException("not issued by " + name + ": " + certificate.getSubjectX500Principal());
        }
        revokedSerials.add(certificate.getSerialNumber());
    }

    /** Writes a CRL listing every revoked serial so far, signed by this CA, and returns its PEM path. */
    public Path writeCrl() {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), Date.from(CRL_THIS_UPDATE))
                    .setNextUpdate(Date.from(NOT_AFTER))
                    .addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(++crlNumber)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            for (BigInteger serial : revokedSerials) {
                builder.addCRLEntry(serial, Date.from(CRL_THIS_UPDATE), CRLReason.keyCompromise);
            }
            X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(caKeys)));
            return writePem(dir.resolve(fileSafe(name) + "-crl.pem"), crl);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not write the CRL of " + name, e);
        }
    }

    public Path caCertificatePath() {
        return caCertificatePath;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The RFC 8705 {@code x5t#S256} confirmation value: base64url, unpadded, of SHA-256 over the DER. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued issue(String fileStem, X500Name subject, GeneralNames altNames, KeyPurposeId purpose) {
        try {
            KeyPair keys = newKeyPair();
            BigInteger serial = newSerial();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial,
                    Date.from(NOT_BEFORE), Date.from(NOT_AFTER), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, false, altNames)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(signer(caKeys)));
            // The serial in the file names keeps two certificates for the same name apart.
            String stem = fileStem + "-" + serial.toString(16);
            Path certificatePath = writePem(dir.resolve(stem + ".pem"), certificate);
            // JcaPEMWriter would write an EC key as SEC1 "EC PRIVATE KEY"; the PKCS#8 generator
            // gives the "PRIVATE KEY" form that every PEM reader accepts.
            Path keyPath = writePem(dir.resolve(stem + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null));
            return new Issued(certificatePath, keyPath, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not issue " + subject, e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    // Random rather than counted, so serials differ across CAs too, and never zero or negative.
    private static BigInteger newSerial() {
        return new BigInteger(64, RANDOM).setBit(64);
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keys.getPrivate());
    }

    private static Path writePem(Path path, Object pemObject) throws IOException {
        try (Writer file = Files.newBufferedWriter(path); JcaPEMWriter pem = new JcaPEMWriter(file)) {
            pem.writeObject(pemObject);
        }
        return path;
    }

    private static String fileSafe(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
