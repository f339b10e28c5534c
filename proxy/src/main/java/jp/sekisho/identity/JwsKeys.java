package jp.sekisho.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Choosing the published key that verifies a JWS, and the verifier for it: shared by user
 * tokens and device posture tokens so both refuse the same confusions (HMAC with a public key,
 * a key of the wrong type or curve, an ambiguous key without a {@code kid}).
 */
public final class JwsKeys {

    private JwsKeys() {
    }

    /** The key the header names, if it can verify that algorithm; by elimination when no kid is given. */
    public static JWK select(JWKSet keys, JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        String kid = header.getKeyID();
        JWK chosen = null;
        for (JWK key : keys.getKeys()) {
            if (!fits(key, alg) || (kid != null && !kid.equals(key.getKeyID()))) {
                continue;
            }
            if (chosen != null) {
                return null; // ambiguous without a kid
            }
            chosen = key;
        }
        return chosen;
    }

    private static boolean fits(JWK key, JWSAlgorithm alg) {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return false;
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
            return false;
        }
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return key instanceof RSAKey;
        }
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            return key instanceof ECKey ec && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
        }
        if (JWSAlgorithm.EdDSA.equals(alg)) {
            return key instanceof OctetKeyPair;
        }
        return false; // HMAC and anything else: never with keys published by an issuer
    }

    public static JWSVerifier verifier(JWK key, JWSAlgorithm alg) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519JwsVerifier(okp);
        }
        throw new JOSEException("no verifier for " + alg);
    }

}
