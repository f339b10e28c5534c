package jp.sekisho.breakout.intercept;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The municipality's interception CA: issues a leaf certificate per host, cached. Staff
 * terminals trust this CA, so the forward proxy can open TLS to the few login hosts it adds
 * tenant-restriction headers for.
 *
 * <p>A leaf lives seven days (never past the CA) and is issued again once less than a day of
 * it is left, so a terminal never meets one about to expire. The cache holds at most
 * {@value #MAX_HOSTS} hosts; intercepted hosts are a short configured list.
 */
public final class InterceptionCa {

    static final int MAX_HOSTS = 1000;
    static final Duration RENEW_BEFORE = Duration.ofDays(1);

    /** DNS names only (no IP literals, no wildcards), compiled once. */
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final X509Certificate certificate;
    private final Clock clock;
    private final LeafIssuer issuer;
    private final Cache<String, IssuedCertificate> leaves = Caffeine.newBuilder().maximumSize(MAX_HOSTS).build();

    private InterceptionCa(X509Certificate certificate, PrivateKey key, Clock clock) {
        this.certificate = certificate;
        this.clock = clock;
        this.issuer = new LeafIssuer(certificate, key);
    }

    /**
     * Reads a PEM certificate and a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) and checks
     * them: the certificate must be a CA that may sign certificates, valid now, and the key its
     * own. Errors name the file and what is wrong, never key material. Blocking.
     */
    public static InterceptionCa load(Path certificateFile, Path keyFile, Clock clock) throws IOException {
        X509Certificate certificate = CaCredentials.readCertificate(certificateFile);
        String problem = CaCredentials.certificateProblem(certificate, clock.instant());
        if (problem != null) {
            throw new IOException(certificateFile + " cannot be the interception CA: it " + problem);
        }
        PrivateKey key = CaCredentials.readPrivateKey(keyFile);
        if (CaCredentials.signatureAlgorithm(key) == null) {
            throw new IOException(keyFile + " holds a " + key.getAlgorithm()
                    + " key: the interception CA needs an RSA or EC key");
        }
        if (!CaCredentials.belongTogether(key, certificate)) {
            throw new IOException(keyFile + " is not the private key of the CA certificate in " + certificateFile);
        }
        return new InterceptionCa(certificate, key, clock);
    }

    /** The same checks as {@link #load}, on a certificate and key already in memory. */
    public static InterceptionCa of(X509Certificate certificate, PrivateKey key, Clock clock) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clock, "clock");
        String name = "the interception CA " + certificate.getSubjectX500Principal();
        String problem = CaCredentials.certificateProblem(certificate, clock.instant());
        if (problem != null) {
            throw new IllegalArgumentException(name + " " + problem);
        }
        if (CaCredentials.signatureAlgorithm(key) == null) {
            throw new IllegalArgumentException(name + ": a " + key.getAlgorithm() + " key cannot sign; use RSA or EC");
        }
        if (!CaCredentials.belongTogether(key, certificate)) {
            throw new IllegalArgumentException(name + ": the private key is not the certificate's");
        }
        return new InterceptionCa(certificate, key, clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A leaf for {@code host}: the cached one while more than a day of it is left, else a new
     * one. May sign (about a millisecond): call it off the event loop when the host is new.
     *
     * @throws IllegalArgumentException when {@code host} is not a DNS name
     * @throws IllegalStateException    when the CA has expired
     */
    public IssuedCertificate issue(String host) {
        String name = normalise(host);
        return leaves.asMap().compute(name, (h, cached) -> {
            Instant now = clock.instant();
            return cached != null && fresh(cached.leaf(), now) ? cached : issuer.issue(h, now);
        });
    }

    /** Lower case, checked to be a DNS name: the one spelling hosts are compared and cached in. */
    static String normalise(String host) {
        Objects.requireNonNull(host, "host");
        String name = host.toLowerCase(Locale.ROOT);
        if (!HOST.matcher(name).matches()) {
            throw new IllegalArgumentException("not a DNS host name: '" + printable(host) + "'");
        }
        return name;
    }

    /** At most 100 printable ASCII characters of what was given, so a message stays one readable line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 100; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private boolean fresh(X509Certificate leaf, Instant now) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) {
            return false;
        }
        // A leaf cut short by the CA's own end cannot be bettered: keep it rather than re-sign on every call.
        boolean cutByCa = !notAfter.isBefore(certificate.getNotAfter().toInstant().minusSeconds(1));
        return cutByCa || !notAfter.isBefore(now.plus(RENEW_BEFORE));
    }
}
