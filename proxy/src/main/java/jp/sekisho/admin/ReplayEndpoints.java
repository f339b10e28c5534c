package jp.sekisho.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.replay.AuditReplay;
import jp.sekisho.audit.replay.ReplayReportJson;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.policy.replay.ReplayOptions;

/**
 * Replay before apply: what a draft would have decided differently for the requests this
 * replica recorded. {@code POST /api/v1/apps/{id}/replay} takes the app's draft YAML and replays
 * that app's records; {@code POST /api/v1/policy/replay} takes a whole document (for those who
 * reach every app). Nothing is stored; the run is audited.
 */
final class ReplayEndpoints implements Endpoints {

    private final Vertx vertx;
    private final PolicyReloader policy;
    private final PolicyChanges changes;
    private final Path trail;
    private final ZoneId zone;
    private AdminApi api;

    ReplayEndpoints(Vertx vertx, PolicyReloader policy, PolicyChanges changes, Path trail, ZoneId zone) {
        this.vertx = vertx;
        this.policy = policy;
        this.changes = changes;
        this.trail = trail;
        this.zone = zone;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        this.api = api;
        router.post("/api/v1/apps/:id/replay").handler(api.as(AdminRole.POLICY_EDITOR, this::replayApp));
        router.post("/api/v1/policy/replay").handler(api.as(AdminRole.POLICY_EDITOR, this::replayPolicy));
    }

    private void replayApp(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        ReplayOptions options = options(ctx, body);
        if (options == null) {
            return;
        }
        if (body.getString("yaml") == null) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"yaml\": \"the app's draft\", \"from\", \"to\"}");
            return;
        }
        changes.withApp(ctx, admin, (current, doc, app) -> changes.edited(ctx,
                () -> doc.replaceApp(app.id(), body.getString("yaml")),
                edit -> run(ctx, admin, "app " + app.id(), edit, body.getString("yaml"),
                        options.forApp(Optional.of(app.id())))));
    }

    private void replayPolicy(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        ReplayOptions options = options(ctx, body);
        if (options == null) {
            return;
        }
        String draft = body.getString("draft");
        if (draft == null) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"draft\": \"the whole policy document\", \"from\", \"to\"}");
            return;
        }
        changes.wholeDocument(ctx, admin, (current, doc) ->
                run(ctx, admin, "policy (draft)", new PolicyText.Edit(draft, 0), draft, options));
    }

    private void run(RoutingContext ctx, Administrator admin, String name, PolicyText.Edit edit, String submitted,
                     ReplayOptions options) {
        policy.check(name, edit.text())
                .compose(checked -> vertx.executeBlocking(() -> {
                    AuditReplay.Result result = AuditReplay.replay(trail, checked.policy(), options);
                    StringWriter out = new StringWriter();
                    ReplayReportJson.write(result, zone, out);
                    return out.toString();
                }, false))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        changes.invalid(ctx, admin, ar.cause(), edit, name, submitted);
                        return;
                    }
                    api.record(admin, ctx, "policy-replay", name.startsWith("app ") ? "app" : "policy",
                            name, options.from().map(Instant::toString).orElse("") + " to "
                                    + options.to().map(Instant::toString).orElse(""));
                    ctx.response().setStatusCode(200).putHeader("content-type", "application/json; charset=utf-8")
                            .end(ar.result());
                });
    }

    /** The period and the number of examples asked for, or null after answering 400. */
    private static ReplayOptions options(RoutingContext ctx, JsonObject body) {
        if (body == null) {
            AdminReply.error(ctx, 400, "bad-request", "send a JSON object");
            return null;
        }
        try {
            Optional<Instant> from = Optional.ofNullable(body.getString("from"))
                    .map(t -> ExportFilter.instant("from", t, ExportFilter.DEFAULT_ZONE));
            Optional<Instant> to = Optional.ofNullable(body.getString("to"))
                    .map(t -> ExportFilter.instant("to", t, ExportFilter.DEFAULT_ZONE));
            int examples = body.getInteger("examples", 10);
            return ReplayOptions.ALL.between(from, to).withExamples(examples);
        } catch (IllegalArgumentException | ClassCastException e) {
            AdminReply.error(ctx, 400, "bad-request", e.getMessage());
            return null;
        }
    }
}
