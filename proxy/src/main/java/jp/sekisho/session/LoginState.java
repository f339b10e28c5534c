package jp.sekisho.session;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * What the proxy must remember between sending a browser to the IdP and its return, kept in a
 * short-lived sealed cookie rather than on the server, so any replica can finish the login.
 *
 * @param state     the OAuth {@code state}, matched against the callback
 * @param nonce     the OIDC {@code nonce}, matched against the ID token
 * @param verifier  the PKCE code verifier
 * @param returnTo  where to send the browser afterwards (a checked same-host path)
 * @param stepUpApp the app this login is a step-up for, if it is one
 * @param createdAt when the login began
 */
record LoginState(String state, String nonce, String verifier, String returnTo, Optional<String> stepUpApp,
                  Instant createdAt) {

    byte[] toBytes() {
        JsonObject json = new JsonObject().put("s", state).put("n", nonce).put("v", verifier).put("r", returnTo)
                .put("c", createdAt.getEpochSecond());
        stepUpApp.ifPresent(app -> json.put("u", app));
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }

    static LoginState fromBytes(byte[] bytes) {
        JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        return new LoginState(json.getString("s"), json.getString("n"), json.getString("v"), json.getString("r"),
                Optional.ofNullable(json.getString("u")), Instant.ofEpochSecond(json.getLong("c")));
    }
}
