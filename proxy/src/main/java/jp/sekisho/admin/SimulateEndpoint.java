package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.simulate.SimulatedRequest;
import jp.sekisho.policy.simulate.Simulation;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.posture.DevicePosture;

/**
 * {@code POST /api/v1/simulate}: what the serving policy (or a draft sent along) decides for one
 * request an administrator describes. A request that reaches an app out of the administrator's
 * reach is answered as if no app served it.
 */
public final class SimulateEndpoint implements Endpoints {

    private final PolicyReloader policy;
    private final Clock clock;

    public SimulateEndpoint(PolicyReloader policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        router.post("/api/v1/simulate").handler(api.as(AdminRole.VIEWER, this::simulate));
    }

    private void simulate(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        SimulatedRequest request;
        try {
            request = request(body);
        } catch (IllegalArgumentException | ClassCastException e) {
            AdminReply.error(ctx, 400, "bad-request", e.getMessage() + "; send {\"host\", \"path\", \"method\","
                    + " \"user\", \"groups\": [], \"methods\": [], \"authAgeSeconds\", \"from\", \"at\", \"draft\"}");
            return;
        }
        String draft = body.getString("draft");
        Future<PolicySnapshot> target = draft == null ? Future.succeededFuture(policy.get())
                : policy.check("draft", draft).map(checked -> checked.policy());
        target.onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof ConfigException invalid) {
                    AdminReply.invalid(ctx, invalid.errors());
                } else {
                    ctx.fail(ar.cause());
                }
                return;
            }
            Simulation.Result result = Simulation.run(ar.result(), request);
            if (result.app().isPresent()
                    && !admin.reaches(ar.result().app(result.app().get()).flatMap(jp.sekisho.policy.App::tenant))) {
                result = new Simulation.Result(Optional.empty(), result.segment(),
                        Decision.deny(jp.sekisho.policy.Reason.APP_UNKNOWN, ar.result().version()));
            }
            Decision d = result.decision();
            AdminReply.json(ctx, 200, new JsonObject().put("app", result.app().orElse(null))
                    .put("segment", result.segment().orElse(null)).put("decision", d.outcome().code())
                    .put("reasons", new JsonArray(d.reasons().stream().map(r -> r.code()).toList()))
                    .put("rule", d.ruleId().orElse(null)).put("policyVersion", d.policyVersion()));
        });
    }

    private SimulatedRequest request(JsonObject body) {
        if (body == null || body.getString("host") == null) {
            throw new IllegalArgumentException("host is required");
        }
        Instant at = clock.instant();
        if (body.getString("at") != null) {
            try {
                at = OffsetDateTime.parse(body.getString("at")).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("at is a time with its offset, e.g. 2026-11-24T10:00:00+09:00");
            }
        }
        return new SimulatedRequest(body.getString("host").toLowerCase(Locale.ROOT), body.getString("path", "/"),
                body.getString("method", "GET").toUpperCase(Locale.ROOT), Optional.ofNullable(body.getString("user")),
                Set.copyOf(strings(body.getJsonArray("groups"))), strings(body.getJsonArray("methods")),
                Optional.ofNullable(body.getLong("authAgeSeconds")).map(Duration::ofSeconds),
                Optional.ofNullable(body.getString("from")), at, DevicePosture.unknown());
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add((String) v));
        }
        return out;
    }
}
