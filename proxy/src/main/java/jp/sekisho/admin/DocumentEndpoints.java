package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.policy.edit.PolicyText;

/**
 * The whole policy document, for administrators who reach every app in it: read, check,
 * replace, versions, diff and rollback, with {@code If-Match} on the version's entity tag.
 */
final class DocumentEndpoints implements Endpoints {

    private static final String YAML = "application/yaml";

    private final PolicyReloader policy;
    private final PolicyChanges changes;

    DocumentEndpoints(PolicyReloader policy, PolicyChanges changes) {
        this.policy = policy;
        this.changes = changes;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        router.get("/api/v1/policy").handler(api.as(AdminRole.VIEWER, this::getPolicy));
        router.put("/api/v1/policy").handler(api.as(AdminRole.POLICY_EDITOR, this::putPolicy));
        router.post("/api/v1/policy/check").handler(api.as(AdminRole.VIEWER, this::checkPolicy));
        router.get("/api/v1/policy/versions").handler(api.as(AdminRole.VIEWER, this::versions));
        router.get("/api/v1/policy/versions/:number").handler(api.as(AdminRole.VIEWER, this::version));
        router.get("/api/v1/policy/diff").handler(api.as(AdminRole.VIEWER, this::diff));
        router.post("/api/v1/policy/rollback").handler(api.as(AdminRole.POLICY_EDITOR, this::rollback));
    }

    private void getPolicy(RoutingContext ctx, Administrator admin) {
        changes.wholeDocument(ctx, admin, (current, doc) -> AdminReply.text(ctx, YAML, current.etag(), current.text()));
    }

    private void putPolicy(RoutingContext ctx, Administrator admin) {
        String text = ctx.body().asString();
        changes.wholeDocument(ctx, admin, (current, doc) -> {
            if (!changes.matches(ctx, current.etag())) {
                return;
            }
            boolean critical = doc.apps().stream().anyMatch(a -> PolicyChanges.critical(a.node()));
            changes.edited(ctx, () -> {
                PolicyText.parse("policy", text); // a syntax error is answered with its line before anything else
                return new PolicyText.Edit(text, 0);
            }, edit -> changes.change(ctx, admin, current, edit, "policy", text, "policy-apply", "policy", critical));
        });
    }

    private void checkPolicy(RoutingContext ctx, Administrator admin) {
        String text = ctx.body().asString();
        changes.wholeDocument(ctx, admin, (current, doc) -> policy.check("policy (proposed)", text).onComplete(ar -> {
            if (ar.failed()) {
                changes.invalid(ctx, admin, ar.cause(), new PolicyText.Edit(text, 0), "policy", text);
                return;
            }
            AdminReply.json(ctx, 200, new JsonObject().put("valid", true)
                    .put("findings", PolicyChecks.findings(ar.result(), text, null))
                    .put("diff", PolicyDiff.unified("policy (" + current.label() + ")", current.text(),
                            "policy (proposed)", text)));
        }));
    }

    private void versions(RoutingContext ctx, Administrator admin) {
        int limit = AdminRequest.limit(ctx);
        changes.wholeDocument(ctx, admin, (current, doc) -> policy.store().history(limit).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray versions = new JsonArray();
            ar.result().forEach(v -> versions.add(PolicyChanges.meta(v, admin)));
            AdminReply.json(ctx, 200, new JsonObject().put("versions", versions));
        }));
    }

    private void version(RoutingContext ctx, Administrator admin) {
        long number = AdminRequest.longParam(ctx, "number", -1);
        changes.wholeDocument(ctx, admin, (current, doc) -> policy.store().version(number).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                AdminReply.notFound(ctx, "version " + number);
            } else {
                AdminReply.text(ctx, YAML, ar.result().get().etag(), ar.result().get().text());
            }
        }));
    }

    private void diff(RoutingContext ctx, Administrator admin) {
        changes.wholeDocument(ctx, admin, (current, doc) -> {
            long to = AdminRequest.longParam(ctx, "to", current.number());
            long from = AdminRequest.longParam(ctx, "from", to - 1);
            changes.withVersions(ctx, from, to, (a, b) -> AdminReply.text(ctx, "text/x-diff", null,
                    PolicyDiff.unified("policy " + a.label(), a.text(), "policy " + b.label(), b.text())));
        });
    }

    private void rollback(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        if (body == null || !(body.getValue("to") instanceof Number)) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"to\": VERSION, \"comment\": \"why\"}");
            return;
        }
        long to = body.getLong("to");
        changes.wholeDocument(ctx, admin, (current, doc) -> {
            if (!changes.matches(ctx, current.etag())) {
                return;
            }
            policy.store().version(to).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else if (ar.result().isEmpty()) {
                    AdminReply.notFound(ctx, "version " + to);
                } else {
                    ctx.put("rollbackOf", to);
                    ctx.put("comment", "rollback to v" + to
                            + (body.getString("comment", "").isBlank() ? "" : ": " + body.getString("comment")));
                    changes.change(ctx, admin, current, new PolicyText.Edit(ar.result().get().text(), 0), "policy",
                            ar.result().get().text(), "policy-rollback", "policy",
                            doc.apps().stream().anyMatch(a -> PolicyChanges.critical(a.node())));
                }
            });
        });
    }
}
