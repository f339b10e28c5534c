package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.summary.AppSummary;

/**
 * One app at a time, within the administrator's tenants: list, read, check, change, create,
 * delete, history, diff and rollback. Changes carry optimistic concurrency: {@code If-Match}
 * with the app's entity tag, 412 when it moved on, 428 when missing.
 */
final class AppEndpoints implements Endpoints {

    private static final String YAML = "application/yaml";

    private final PolicyReloader policy;
    private final PolicyChanges changes;

    AppEndpoints(PolicyReloader policy, PolicyChanges changes) {
        this.policy = policy;
        this.changes = changes;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        router.get("/api/v1/apps").handler(api.as(AdminRole.VIEWER, this::listApps));
        router.post("/api/v1/apps").handler(api.as(AdminRole.POLICY_EDITOR, this::createApp));
        router.get("/api/v1/apps/:id").handler(api.as(AdminRole.VIEWER, this::getApp));
        router.put("/api/v1/apps/:id").handler(api.as(AdminRole.POLICY_EDITOR, this::putApp));
        router.delete("/api/v1/apps/:id").handler(api.as(AdminRole.POLICY_EDITOR, this::deleteApp));
        router.post("/api/v1/apps/:id/check").handler(api.as(AdminRole.VIEWER, this::checkApp));
        router.get("/api/v1/apps/:id/history").handler(api.as(AdminRole.VIEWER, this::appHistory));
        router.get("/api/v1/apps/:id/diff").handler(api.as(AdminRole.VIEWER, this::appDiff));
        router.post("/api/v1/apps/:id/rollback").handler(api.as(AdminRole.POLICY_EDITOR, this::rollbackApp));
    }

    private void listApps(RoutingContext ctx, Administrator admin) {
        changes.latestParsed(ctx, (current, doc) -> {
            JsonArray apps = new JsonArray();
            for (PolicyText.AppEntry app : doc.apps()) {
                if (admin.reaches(app.tenant())) {
                    apps.add(summary(app));
                }
            }
            AdminReply.json(ctx, 200, new JsonObject().put("version", current.label()).put("apps", apps));
        });
    }

    private void getApp(RoutingContext ctx, Administrator admin) {
        changes.withApp(ctx, admin, (current, doc, app) -> {
            ctx.response().putHeader("etag", PolicyChanges.etag(app));
            if (AdminRequest.wantsYaml(ctx)) {
                AdminReply.text(ctx, YAML, PolicyChanges.etag(app), app.yaml());
            } else {
                AdminReply.json(ctx, 200, summary(app).put("yaml", app.yaml()).put("etag", PolicyChanges.etag(app))
                        .put("version", current.label()));
            }
        });
    }

