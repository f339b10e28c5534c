package jp.sekisho.breakout.intercept;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A leaf certificate issued by the {@link InterceptionCa} for one host, served to staff
 * terminals on an intercepted tunnel.
 *
 * @param chain the leaf first, then the interception CA
 * @param key   the leaf's private key
 */
public record IssuedCertificate(X509Certificate[] chain, PrivateKey key) {

    public IssuedCertificate {
        Objects.requireNonNull(key, "key");
        if (chain == null || chain.length < 2) {
            throw new IllegalArgumentException("a chain of the leaf and its CA is needed");
        }
        chain = chain.clone();
    }

    /** A copy: the TLS stack gets its own array, so the cached one never changes. */
    @Override
    public X509Certificate[] chain() {
        return chain.clone();
    }

    public X509Certificate leaf() {
        return chain[0];
    }
}
