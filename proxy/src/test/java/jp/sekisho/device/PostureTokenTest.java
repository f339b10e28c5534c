package jp.sekisho.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestPostureService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Device posture tokens, judged on every request through the running proxy. */
class PostureTokenTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    TestPostureService posture;
    String user;

    static String zeimuApp(String upstream) {
        return """
                  - id: zeimu
                    name: 税務システム
                    hosts: [127.0.0.1]
                    pathPrefixes: [/zeimu]
                    upstream: %s
                    allow:
                      - id: zeimu-ka
                        groups: [zeimu-ka]
                    posture:
                      managed: true
                      compliant: true
                      edr: {running: true, maxRisk: low}
                      diskEncrypted: true
                      maxObservationAgeSeconds: 86400
                """.formatted(upstream);
    }

    @BeforeEach
    void start() throws Exception {
        posture = new TestPostureService(proxy.dir.resolve("posture"), proxy.clock);
        proxy.start(proxy.configWithApps(posture.settings(), zeimuApp(proxy.upstream.url())));
        user = "Bearer " + proxy.idp.token("sato", "zeimu-ka");
    }

    private ProxyFixture.Response zeimu(String dpt) throws Exception {
        return dpt == null ? proxy.get("127.0.0.1", "/zeimu/", "Authorization", user)
                : proxy.get("127.0.0.1", "/zeimu/", "Authorization", user, "X-Sekisho-Device-Posture", dpt);
    }

    private static String error(ProxyFixture.Response response) {
        return new JsonObject(response.body()).getString("error");
    }

    @Test
    void healthyDeviceWithAValidTokenPassesAndTheTokenStaysWithTheProxy() throws Exception {
        ProxyFixture.Response response = zeimu(posture.token(posture.healthy("LG-PC-0001")));
        assertEquals(200, response.status(), response.body());
        assertNull(proxy.upstream.last().header("X-Sekisho-Device-Posture"), "the device token is not forwarded");
        assertTrue(proxy.upstream.last().header("X-Sekisho-Assertion").startsWith("eyJ"));
    }

    @Test
    void withoutATokenTheDeviceIsUnknownAndNothingIsForwarded() throws Exception {
        ProxyFixture.Response response = zeimu(null);
        assertEquals(403, response.status());
        assertEquals("device-unknown", error(response));
        assertEquals(List.of("device-unknown"), new JsonObject(response.body()).getJsonArray("failedChecks").getList());
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void appsWithoutAPostureRequirementIgnoreTheDevice() throws Exception {
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"), "X-Sekisho-Device-Posture", "not-a-token");
        assertEquals(200, response.status());
    }

    @Test
    void expiredTokenIsRefusedEvenAfterItWasAcceptedAndCached() throws Exception {
        String token = posture.token(posture.healthy("LG-PC-0001"));
        assertEquals(200, zeimu(token).status());
        proxy.clock.advance(Duration.ofMinutes(5).plusSeconds(31)); // lifetime + the 30 s skew
        String freshUser = "Bearer " + proxy.idp.token("sato", "zeimu-ka");
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/zeimu/", "Authorization", freshUser,
                "X-Sekisho-Device-Posture", token);
        assertEquals(403, response.status());
        assertEquals("device-token-expired", error(response));
    }

    @Test
    void tokenSignedForLongerThanTheCapIsRefusedWhileYoung() throws Exception {
        String token = posture.custom("dpt+jwt", TestPostureService.ISSUER, "sekisho", proxy.clock.instant(),
                Duration.ofMinutes(11), posture.healthy("LG-PC-0001"), null);
        assertEquals("device-token-lifetime-too-long", error(zeimu(token)));
    }

    @Test
    void tokenForAnotherAudienceIsRefused() throws Exception {
        String token = posture.custom("dpt+jwt", TestPostureService.ISSUER, "another-proxy", proxy.clock.instant(),
                Duration.ofMinutes(5), posture.healthy("LG-PC-0001"), null);
        assertEquals("device-token-audience-mismatch", error(zeimu(token)));
    }

    @Test
    void tokenFromAnIssuerNobodyTrustsIsRefused() throws Exception {
        String token = posture.custom("dpt+jwt", "https://self-made.example", "sekisho", proxy.clock.instant(),
                Duration.ofMinutes(5), posture.healthy("LG-PC-0001"), null);
        assertEquals("device-token-issuer-unknown", error(zeimu(token)));
    }

    @Test
    void tokenSignedWithAnotherKeyUnderTheTrustedKeyIdIsRefused() throws Exception {
        ECKey forged = new ECKeyGenerator(Curve.P_256).generate();
        String token = posture.custom("dpt+jwt", TestPostureService.ISSUER, "sekisho", proxy.clock.instant(),
                Duration.ofMinutes(5), posture.healthy("LG-PC-0001"), forged);
        assertEquals("device-token-invalid", error(zeimu(token)));
    }

    @Test
    void anIdentityTokenIsNotADevicePostureToken() throws Exception {
        String token = posture.custom("JWT", TestPostureService.ISSUER, "sekisho", proxy.clock.instant(),
                Duration.ofMinutes(5), posture.healthy("LG-PC-0001"), null);
        assertEquals("device-token-invalid", error(zeimu(token)));
    }

    @Test
    void tokenBoundToACertificateIsRefusedOnAConnectionWithoutIt() throws Exception {
        String token = posture.boundToken(posture.healthy("LG-PC-0001"), "q8lHFtOAu1hKRqNkFpGvTn0ISNNhLvWXy0SixBi8dJQ");
        assertEquals("device-token-certificate-mismatch", error(zeimu(token)));
    }

    @Test
    void staleSourceLowersTheResultInsteadOfPassingSilently() throws Exception {
        DeviceFacts healthy = posture.healthy("LG-PC-0001");
        DeviceFacts stale = new DeviceFacts(healthy.deviceId(), healthy.managed(), healthy.compliance(),
                healthy.edr(), healthy.diskEncrypted(), healthy.screenLock(), healthy.os(),
                Map.of("mdm", proxy.clock.instant().minus(Duration.ofDays(3)), "edr", proxy.clock.instant()));
        assertEquals("device-posture-stale", error(zeimu(posture.token(stale))));
    }

    @Test
    void everyUnmetCheckIsNamedToTheUserAndInTheAudit() throws Exception {
        DeviceFacts healthy = posture.healthy("LG-PC-0002");
        DeviceFacts bad = new DeviceFacts(healthy.deviceId(), healthy.managed(), DeviceFacts.Compliance.NONCOMPLIANT,
                java.util.Optional.of(new DeviceFacts.Edr("Defender", false, DeviceFacts.Risk.HIGH)),
                healthy.diskEncrypted(), healthy.screenLock(), healthy.os(), healthy.observedAt());
        ProxyFixture.Response response = zeimu(posture.token(bad));
        assertEquals(403, response.status());
        assertEquals(List.of("device-not-compliant", "device-edr-not-running", "device-edr-risk-too-high"),
                new JsonObject(response.body()).getJsonArray("failedChecks").getList());

        ProxyFixture.Response page = proxy.get("127.0.0.1", "/zeimu/", "Authorization", user,
                "X-Sekisho-Device-Posture", posture.token(bad), "Accept", "text/html");
        assertTrue(page.body().contains("ウイルス対策(EDR)が動作していません"), page.body());
        assertTrue(page.body().contains("端末に脅威が検出されています"), page.body());

        JsonObject record = new JsonObject(proxy.stopAndReadAudit().get(0));
        JsonObject device = record.getJsonObject("device");
        assertEquals("LG-PC-0002", device.getString("id"));
        assertEquals(List.of("token"), device.getJsonArray("evidence").getList());
        assertEquals("failed", device.getString("posture"));
        assertEquals(List.of("device-not-compliant", "device-edr-not-running", "device-edr-risk-too-high"),
                device.getJsonArray("failed").getList());
    }

    @Test
    void aTokenIsVerifiedOnceAndThenServedFromTheCache() throws Exception {
        String token = posture.token(posture.healthy("LG-PC-0001"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, zeimu(token).status());
        }
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_posture_token_verifications_total{result=\"valid\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_posture_results_total{app=\"zeimu\",result=\"passed\"} 3.0"), metrics);
    }

    @Test
    void aNewPostureKeyIsPickedUpWhenATokenNamesIt() throws Exception {
        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("rotated-2026-12").generate();
        java.nio.file.Path jwks = proxy.dir.resolve("posture/posture-jwks.json");
        java.nio.file.Files.writeString(jwks, new com.nimbusds.jose.jwk.JWKSet(rotated.toPublicJWK()).toString());
        java.nio.file.Files.setLastModifiedTime(jwks, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        String token = new PostureTokenSigner(rotated, TestPostureService.ISSUER).sign(posture.healthy("LG-PC-0001"),
                List.of("sekisho"), proxy.clock.instant(), Duration.ofMinutes(5), java.util.Optional.empty());
        assertEquals(200, zeimu(token).status());
    }
}