    private void putApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        changes.withApp(ctx, admin, (current, doc, app) -> {
            if (!changes.matches(ctx, PolicyChanges.etag(app))) {
                return;
            }
            if (!owned(ctx, admin, app.id(), yaml)) {
                return;
            }
            changes.edited(ctx, () -> doc.replaceApp(app.id(), yaml), edit -> changes.change(ctx, admin, current, edit,
                    "app " + app.id(), yaml, "policy-app-change", app.id(),
                    PolicyChanges.critical(app.node()) || PolicyChanges.criticalYaml(yaml)));
        });
    }

    private void createApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        changes.latestParsed(ctx, (current, doc) -> {
            String id;
            try {
                id = PolicyText.parse("app", yaml).root().path("id").asText("");
            } catch (ConfigException e) {
                AdminReply.invalid(ctx, e.errors());
                return;
            }
            if (id.isEmpty()) {
                AdminReply.invalid(ctx, List.of(new ConfigError("app", 1, 1, "id", "the app needs an id")));
                return;
            }
            Optional<PolicyText.AppEntry> existing = doc.app(id);
            if (existing.isPresent()) {
                // Saying "taken" would tell another tenant's administrator the app exists.
                String message = admin.reaches(existing.get().tenant()) ? "app " + id + " exists already: change it"
                        + " with PUT /api/v1/apps/" + id : "app id " + id + " cannot be used; choose another";
                AdminReply.error(ctx, 409, "app-id-unavailable", message);
                return;
            }
            Optional<String> problem = ownership(admin, id, yaml);
            if (problem.isPresent()) {
                AdminReply.error(ctx, 422, "app-not-yours", problem.get());
                return;
            }
            if (ctx.request().getHeader("if-none-match") == null) {
                ctx.response().putHeader("x-sekisho-note", "send If-None-Match: * to be sure the id is new");
            }
            changes.edited(ctx, () -> doc.addApp(yaml), edit -> changes.change(ctx, admin, current, edit, "app " + id,
                    yaml, "policy-app-create", id, PolicyChanges.criticalYaml(yaml)));
        });
    }

    private void deleteApp(RoutingContext ctx, Administrator admin) {
        changes.withApp(ctx, admin, (current, doc, app) -> {
            if (!changes.matches(ctx, PolicyChanges.etag(app))) {
                return;
            }
            changes.edited(ctx, () -> doc.removeApp(app.id()), edit -> changes.change(ctx, admin, current, edit,
                    "app " + app.id(), "", "policy-app-delete", app.id(), PolicyChanges.critical(app.node())));
        });
    }

    private void checkApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        changes.withApp(ctx, admin, (current, doc, app) -> {
            if (!owned(ctx, admin, app.id(), yaml)) {
                return;
            }
            String name = "app " + app.id();
            changes.edited(ctx, () -> doc.replaceApp(app.id(), yaml), edit -> policy.check(name, edit.text()).onComplete(ar -> {
                if (ar.failed()) {
                    changes.invalid(ctx, admin, ar.cause(), edit, name, yaml);
                    return;
                }
                AdminReply.json(ctx, 200, new JsonObject().put("valid", true)
                        .put("findings", PolicyChecks.findings(ar.result(), edit.text(), app.id()))
                        .put("diff", PolicyDiff.unified(name + " (" + current.label() + ")", app.yaml(),
                                name + " (proposed)", yaml)));
            }));
        });
    }

    private void appHistory(RoutingContext ctx, Administrator admin) {
        int limit = AdminRequest.limit(ctx);
        changes.withApp(ctx, admin, (current, doc, app) -> policy.store().history(limit * 4)
                .compose(all -> Future.all(all.stream().map(v -> changes.versions().appYaml(v, app.id())).toList())
                        .map(yamls -> {
                            // The versions in which this app changed, newest first: what its administrators may see.
                            JsonArray versions = new JsonArray();
                            for (int i = 0; i < all.size() && versions.size() < limit; i++) {
                                String here = yamls.resultAt(i);
                                String before = i + 1 < all.size() ? yamls.resultAt(i + 1) : null;
                                if (here != null && !here.equals(before)) {
                                    versions.add(PolicyChanges.meta(all.get(i), admin));
                                }
                            }
                            return versions;
                        }))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                    } else {
                        AdminReply.json(ctx, 200, new JsonObject().put("app", app.id()).put("versions", ar.result()));
                    }
                }));
    }

    private void appDiff(RoutingContext ctx, Administrator admin) {
        changes.withApp(ctx, admin, (current, doc, app) -> {
            long to = AdminRequest.longParam(ctx, "to", current.number());
            long from = AdminRequest.longParam(ctx, "from", to - 1);
            changes.withVersions(ctx, from, to, (a, b) -> Future.all(changes.versions().appYaml(a, app.id()),
                    changes.versions().appYaml(b, app.id())).onComplete(ar -> {
                        if (ar.failed()) {
                            ctx.fail(ar.cause());
                            return;
                        }
                        String before = Optional.ofNullable(ar.result().<String>resultAt(0)).orElse("");
                        String after = Optional.ofNullable(ar.result().<String>resultAt(1)).orElse("");
                        AdminReply.text(ctx, "text/x-diff", null, PolicyDiff.unified("app " + app.id() + " ("
                                + a.label() + ")", before, "app " + app.id() + " (" + b.label() + ")", after));
                    }));
        });
    }

    private void rollbackApp(RoutingContext ctx, Administrator admin) {
        JsonObject body = AdminRequest.jsonBody(ctx);
        if (body == null || !(body.getValue("to") instanceof Number)) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"to\": VERSION, \"comment\": \"why\"}");
            return;
        }
        long to = body.getLong("to");
        changes.withApp(ctx, admin, (current, doc, app) -> {
            if (!changes.matches(ctx, PolicyChanges.etag(app))) {
                return;
            }
            policy.store().version(to).compose(version -> version.isEmpty() ? Future.succeededFuture((String) null)
                    : changes.versions().appYaml(version.get(), app.id())).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                    return;
                }
                String old = ar.result();
                if (old == null) {
                    AdminReply.notFound(ctx, "app " + app.id() + " in version " + to);
                    return;
                }
                ctx.put("comment", "rollback of app " + app.id() + " to v" + to
                        + (body.getString("comment", "").isBlank() ? "" : ": " + body.getString("comment")));
                changes.edited(ctx, () -> doc.replaceApp(app.id(), old), edit -> changes.change(ctx, admin, current,
                        edit, "app " + app.id(), old, "policy-app-rollback", app.id(), PolicyChanges.critical(app.node())));
            });
        });
    }

    /** True when {@code yaml} keeps the app's id and stays within the administrator's reach; else answers 422. */
    private static boolean owned(RoutingContext ctx, Administrator admin, String id, String yaml) {
        Optional<String> problem = ownership(admin, id, yaml);
        problem.ifPresent(why -> AdminReply.error(ctx, 422, "app-not-yours", why));
        return problem.isEmpty();
    }

    /** Administrators may not move an app out of their reach, nor rename it by editing. */
    private static Optional<String> ownership(Administrator admin, String id, String yaml) {
        PolicyText fragment;
        try {
            fragment = PolicyText.parse("app", yaml);
        } catch (ConfigException e) {
            return Optional.empty(); // the syntax error is reported by the check itself
        }
        if (!fragment.root().path("id").asText("").equals(id)) {
            return Optional.of("the app's id must stay " + id + " (create a new app to use another id)");
        }
        Optional<String> tenant = fragment.root().hasNonNull("tenant")
                ? Optional.of(fragment.root().path("tenant").asText()) : Optional.empty();
        if (!admin.reaches(tenant)) {
            return Optional.of(tenant.map(t -> "tenant " + t + " is not one of yours")
                    .orElse("set tenant to your 団体コード (" + String.join(", ", admin.tenants()) + ")"));
        }
        return Optional.empty();
    }

    /**
     * What lists and pages show of an app: its fields as written, and, from the policy serving
     * now, a plain-language summary of what it asks ({@code summary.ja}, {@code summary.en}) and the
     * segments it admits from.
     */
    private JsonObject summary(PolicyText.AppEntry app) {
        com.fasterxml.jackson.databind.JsonNode node = app.node();
        JsonArray hosts = new JsonArray();
        node.path("hosts").forEach(h -> hosts.add(h.asText()));
        JsonObject summary = new JsonObject().put("id", app.id()).put("name", node.path("name").asText(app.id()))
                .put("tenant", app.tenant().orElse(null)).put("owner", node.path("owner").asText(null))
                .put("critical", PolicyChanges.critical(node)).put("preset", node.path("model").isTextual() ? node.path("model").asText()
                        : node.path("model").path("preset").asText(null))
                .put("hosts", hosts).put("etag", PolicyChanges.etag(app));
        PolicySnapshot serving = policy.get();
        serving.app(app.id()).ifPresent(compiled -> {
            AppSummary readable = AppSummary.of(compiled, serving.segments());
            summary.put("summary", new JsonObject().put("ja", readable.ja()).put("en", readable.en()))
                    .put("segments", new JsonArray(List.copyOf(readable.segments())));
        });
        return summary;
    }
}
