package jp.sekisho.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.sekisho.device.PostureTokenSigner;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureJson;
import jp.sekisho.storage.SigningKeys;

/**
 * A posture service for tests: its own ES256 key, its public keys in a JWKS file the proxy is
 * configured with, and device posture tokens signed the production way (or deliberately
 * wrong, for the refusal tests).
 */
public final class TestPostureService {

    public static final String ISSUER = "https://posture.test.lg.jp";

    private final MutableClock clock;
    private final ECKey key;
    private final Path jwksFile;
    private final PostureTokenSigner signer;

    public TestPostureService(Path dir, MutableClock clock) throws IOException, JOSEException {
        this.clock = clock;
        Files.createDirectories(dir);
        this.key = SigningKeys.loadOrCreate(dir.resolve("posture-signing-key.jwk.json"), "test posture");
        this.jwksFile = dir.resolve("posture-jwks.json");
        Files.writeString(jwksFile, new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
        this.signer = new PostureTokenSigner(key, ISSUER);
    }

    /** The {@code devicePosture} settings that trust this service (YAML, top level). */
    public String settings() {
        return """
                devicePosture:
                  issuers:
                    - id: test-mdm
                      issuer: %s
                      jwksFile: %s
                """.formatted(ISSUER, jwksFile);
    }

    /** A healthy managed Windows terminal, observed by MDM an hour ago and by EDR a minute ago. */
    public DeviceFacts healthy(String deviceId) {
        Instant now = clock.instant();
        return new DeviceFacts(deviceId, Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Defender", true, DeviceFacts.Risk.LOW)), Optional.of(true),
                Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.22631.4460").orElseThrow(), Optional.of(12))),
                Map.of("mdm", now.minusSeconds(3600), "edr", now.minusSeconds(60)));
    }

    /** A token for these facts, issued now, valid for five minutes. */
    public String token(DeviceFacts facts) throws JOSEException {
        return signer.sign(facts, List.of("sekisho"), clock.instant(), Duration.ofMinutes(5), Optional.empty());
    }

    /** A token bound to a device certificate. */
    public String boundToken(DeviceFacts facts, String thumbprint) throws JOSEException {
        return signer.sign(facts, List.of("sekisho"), clock.instant(), Duration.ofMinutes(5), Optional.of(thumbprint));
    }

    /** A token with every field chosen by the test, signed with {@code signingKey} (this service's when null). */
    public String custom(String type, String issuer, String audience, Instant issuedAt, Duration lifetime,
                         DeviceFacts facts, ECKey signingKey) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(facts.deviceId()).audience(audience)
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(PostureJson.CLAIM, new com.fasterxml.jackson.databind.ObjectMapper()
                        .convertValue(PostureJson.write(facts, true), Map.class))
                .build();
        ECKey signing = signingKey == null ? key : signingKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type))
                .keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(signing));
        return jwt.serialize();
    }
}
