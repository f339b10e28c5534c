package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import jp.sekisho.device.OperatorText;
import jp.sekisho.device.Quarantine;
import jp.sekisho.device.QuarantineActions;
import jp.sekisho.session.Revocations;

/**
 * What security operators do to people and devices, within their tenant: quarantine and
 * release (in force on every replica within a second), and ending browser sessions.
 */
public final class OperatorEndpoints implements Endpoints {


    private final QuarantineActions quarantine;
    private final Revocations revocations;
    private final Clock clock;
    private final Duration sessionLifetime;
    private AdminApi api;

    /** @param sessionLifetime how long a revoked session id must be remembered (its longest life) */
    public OperatorEndpoints(QuarantineActions quarantine, Revocations revocations, Clock clock,
                             Duration sessionLifetime) {
        this.quarantine = quarantine;
        this.revocations = revocations;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        this.api = api;
        router.get("/api/v1/quarantine").handler(api.as(AdminRole.SECURITY_OPERATOR, this::list));
        router.post("/api/v1/quarantine").handler(api.as(AdminRole.SECURITY_OPERATOR, this::hold));
        router.post("/api/v1/quarantine/release").handler(api.as(AdminRole.SECURITY_OPERATOR, this::release));
        router.post("/api/v1/sessions/revoke").handler(api.as(AdminRole.SECURITY_OPERATOR, this::revoke));
    }

    private void list(RoutingContext ctx, Administrator admin) {
        JsonArray holds = new JsonArray();
        for (Quarantine.Hold hold : quarantine.quarantine().list()) {
            if (admin.reaches(hold.tenant())) {
                holds.add(hold.toJson());
            }
        }
        AdminReply.json(ctx, 200, new JsonObject().put("holds", holds));
    }

    private void hold(RoutingContext ctx, Administrator admin) {
        Target t = target(ctx);
        if (t == null) {
            return;
        }
        Optional<Quarantine.Hold> existing = quarantine.quarantine().get(t.kind(), t.id());
        if (existing.isPresent() && !admin.reaches(existing.get().tenant())) {
            api.outOfReach(admin, ctx, t.kind().code(), t.id());
            return;
        }
        Optional<String> tenant = holdTenant(ctx, admin);
        if (tenant == null) {
            return;
        }
        quarantine.hold(t.kind(), t.id(), t.reason(), admin.name(), AdminApi.source(ctx), tenant).onComplete(ar -> {
            if (ar.failed()) {
                AdminReply.error(ctx, 503, "not-saved", "the hold was not stored and is not in force: "
                        + ar.cause().getMessage());
            } else {
                AdminReply.json(ctx, 200, ar.result().hold().toJson()
                        .put("closedConnections", ar.result().closedConnections()));
            }
        });
    }

    private void release(RoutingContext ctx, Administrator admin) {
        Target t = target(ctx);
        if (t == null) {
            return;
        }
        Optional<Quarantine.Hold> existing = quarantine.quarantine().get(t.kind(), t.id());
        if (existing.isEmpty()) {
            AdminReply.notFound(ctx, t.kind().code() + " hold " + t.id());
            return;
        }
        if (!admin.reaches(existing.get().tenant())) {
            api.outOfReach(admin, ctx, t.kind().code(), t.id());
            return;
        }
        quarantine.release(t.kind(), t.id(), t.reason(), admin.name(), AdminApi.source(ctx)).onComplete(ar -> {
            if (ar.failed()) {
                AdminReply.error(ctx, 503, "not-saved", "the release was not stored; the hold is still in force");
            } else if (ar.result().isEmpty()) {
                AdminReply.notFound(ctx, t.kind().code() + " hold " + t.id());
            } else {
                AdminReply.json(ctx, 200, ar.result().get().toJson().put("released", true));
            }
        });
    }

    /**
     * Ends browser sessions: {@code {"sessionId"}} for one, {@code {"issuer", "subject"}} for
     * every session of a user.
     */
    private void revoke(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        String sessionId = body == null ? null : body.getString("sessionId");
        String issuer = body == null ? null : body.getString("issuer");
        String subject = body == null ? null : body.getString("subject");
        if (sessionId == null && (issuer == null || subject == null)) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"sessionId\"} or {\"issuer\", \"subject\"}");
            return;
        }
        var revoked = sessionId != null
                ? revocations.revokeSession(sessionId, clock.instant().plus(sessionLifetime))
                : revocations.revokeUser(issuer, subject, clock.instant());
        revoked.onComplete(ar -> {
            if (ar.failed()) {
                AdminReply.error(ctx, 503, "not-saved", "the revocation was not stored and is not in force");
                return;
            }
            api.record(admin, ctx, "session-revoke", sessionId != null ? "session" : "user",
                    sessionId != null ? sessionId : Revocations.userKey(issuer, subject), "");
            AdminReply.json(ctx, 200, new JsonObject().put("revoked", true));
        });
    }

    private record Target(Quarantine.Kind kind, String id, String reason) {
    }

    /**
     * The 団体コード a new hold belongs to: the body's {@code tenant} when it is one of the
     * administrator's, else their only one. An administrator of several must say which: a hold
     * of no tenant would be out of their own reach, unlisted and unreleasable. Null after
     * answering 400.
     */
    private static Optional<String> holdTenant(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        Object asked = body == null ? null : body.getValue("tenant");
        String theirs = String.join(", ", admin.tenants().stream().sorted().toList());
        if (asked != null) {
            if (asked instanceof String code && admin.reaches(Optional.of(code))) {
                return Optional.of(code);
            }
            AdminReply.error(ctx, 400, "bad-request", "tenant must be one of yours: " + theirs);
            return null;
        }
        if (admin.tenants().size() > 1 && !admin.global()) {
            AdminReply.error(ctx, 400, "bad-request", "say which tenant the hold belongs to (\"tenant\"): one of "
                    + theirs);
            return null;
        }
        return admin.tenants().size() == 1 ? admin.tenants().stream().findFirst() : Optional.empty();
    }

    /** The kind, id and reason in the body, or null after answering 400. */
    private static Target target(RoutingContext ctx) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        Optional<Quarantine.Kind> kind = body == null ? Optional.empty()
                : Quarantine.Kind.parse(String.valueOf(body.getValue("kind")));
        String problem = kind.isEmpty() ? "send {\"kind\": \"device\"|\"user\", \"id\", \"reason\"}" : null;
        if (problem == null) {
            problem = OperatorText.problem("id", body.getValue("id"), OperatorText.MAX_ID);
        }
        if (problem == null) {
            problem = OperatorText.problem("reason", body.getValue("reason"), OperatorText.MAX_TEXT);
        }
        if (problem != null) {
            AdminReply.error(ctx, 400, "bad-request", problem);
            return null;
        }
        return new Target(kind.get(), body.getString("id"), body.getString("reason"));
    }
}
