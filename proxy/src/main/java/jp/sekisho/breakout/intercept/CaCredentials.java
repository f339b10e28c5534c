package jp.sekisho.breakout.intercept;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the interception CA's PEM files and checks that they may issue: the certificate is a
 * CA allowed to sign certificates, valid now, and the key is its own. Messages name the file
 * and the problem, and never quote the key file or a parser's message about it.
 */
final class CaCredentials {

    private CaCredentials() {
    }

    /** The first certificate in a PEM file. Blocking. */
    static X509Certificate readCertificate(Path file) throws IOException {
        byte[] bytes = read(file);
        try {
            Iterator<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).iterator();
            if (!certificates.hasNext()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return (X509Certificate) certificates.next();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** An unencrypted private key: PKCS#8, PKCS#1 RSA or SEC1 EC PEM. Blocking. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        String pem = new String(read(file), StandardCharsets.ISO_8859_1);
        Object object;
        // No cause is kept and no parser message quoted: either could echo bytes of the key.
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new KeyFileProblem(file + " holds an encrypted private key: Sekisho needs it unencrypted"
                            + " (PKCS#8, PKCS#1 or SEC1 PEM), readable by its own user only");
                }
                // anything else (an "EC PARAMETERS" block before the key, a certificate) is skipped
            }
        } catch (KeyFileProblem e) {
            throw new IOException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a readable PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");
        }
        throw new IOException(file + " holds no PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");
    }

    /** Why the certificate cannot be an interception CA at {@code now}, or null when it can. */
    static String certificateProblem(X509Certificate certificate, Instant now) {
        if (certificate.getBasicConstraints() < 0) {
            return "is not a CA certificate (basicConstraints cA=true is missing)";
        }
        // RFC 5280 §4.2.1.3: without keyUsage nothing is restricted (openssl's default v3_ca
        // omits it); when it is there, it must allow signing certificates.
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
            return "may not sign certificates (its keyUsage lacks keyCertSign)";
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            return "expired on " + certificate.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return "is not valid before " + certificate.getNotBefore().toInstant();
        }
        return null;
    }

    /** The signature algorithm leaves are signed with, or null for a key type that cannot sign them. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
    }

    /** True when the key and the certificate are one pair (the listeners' own check). */
    static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        return jp.sekisho.tls.LoadedCertificate.belongTogether(key, certificate);
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read '" + file + "': no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read '" + file + "': permission denied", e);
        }
    }

    /** A problem already phrased for the operator, kept apart from the parser's own exceptions. */
    private static final class KeyFileProblem extends IOException {
        KeyFileProblem(String message) {
            super(message);
        }
    }
}
