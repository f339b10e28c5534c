package jp.sekisho.breakout.intercept;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway self-signed certificate, generated per test (no key is ever committed): an
 * interception CA of either key type, or a certificate that must not be taken for one.
 */
final class TestCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    final KeyPair keys;
    final X509Certificate certificate;

    private TestCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    static TestCa ec(String name) {
        return builder(name, "EC").build();
    }

    static TestCa rsa(String name) {
        return builder(name, "RSA").build();
    }

    static Builder builder(String name, String keyAlgorithm) {
        return new Builder(name, keyAlgorithm);
    }

    /** The certificate as PEM. */
    Path writeCertificate(Path file) {
        return writePem(file, certificate);
    }

    /** The key as PKCS#8 ("PRIVATE KEY"). */
    Path writePkcs8Key(Path file) {
        try {
            return writePem(file, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key in OpenSSL's traditional form: PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY". */
    Path writeTraditionalKey(Path file) {
        return writePem(file, traditionalKey());
    }

    /**
     * PKCS#1 for RSA; for EC, SEC1 with the curve and public key in it, as openssl writes it (the
     * JDK's own encoding leaves both out, and a SEC1 key without its curve cannot be read).
     */
    Object traditionalKey() {
        if (!(keys.getPrivate() instanceof ECPrivateKey ec)) {
            return keys.getPrivate();
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ec.getParams().getOrder().bitLength(), ec.getS(),
                    new DERBitString(publicKey.getPublicKeyData().getBytes()),
                    info.getPrivateKeyAlgorithm().getParameters());
            return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager that trusts this certificate and nothing else. */
    X509TrustManager trustManager() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static Path writePem(Path file, Object object) {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Builder {
        private final String name;
        private final String keyAlgorithm;
        private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(3650));
        private boolean ca = true;
        private Integer keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;

        private Builder(String name, String keyAlgorithm) {
            this.name = name;
            this.keyAlgorithm = keyAlgorithm;
        }

        Builder validity(Instant from, Instant until) {
            this.notBefore = from;
            this.notAfter = until;
            return this;
        }

        Builder notCa() {
            this.ca = false;
            this.keyUsage = KeyUsage.digitalSignature;
            return this;
        }

        /** @param keyUsage the KeyUsage bits, or null for no keyUsage extension at all */
        Builder keyUsage(Integer keyUsage) {
            this.keyUsage = keyUsage;
            return this;
        }

        TestCa build() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
                if (keyAlgorithm.equals("EC")) {
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                } else {
                    generator.initialize(2048);
                }
                KeyPair keys = generator.generateKeyPair();
                X500Name subject = new X500Name("CN=" + name + ",O=Sekisho tests");
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                        new BigInteger(64, RANDOM).setBit(64), Date.from(notBefore), Date.from(notAfter), subject,
                        keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                String algorithm = keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
                return new TestCa(keys, certificate);
            } catch (Exception e) {
                throw new IllegalStateException("could not create test CA " + name, e);
            }
        }
    }
}
