package jp.sekisho.tls;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate chain and its private key, read from PEM files and checked before anything
 * serves them: the chain parses, the key parses (PKCS#8, PKCS#1 or SEC1), and the key belongs to
 * the leaf certificate. The bytes checked are the bytes served, so a file replaced in between
 * cannot slip through.
 *
 * @param certificateFile where the chain came from (for messages and metrics)
 * @param leaf            the server's own certificate
 * @param chainPem        the chain, as read
 * @param keyPem          the key, as PKCS#8 PEM (what the TLS stack reads in every case)
 */
public record LoadedCertificate(Path certificateFile, X509Certificate leaf, Buffer chainPem, Buffer keyPem) {

    public Instant notAfter() {
        return leaf.getNotAfter().toInstant();
    }

    /** Reads and checks one pair. Blocking. */
    public static LoadedCertificate load(Path certificateFile, Path keyFile) throws IOException {
        byte[] chainBytes = read(certificateFile);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(chainBytes))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(certificateFile + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + " holds no certificate");
        }
        PrivateKey key = privateKey(keyFile, read(keyFile));
        X509Certificate leaf = chain.get(0);
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EC") && !key.getAlgorithm().equals("ECDSA")) {
            throw new IOException(keyFile + " holds a " + key.getAlgorithm() + " key: use an RSA or ECDSA key");
        }
        if (!belongTogether(key, leaf)) {
            throw new IOException(keyFile + " is not the private key of the first certificate in " + certificateFile);
        }
        return new LoadedCertificate(certificateFile, leaf, Buffer.buffer(chainBytes), Buffer.buffer(pkcs8(key)));
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read '" + file + "': no such file", e);
        }
    }

    private static PrivateKey privateKey(Path file, byte[] pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, java.nio.charset.StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException(file + " holds no unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM)");
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IOException(file + " is not a PEM private key: " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate: true when they are one pair. */
    public static boolean belongTogether(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null; // the TLS stack's PEM reader takes RSA and EC keys only
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "sekisho".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] pkcs8(PrivateKey key) throws IOException {
        PemObject pem = new JcaPKCS8Generator(key, null).generate();
        java.io.StringWriter out = new java.io.StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(out)) {
            writer.writeObject(pem);
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
