package jp.sekisho.breakout.intercept;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server key of one intercepted host name: asks the CA for the leaf at every handshake,
 * so a re-issued leaf is served at once although Vert.x keeps the TLS context of each SNI
 * name for the life of the listener. The CA's cache makes that a map look-up.
 *
 * <p>With no host it offers nothing, so a handshake without (or with a foreign) server name
 * fails: the interceptor never presents a certificate for a name it was not asked to intercept.
 */
final class IssuingKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = Logger.getLogger(IssuingKeyManager.class.getName());
    /** Every leaf has an EC P-256 key (see {@link LeafIssuer}). */
    private static final String LEAF_KEY_TYPE = "EC";

    static final IssuingKeyManager NONE = new IssuingKeyManager(null, null);

    private final InterceptionCa ca;
    private final String host; // normalised; null: no key at all

    IssuingKeyManager(InterceptionCa ca, String host) {
        this.ca = ca;
        this.host = host;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        IssuedCertificate issued = issued(alias);
        return issued == null ? null : issued.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        IssuedCertificate issued = issued(alias);
        return issued == null ? null : issued.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String alias(String keyType) {
        return host != null && LEAF_KEY_TYPE.equals(keyType) ? host : null;
    }

    private IssuedCertificate issued(String alias) {
        if (host == null || !host.equals(alias)) {
            return null;
        }
        try {
            return ca.issue(host);
        } catch (RuntimeException e) {
            // An expired CA: the handshake fails without a certificate rather than with a stack in the TLS stack.
            LOG.log(Level.WARNING, "no certificate for intercepted host {0}: {1}", new Object[] {host, e.getMessage()});
            return null;
        }
    }
}
