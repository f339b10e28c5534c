package jp.sekisho.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import jp.sekisho.metrics.ProxyMetrics;

/** Exports when trusted CA certificates expire, so an alert can warn well before a chain breaks. */
public final class CertificateExpiry {

    private CertificateExpiry() {
    }

    /** Registers one expiry gauge per certificate in {@code files}, under {@code purpose}. Blocking. */
    public static void register(ProxyMetrics metrics, String purpose, List<Path> files) throws IOException {
        int index = 0;
        for (Path file : files) {
            try {
                for (Certificate c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                    long notAfter = ((X509Certificate) c).getNotAfter().toInstant().getEpochSecond();
                    metrics.certificateExpiry(purpose, Integer.toString(index++), () -> notAfter);
                }
            } catch (GeneralSecurityException e) {
                throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
            }
        }
    }
}
