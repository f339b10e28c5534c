package jp.sekisho.device;

import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Names the device behind a verified client certificate. The TLS stack has already checked
 * the chain against the device CA and the CRLs; this reads the configured field once per TLS
 * session and remembers it on the session.
 */
public final class DeviceCertificates {

    private static final String SESSION_KEY = "jp.sekisho.device";
    private static final Presented NONE = new Presented(null, null);
    /** GeneralName types in {@link X509Certificate#getSubjectAlternativeNames()} (RFC 5280 §4.2.1.6). */
    private static final int SAN_TYPE_DNS = 2;
    private static final int SAN_TYPE_URI = 6;

    /** Which certificate field names the device. */
    public enum IdSource {
        SAN_URI, SAN_DNS, SUBJECT_CN, SHA256;

        public static IdSource parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * The device certificate of a connection.
     *
     * @param deviceId   the device's id, null when the certificate names none
     * @param thumbprint base64url SHA-256 of the certificate (RFC 8705 {@code x5t#S256})
     */
    public record Presented(String deviceId, String thumbprint) {
        public boolean identifiesDevice() {
            return deviceId != null;
        }
    }

    private final IdSource source;
    private final String sanUriPrefix;

    public DeviceCertificates(IdSource source, String sanUriPrefix) {
        this.source = source;
        this.sanUriPrefix = sanUriPrefix;
    }

    /** The certificate the request's connection presented, or null when it presented none. */
    public Presented of(HttpServerRequest request) {
        if (!request.isSSL()) {
            return null;
        }
        SSLSession session = request.connection().sslSession();
        if (session == null) {
            return null;
        }
        Object known = session.getValue(SESSION_KEY);
        if (known instanceof Presented presented) {
            return presented == NONE ? null : presented;
        }
        Presented presented = read(request);
        session.putValue(SESSION_KEY, presented == null ? NONE : presented);
        return presented;
    }

    private Presented read(HttpServerRequest request) {
        List<Certificate> chain;
        try {
            chain = request.connection().peerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
            return null;
        }
        return identify(leaf);
    }

    Presented identify(X509Certificate leaf) {
        String thumbprint = thumbprint(leaf);
        return new Presented(deviceId(leaf, thumbprint).orElse(null), thumbprint);
    }

    private Optional<String> deviceId(X509Certificate certificate, String thumbprint) {
        return switch (source) {
            case SAN_URI -> subjectAltName(certificate, SAN_TYPE_URI, sanUriPrefix)
                    .map(uri -> uri.substring(sanUriPrefix.length())).filter(id -> !id.isEmpty());
            case SAN_DNS -> subjectAltName(certificate, SAN_TYPE_DNS, "");
            case SUBJECT_CN -> commonName(certificate.getSubjectX500Principal());
            case SHA256 -> Optional.of(thumbprint);
        };
    }

    /** The first subject alternative name of the given GeneralName type that starts with {@code prefix}. */
    private static Optional<String> subjectAltName(X509Certificate certificate, int type, String prefix) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (name.size() >= 2 && Integer.valueOf(type).equals(name.get(0))
                        && name.get(1) instanceof String value && value.startsWith(prefix)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }

    /**
     * The most specific CN of a subject: {@code LG-PC-0001} in
     * {@code CN=LG-PC-0001,CN=Computers,DC=city,DC=lg,DC=jp}. {@link LdapName#getRdns()} lists
     * the RDNs from the least specific, so the last CN in that list is the one wanted.
     */
    static Optional<String> commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn && !cn.isEmpty()) {
                    return Optional.of(cn);
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    /** Base64url (no padding) SHA-256 of the DER certificate: the {@code x5t#S256} of RFC 8705. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take a certificate thumbprint", e);
        }
    }
}
