package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.store.NewVersion;
import jp.sekisho.store.PolicyVersion;

/**
 * The two-person rule: a change to an app marked {@code critical} is checked, then held until a
 * second administrator (not its author) approves it; it applies only if nothing else changed
 * the policy meanwhile. Held changes expire after a day.
 *
 * <p>Held changes live in this replica's memory: behind a load balancer, approve on the replica
 * that holds it (sticky sessions on the admin listener), or run one admin replica.
 */
public final class ChangeApproval implements Endpoints {

    private static final Duration EXPIRY = Duration.ofDays(1);

    private record Held(String id, Administrator author, Optional<String> tenant, PolicyVersion base,
                        NewVersion change, String action, String target, Instant at) {
    }

    private final boolean required;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private AdminApi api;
    private PolicyChanges changes;

    public ChangeApproval(boolean required, ProxyMetrics metrics, Clock clock) {
        this.required = required;
        this.metrics = metrics;
        this.clock = clock;
    }

    boolean required() {
        return required;
    }

    /** How an approved change is applied (set once by {@link PolicyChanges}). */
    void applyWith(PolicyChanges changes) {
        this.changes = changes;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        this.api = api;
        router.get("/api/v1/proposals").handler(api.as(AdminRole.VIEWER, this::list));
        router.post("/api/v1/proposals/:id/approve").handler(api.as(AdminRole.POLICY_EDITOR, this::approve));
        router.post("/api/v1/proposals/:id/reject").handler(api.as(AdminRole.POLICY_EDITOR, this::reject));
    }

    /** Holds a checked change for approval and answers 202 with its id. */
    void hold(RoutingContext ctx, Administrator author, PolicyVersion base, NewVersion change, String action,
              String target) {
        expire();
        Optional<String> tenant = tenantOf(change.text(), target).or(() -> tenantOf(base.text(), target));
        Held h = new Held(UUID.randomUUID().toString(), author, tenant, base, change, action, target, clock.instant());
        held.put(h.id(), h);
        metrics.policyChange("pending");
        api.record(author, ctx, "policy-propose", "proposal", h.id(), action + " " + target + " on " + base.label()
                + ": " + change.comment());
        AdminReply.json(ctx, 202, json(h).put("message", "the app is critical: a second administrator must approve"
                + " this change (POST /api/v1/proposals/" + h.id() + "/approve)"));
    }

    private void list(RoutingContext ctx, Administrator admin) {
        expire();
        JsonArray out = new JsonArray();
        held.values().stream().filter(h -> admin.reaches(h.tenant())).sorted(java.util.Comparator.comparing(Held::at))
                .forEach(h -> out.add(json(h)));
        AdminReply.json(ctx, 200, new JsonObject().put("proposals", out));
    }

    private void approve(RoutingContext ctx, Administrator approver) {
        Held h = reachable(ctx, approver);
        if (h == null) {
            return;
        }
        if (h.author().identity().subject().equals(approver.identity().subject())
                && h.author().identity().issuer().equals(approver.identity().issuer())) {
            AdminReply.error(ctx, 403, "same-administrator", "a change is approved by someone other than its author");
            return;
        }
        held.remove(h.id());
        metrics.policyChange("approved");
        NewVersion change = new NewVersion(h.change().text(), h.author().name(),
                h.change().comment() + " (approved by " + approver.name() + ")", h.change().rollbackOf());
        String name = h.action().startsWith("policy-app") ? "app " + h.target() : "policy";
        changes.apply(ctx, approver, h.base(), change, new PolicyText.Edit(change.text(), 0), name, "",
                h.action(), h.target());
    }

    private void reject(RoutingContext ctx, Administrator admin) {
        Held h = reachable(ctx, admin);
        if (h == null) {
            return;
        }
        held.remove(h.id());
        api.record(admin, ctx, "policy-reject", "proposal", h.id(), h.action() + " " + h.target());
        AdminReply.json(ctx, 200, json(h).put("rejected", true));
    }

    private Held reachable(RoutingContext ctx, Administrator admin) {
        expire();
        Held h = held.get(ctx.pathParam("id"));
        if (h == null) {
            AdminReply.notFound(ctx, "proposal " + ctx.pathParam("id"));
            return null;
        }
        if (!admin.reaches(h.tenant())) {
            api.outOfReach(admin, ctx, "proposal", h.id());
            return null;
        }
        return h;
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(EXPIRY);
        held.values().removeIf(h -> h.at().isBefore(cutoff));
    }

    private static Optional<String> tenantOf(String policy, String target) {
        try {
            return PolicyText.parse("policy", policy).app(target).flatMap(PolicyText.AppEntry::tenant);
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    private static JsonObject json(Held h) {
        return new JsonObject().put("id", h.id()).put("author", h.author().name()).put("action", h.action())
                .put("target", h.target()).put("base", h.base().label()).put("comment", h.change().comment())
                .put("at", h.at().toString());
    }
}
