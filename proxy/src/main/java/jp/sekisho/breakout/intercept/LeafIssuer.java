package jp.sekisho.breakout.intercept;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs TLS server certificates for single host names with the interception CA. Every leaf of
 * the process shares one EC P-256 key pair: generating a key per host would cost more than
 * the signature, and the key never leaves memory.
 */
final class LeafIssuer {

    static final Duration LIFETIME = Duration.ofDays(7);
    /** Backdated, so a terminal whose clock runs a little slow still accepts a fresh leaf. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate ca;
    private final PrivateKey caKey;
    private final String signatureAlgorithm;
    private final KeyPair leafKeys;
    private final AuthorityKeyIdentifier authorityKeyId;
    private final SubjectKeyIdentifier subjectKeyId;

    LeafIssuer(X509Certificate ca, PrivateKey caKey) {
        this.ca = ca;
        this.caKey = caKey;
        this.signatureAlgorithm = CaCredentials.signatureAlgorithm(caKey);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            this.leafKeys = generator.generateKeyPair();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            this.authorityKeyId = new AuthorityKeyIdentifier(caKeyId(ca, extensions));
            this.subjectKeyId = extensions.createSubjectKeyIdentifier(leafKeys.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare leaf certificates: " + e.getMessage(), e);
        }
    }

    /** A leaf for {@code host} (already normalised) valid from an hour before {@code now}. */
    IssuedCertificate issue(String host, Instant now) {
        Instant notAfter = min(now.plus(LIFETIME), ca.getNotAfter().toInstant());
        if (!notAfter.isAfter(now)) {
            throw new IllegalStateException("the interception CA " + ca.getSubjectX500Principal()
                    + " expired on " + ca.getNotAfter().toInstant() + ": no certificate can be issued");
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, leafKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, host)))
                    .addExtension(Extension.subjectKeyIdentifier, false, subjectKeyId)
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            // A signer is stateful: one per certificate, so concurrent issues never share one.
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(caKey)));
            return new IssuedCertificate(new X509Certificate[] {leaf, ca}, leafKeys.getPrivate());
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + host + ": " + e.getMessage(), e);
        }
    }

    /** The CA's own key identifier when it states one (clients match on it), else one computed from its key. */
    private static byte[] caKeyId(X509Certificate ca, JcaX509ExtensionUtils extensions) {
        byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return ASN1OctetString.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getOctets();
        }
        return extensions.createSubjectKeyIdentifier(ca.getPublicKey()).getKeyIdentifier();
    }

    /** 128 random bits, never zero (RFC 5280 §4.1.2.2: a positive integer). */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
