package jp.sekisho.storage;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.logging.Logger;

/** ES256 signing keys kept as private JWK files (owner-readable only), made on first use. */
public final class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());

    private SigningKeys() {
    }

    /** Loads the private P-256 key in {@code file}, creating it first if there is none. Blocking. */
    public static ECKey loadOrCreate(Path file, String purpose) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IOException("cannot generate a P-256 key", e);
        }
        PrivateFiles.write(file, key.toJSONString());
        LOG.info("generated a new " + purpose + " key " + key.getKeyID() + " in " + file);
        return key;
    }

    /** Loads the private P-256 key in {@code file}. Blocking. */
    public static ECKey load(Path file) throws IOException {
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
}
