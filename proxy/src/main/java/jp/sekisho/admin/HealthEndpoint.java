package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.identity.IssuerKeys;
import jp.sekisho.store.PolicyVersion;
import jp.sekisho.store.StoreStatus;

/**
 * {@code GET /api/v1/health}: how this replica is doing, for the console's health page: the
 * policy version it serves and since when, whether it reaches the policy store, how its last
 * reload went, and whether each issuer's keys are loaded. The management listener's
 * {@code /readyz} says the same to load balancers; this one is behind the admin sign-in.
 */
final class HealthEndpoint implements Endpoints {

    private final PolicyReloader policy;
    private final Map<String, IssuerKeys> issuers;
    private final String replica;

    HealthEndpoint(PolicyReloader policy, Map<String, IssuerKeys> issuers, String replica) {
        this.policy = policy;
        this.issuers = issuers;
        this.replica = replica;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        router.get("/api/v1/health").handler(api.as(AdminRole.VIEWER, (ctx, admin) -> answer(ctx)));
    }

    private void answer(RoutingContext ctx) {
        PolicyVersion serving = policy.serving().version();
        StoreStatus store = policy.store().status();
        PolicyReloader.LastAttempt last = policy.lastAttempt();
        JsonArray keys = new JsonArray();
        issuers.values().stream().sorted(java.util.Comparator.comparing(IssuerKeys::issuerId)).forEach(k -> keys.add(
                new JsonObject().put("id", k.issuerId()).put("keysLoaded", k.loaded())
                        .put("lastRefresh", k.lastSuccess() == null ? null : k.lastSuccess().toString())));
        AdminReply.json(ctx, 200, new JsonObject()
                .put("replica", replica)
                .put("policy", new JsonObject().put("version", serving.label()).put("number", serving.number())
                        .put("createdAt", serving.createdAt().toString()).put("author", serving.author()))
                .put("policyStore", new JsonObject().put("kind", store.kind()).put("connected", store.connected())
                        .put("since", store.since().toString()).put("lastError", store.lastError().orElse(null)))
                .put("lastReload", new JsonObject().put("at", last.at().toString()).put("succeeded", last.succeeded())
                        .put("errors", new JsonArray(last.errors())))
                .put("issuers", keys));
    }
}
