package jp.sekisho.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Editing the file changes the policy; a broken edit changes nothing and says why. */
class PolicyReloadTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private int statusFor(String user, String group) throws Exception {
        return proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token(user, group)).status();
    }

    @Test
    void validEditTakesEffectOnTheNextRequest() throws Exception {
        assertEquals(403, statusFor("suzuki", "soumu-ka"));
        String before = proxy.server().policy().get().version();

        proxy.writeConfig(proxy.config("").replace("groups: [shimin-ka]", "groups: [shimin-ka, soumu-ka]"));
        assertTrue(proxy.server().policy().checkNow().await(10, TimeUnit.SECONDS));

        assertEquals(200, statusFor("suzuki", "soumu-ka"));
        String after = proxy.server().policy().get().version();
        assertFalse(before.equals(after), "a new policy version serves");
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_policy_info{version=\"" + after + "\"} 1"), metrics);
        assertFalse(metrics.contains("sekisho_policy_info{version=\"" + before + "\"}"), "one version serves at a time");
        JsonObject change = proxy.stopAndReadAudit().stream().map(JsonObject::new)
                .filter(r -> "admin".equals(r.getString("kind"))).findFirst().orElseThrow();
        assertEquals("policy-apply", change.getString("action"));
        assertEquals(after, change.getJsonObject("target").getString("id"));
        assertEquals("before " + before + " after " + after + ": edited on disk", change.getString("reason"));
    }

    @Test
    void invalidEditIsRefusedAndTheLastGoodPolicyKeepsServing() throws Exception {
        String before = proxy.server().policy().get().version();

        proxy.writeConfig(proxy.config("").replace("groups: [shimin-ka]", "groups: [shimin-ka, soumu-ka]")
                .replace("upstream: ", "upstreem: "));
        assertFalse(proxy.server().policy().checkNow().await(10, TimeUnit.SECONDS));

        assertEquals(before, proxy.server().policy().get().version());
        assertEquals(403, statusFor("suzuki", "soumu-ka"), "the refused edit would have let suzuki in");
        assertEquals(200, statusFor("sato", "shimin-ka"));
        JsonObject ready = new JsonObject(proxy.management("/readyz").body());
        JsonObject lastReload = ready.getJsonObject("lastReload");
        assertFalse(lastReload.getBoolean("succeeded"));
        assertTrue(lastReload.getJsonArray("errors").getString(0).contains("sekisho.yaml:"), lastReload.encode());
        assertTrue(lastReload.encode().contains("unknown field 'upstreem'"), lastReload.encode());
        assertTrue(proxy.management("/metrics").body()
                .contains("sekisho_policy_reloads_total{result=\"failure\"} 1.0"));
        JsonObject refusal = proxy.stopAndReadAudit().stream().map(JsonObject::new)
                .filter(r -> "admin".equals(r.getString("kind"))).findFirst().orElseThrow();
        assertEquals("policy-refuse", refusal.getString("action"));
        assertEquals(before, refusal.getJsonObject("target").getString("id"), "the version that kept serving");
        assertTrue(refusal.getString("reason").matches("\\d+ error\\(s\\), first: .*sekisho\\.yaml:\\d+:\\d+: .*"),
                refusal.encode());
    }

    @Test
    void unchangedFileIsNotReloaded() throws Exception {
        assertFalse(proxy.server().policy().checkNow().await(10, TimeUnit.SECONDS));
    }
}
