package jp.sekisho.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.logging.Logger;
import jp.sekisho.storage.PrivateFiles;

/**
 * The proxy's ES256 key for signing identity assertions: generated on first start into the
 * data directory (owner-readable only) and reused after, so upstreams keep trusting it.
 */
public final class AssertionKey {

    private static final Logger LOG = Logger.getLogger(AssertionKey.class.getName());
    static final String FILE_NAME = "assertion-signing-key.jwk.json";

    private AssertionKey() {
    }

    /** Loads the key from {@code keysDir}, creating it first if there is none. Blocking. */
    public static ECKey loadOrCreate(Path keysDir) throws IOException {
        Path file = keysDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            try {
                ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                    throw new IOException(file + " is not a private P-256 key");
                }
                return key;
            } catch (ParseException e) {
                throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
            }
        }
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IOException("cannot generate a P-256 key", e);
        }
        PrivateFiles.write(file, key.toJSONString());
        LOG.info("generated a new assertion signing key " + key.getKeyID() + " in " + file);
        return key;
    }

    /** The public half, as served at {@code /.well-known/sekisho/jwks.json}. */
    public static String publicJwks(ECKey key) {
        return new JWKSet(key.toPublicJWK()).toString();
    }
}
