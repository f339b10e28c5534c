package jp.sekisho.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies EdDSA (Ed25519) JWS signatures with Bouncy Castle's lightweight API; nimbus
 * leaves Ed25519 to an optional external library.
 */
final class Ed25519JwsVerifier implements JWSVerifier {

    private final Ed25519PublicKeyParameters publicKey;
    private final JCAContext jcaContext = new JCAContext();

    Ed25519JwsVerifier(OctetKeyPair key) throws JOSEException {
        if (!Curve.Ed25519.equals(key.getCurve())) {
            throw new JOSEException("only Ed25519 keys are supported for EdDSA");
        }
        this.publicKey = new Ed25519PublicKeyParameters(key.getX().decode(), 0);
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, publicKey);
        signer.update(signingInput, 0, signingInput.length);
        return signer.verifySignature(signature.decode());
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
