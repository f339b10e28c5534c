package jp.sekisho.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.Identity;

/**
 * What a browser session holds: only what decisions need, small enough for a cookie.
 *
 * @param id          session id, for revocation
 * @param identity    who signed in, with methods and auth_time from the ID token
 * @param issuedAt    when the session began
 * @param expiresAt   when it ends regardless of activity
 * @param lastSeen    last activity, for the idle timeout (refreshed at most every few minutes)
 * @param stepUpApp   the app a step-up was last attempted for, if any (the loop guard)
 * @param stepUpAt    when that step-up was attempted
 */
public record Session(String id, Identity identity, Instant issuedAt, Instant expiresAt, Instant lastSeen,
                      Optional<String> stepUpApp, Optional<Instant> stepUpAt) {

    byte[] toBytes() {
        Identity i = identity;
        JsonObject json = new JsonObject()
                .put("sid", id).put("iss", i.issuer()).put("sub", i.subject()).put("usr", i.username())
                .put("grp", new JsonArray(new ArrayList<>(new TreeSet<>(i.groups()))))
                .put("amr", new JsonArray(i.amr()))
                .put("mth", new JsonArray(new ArrayList<>(new TreeSet<>(i.methods()))))
                .put("iat", issuedAt.getEpochSecond()).put("exp", expiresAt.getEpochSecond())
                .put("seen", lastSeen.getEpochSecond());
        i.acr().ifPresent(acr -> json.put("acr", acr));
        if (!i.claims().isEmpty()) {
            JsonObject claims = new JsonObject();
            i.claims().forEach((name, values) -> claims.put(name, new JsonArray(values)));
            json.put("clm", claims);
        }
        i.authTime().ifPresent(t -> json.put("at", t.getEpochSecond()));
        stepUpApp.ifPresent(app -> json.put("sua", app));
        stepUpAt.ifPresent(t -> json.put("sut", t.getEpochSecond()));
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }

    static Session fromBytes(byte[] bytes) {
        JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        Instant expiresAt = Instant.ofEpochSecond(json.getLong("exp"));
        Identity identity = new Identity(json.getString("iss"), json.getString("sub"), json.getString("usr"),
                Set.copyOf(strings(json.getJsonArray("grp"))), strings(json.getJsonArray("amr")),
                Set.copyOf(strings(json.getJsonArray("mth"))), Optional.ofNullable(json.getString("acr")),
                Optional.ofNullable(json.getLong("at")).map(Instant::ofEpochSecond), expiresAt,
                claims(json.getJsonObject("clm")));
        return new Session(json.getString("sid"), identity, Instant.ofEpochSecond(json.getLong("iat")), expiresAt,
                Instant.ofEpochSecond(json.getLong("seen")), Optional.ofNullable(json.getString("sua")),
                Optional.ofNullable(json.getLong("sut")).map(Instant::ofEpochSecond));
    }

    private static java.util.Map<String, List<String>> claims(JsonObject json) {
        if (json == null) {
            return java.util.Map.of();
        }
        java.util.Map<String, List<String>> claims = new java.util.HashMap<>();
        json.forEach(entry -> claims.put(entry.getKey(), strings((JsonArray) entry.getValue())));
        return claims;
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>(array.size());
        array.forEach(v -> out.add((String) v));
        return out;
    }

    Session seenAt(Instant now) {
        return new Session(id, identity, issuedAt, expiresAt, now, stepUpApp, stepUpAt);
    }
}
