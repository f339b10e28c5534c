package jp.sekisho.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.logging.Logger;
import jp.sekisho.storage.PrivateFiles;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The Ed25519 key that signs audit checkpoints. The private half stays in the data directory
 * (owner-readable only); the public half is written beside it for auditors, who should keep
 * their own copy: a verifier that trusts a key found next to the records proves little.
 */
public final class AuditKey {

    public static final String FILE_NAME = "audit-signing-key.jwk.json";
    public static final String PUBLIC_FILE_NAME = "audit-signing-key.pub.jwk.json";

    private static final Logger LOG = Logger.getLogger(AuditKey.class.getName());

    private final Ed25519PrivateKeyParameters privateKey;
    private final OctetKeyPair publicJwk;

    private AuditKey(Ed25519PrivateKeyParameters privateKey, OctetKeyPair publicJwk) {
        this.privateKey = privateKey;
        this.publicJwk = publicJwk;
    }

    /** Loads the key from {@code keysDir}, creating it (and its public file) first if there is none. Blocking. */
    public static AuditKey loadOrCreate(Path keysDir) throws IOException {
        Path file = keysDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            try {
                OctetKeyPair jwk = OctetKeyPair.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!jwk.isPrivate() || !Curve.Ed25519.equals(jwk.getCurve())) {
                    throw new IOException(file + " is not a private Ed25519 key");
                }
                return new AuditKey(new Ed25519PrivateKeyParameters(jwk.getD().decode(), 0), jwk.toPublicJWK());
            } catch (ParseException e) {
                throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
            }
        }
        Ed25519PrivateKeyParameters generated = new Ed25519PrivateKeyParameters(new SecureRandom());
        OctetKeyPair jwk;
        try {
            OctetKeyPair unnamed = new OctetKeyPair.Builder(Curve.Ed25519,
                    Base64URL.encode(generated.generatePublicKey().getEncoded()))
                    .d(Base64URL.encode(generated.getEncoded())).keyUse(KeyUse.SIGNATURE).build();
            jwk = new OctetKeyPair.Builder(unnamed).keyID(unnamed.computeThumbprint().toString()).build();
        } catch (JOSEException e) {
            throw new IOException("cannot name the audit key", e);
        }
        PrivateFiles.write(file, jwk.toJSONString());
        Files.writeString(keysDir.resolve(PUBLIC_FILE_NAME), jwk.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
        LOG.info("generated a new audit signing key " + jwk.getKeyID() + " in " + file + "; give auditors "
                + keysDir.resolve(PUBLIC_FILE_NAME));
        return new AuditKey(generated, jwk.toPublicJWK());
    }

    /** Reads a public key as auditors keep it (the {@value #PUBLIC_FILE_NAME} file). */
    public static OctetKeyPair readPublic(Path file) throws IOException {
        try {
            OctetKeyPair jwk = OctetKeyPair.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!Curve.Ed25519.equals(jwk.getCurve())) {
                throw new IOException(file + " is not an Ed25519 key");
            }
            return jwk.toPublicJWK();
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return publicJwk.getKeyID();
    }

    public OctetKeyPair publicJwk() {
        return publicJwk;
    }

    /** The Ed25519 signature of {@code input}, base64url. */
    String sign(byte[] input) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(input, 0, input.length);
        return Base64URL.encode(signer.generateSignature()).toString();
    }

    static boolean verify(OctetKeyPair publicKey, byte[] input, String signature) {
        try {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(false, new Ed25519PublicKeyParameters(publicKey.getX().decode(), 0));
            signer.update(input, 0, input.length);
            return signer.verifySignature(new Base64URL(signature).decode());
        } catch (RuntimeException e) {
            return false; // a mangled signature or key is simply not a valid signature
        }
    }
}
