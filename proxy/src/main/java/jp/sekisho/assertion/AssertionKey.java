package jp.sekisho.assertion;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Path;
import jp.sekisho.storage.SigningKeys;

/**
 * The proxy's ES256 key for signing identity assertions: generated on first start into the
 * data directory (owner-readable only) and reused after, so upstreams keep trusting it.
 */
public final class AssertionKey {

    static final String FILE_NAME = "assertion-signing-key.jwk.json";

    private AssertionKey() {
    }

    /** Loads the key from {@code keysDir}, creating it first if there is none. Blocking. */
    public static ECKey loadOrCreate(Path keysDir) throws IOException {
        return SigningKeys.loadOrCreate(keysDir.resolve(FILE_NAME), "assertion signing");
    }

    /** The public half, as served at {@code /.well-known/sekisho/jwks.json}. */
    public static String publicJwks(ECKey key) {
        return new JWKSet(key.toPublicJWK()).toString();
    }
}
