package jp.sekisho.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IdP's keys change and its server goes away; Sekisho follows without a restart. */
class KeyRotationTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void keysLoadedWhileTheIdpIsUp() throws Exception {
        proxy.start();
    }

    @Test
    void tokenSignedWithARotatedKeyIsAcceptedAfterARefetch() throws Exception {
        int fetchesBefore = proxy.idp.jwksFetches();
        proxy.clock.advance(Duration.ofSeconds(11)); // beyond the minimum refetch interval
        proxy.idp.rotateRsa("rsa-2");

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals(200, response.status(), response.body());
        assertEquals(fetchesBefore + 1, proxy.idp.jwksFetches());
    }

    @Test
    void inventedKeyIdsDoNotMakeTheProxyHammerTheIdp() throws Exception {
        proxy.clock.advance(Duration.ofSeconds(11));
        int fetchesBefore = proxy.idp.jwksFetches();
        for (int i = 0; i < 5; i++) {
            String token = proxy.idp.sign(JWSAlgorithm.RS256, "invented-" + i,
                    proxy.idp.claims("sato", "shimin-ka").build(), h -> { });
            ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token);
            assertEquals("token-key-unknown", new JsonObject(response.body()).getString("error"));
        }
        assertEquals(fetchesBefore + 1, proxy.idp.jwksFetches(), "one refetch per interval, not one per token");
        assertTrue(proxy.management("/metrics").body()
                .contains("sekisho_jwks_refresh_total{issuer=\"test\",result=\"rate-limited\"} 4.0"));
    }

    @Test
    void knownKeysKeepServingWhileTheIdpIsUnreachable() throws Exception {
        proxy.idp.setReachable(false);
        proxy.clock.advance(Duration.ofSeconds(11));
        // an unknown kid forces a refetch attempt, which fails: the old keys stay
        String unknown = proxy.idp.sign(JWSAlgorithm.RS256, "rsa-9", proxy.idp.claims("sato", "shimin-ka").build(),
                h -> { });
        assertEquals(401, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + unknown).status());

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));

        assertEquals(200, response.status(), response.body());
        assertEquals(200, proxy.management("/readyz").status(), "keys are loaded, so still ready");
    }
}
