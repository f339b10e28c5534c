package jp.sekisho.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom upstream servers may prove themselves to: the system trust store (public SaaS) plus the
 * CA files an administrator adds (the municipal CA of internal apps). Host names are checked
 * by the TLS stack on top of this (endpoint identification), never here. {@code sekisho admin
 * --cacert} trusts an HTTPS admin listener the same way.
 */
public final class UpstreamTrust {

    private UpstreamTrust() {
    }

    /** The system's trust plus {@code caFiles}; just the system's when there are none. Blocking. */
    public static X509TrustManager of(List<Path> caFiles) throws IOException {
        try {
            X509TrustManager system = trustManager(null);
            if (caFiles.isEmpty()) {
                return system;
            }
            KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
            extra.load(null, null);
            int n = 0;
            for (Path file : caFiles) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                    extra.setCertificateEntry("ca-" + n++, certificate);
                }
            }
            if (n == 0) {
                throw new IOException("no certificate in " + caFiles);
            }
            return new Either(trustManager(extra), system);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the upstream trust store: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a chain either trust manager trusts. */
    private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("upstream trust is for servers only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(Arrays.asList(first.getAcceptedIssuers()));
            all.addAll(Arrays.asList(second.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
