package jp.sekisho.device;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.PostureJson;

/**
 * Signs device posture tokens: the reference issuer behind {@code sekisho posture issue} and
 * the demo. A posture service that a municipality already runs produces the same format
 * (docs/device-posture.md) with its own key.
 */
public final class PostureTokenSigner {

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final ECDSASigner signer;
    private final String keyId;
    private final String issuer;

    public PostureTokenSigner(ECKey key, String issuer) throws JOSEException {
        this.signer = new ECDSASigner(key);
        this.keyId = key.getKeyID();
        this.issuer = issuer;
    }

    /**
     * @param thumbprint the device certificate to bind the token to ({@code cnf.x5t#S256}), if any
     */
    @SuppressWarnings("unchecked")
    public String sign(DeviceFacts facts, List<String> audience, Instant issuedAt, Duration lifetime,
                       Optional<String> thumbprint) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(facts.deviceId())
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(PostureJson.CLAIM, MAPPER.convertValue(PostureJson.write(facts, true), Map.class));
        thumbprint.ifPresent(t -> claims.claim("cnf", Map.of("x5t#S256", t)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType(PostureTokenVerifier.TYPE)).keyID(keyId).build(), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
