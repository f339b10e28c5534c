package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.store.Digests;
import jp.sekisho.store.NewVersion;
import jp.sekisho.store.PolicyVersion;
import jp.sekisho.store.VersionConflict;

/**
 * Apps and their policy: list, read, check, change, delete, history, diff and rollback, one app
 * at a time within the administrator's tenants; the whole document for administrators who reach
 * every app. Changes carry optimistic concurrency: {@code If-Match} with the app's (or the
 * document's) entity tag, 412 when it moved on, 428 when missing.
 */
public final class PolicyEndpoints {

    private static final String YAML = "application/yaml";
    private static final int MAX_COMMENT = 500;

    private final PolicyReloader policy;
    private final ProxyMetrics metrics;
    private final ChangeApproval approval;
    private AdminApi api;

    public PolicyEndpoints(PolicyReloader policy, ProxyMetrics metrics, ChangeApproval approval) {
        this.policy = policy;
        this.metrics = metrics;
        this.approval = approval;
    }

    void mount(Router router, AdminApi api) {
        this.api = api;
        router.get("/api/v1/apps").handler(api.as(AdminRole.VIEWER, this::listApps));
        router.post("/api/v1/apps").handler(api.as(AdminRole.POLICY_EDITOR, this::createApp));
        router.get("/api/v1/apps/:id").handler(api.as(AdminRole.VIEWER, this::getApp));
        router.put("/api/v1/apps/:id").handler(api.as(AdminRole.POLICY_EDITOR, this::putApp));
        router.delete("/api/v1/apps/:id").handler(api.as(AdminRole.POLICY_EDITOR, this::deleteApp));
        router.post("/api/v1/apps/:id/check").handler(api.as(AdminRole.VIEWER, this::checkApp));
        router.get("/api/v1/apps/:id/history").handler(api.as(AdminRole.VIEWER, this::appHistory));
        router.get("/api/v1/apps/:id/diff").handler(api.as(AdminRole.VIEWER, this::appDiff));
        router.post("/api/v1/apps/:id/rollback").handler(api.as(AdminRole.POLICY_EDITOR, this::rollbackApp));
        router.get("/api/v1/policy").handler(api.as(AdminRole.VIEWER, this::getPolicy));
        router.put("/api/v1/policy").handler(api.as(AdminRole.POLICY_EDITOR, this::putPolicy));
        router.post("/api/v1/policy/check").handler(api.as(AdminRole.VIEWER, this::checkPolicy));
        router.get("/api/v1/policy/versions").handler(api.as(AdminRole.VIEWER, this::versions));
        router.get("/api/v1/policy/versions/:number").handler(api.as(AdminRole.VIEWER, this::version));
        router.get("/api/v1/policy/diff").handler(api.as(AdminRole.VIEWER, this::diff));
        router.post("/api/v1/policy/rollback").handler(api.as(AdminRole.POLICY_EDITOR, this::rollback));
        approval.mount(router, api, this);
    }

    // ---- apps -------------------------------------------------------------------------------

    private void listApps(RoutingContext ctx, Administrator admin) {
        latest(ctx).onSuccess(current -> {
            PolicyText doc = parse(ctx, current);
            if (doc == null) {
                return;
            }
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
        withApp(ctx, admin, (current, doc, app) -> {
            ctx.response().putHeader("etag", etag(app));
            if (wantsYaml(ctx)) {
                AdminReply.text(ctx, YAML, etag(app), app.yaml());
            } else {
                AdminReply.json(ctx, 200, summary(app).put("yaml", app.yaml()).put("etag", etag(app))
                        .put("version", current.label()));
            }
        });
    }

    private void putApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        withApp(ctx, admin, (current, doc, app) -> {
            if (!matches(ctx, etag(app))) {
                return;
            }
            PolicyText.Edit edit = replaced(ctx, admin, doc, app, yaml);
            if (edit == null) {
                return;
            }
            change(ctx, admin, current, edit, "app " + app.id(), yaml, "policy-app-change", app.id(),
                    critical(app.node()) || criticalYaml(yaml));
        });
    }

    private void createApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        latest(ctx).onSuccess(current -> {
            PolicyText doc = parse(ctx, current);
            if (doc == null) {
                return;
            }
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
            PolicyText.Edit edit;
            try {
                edit = doc.addApp(yaml);
            } catch (ConfigException e) {
                AdminReply.invalid(ctx, e.errors());
                return;
            }
            change(ctx, admin, current, edit, "app " + id, yaml, "policy-app-create", id, criticalYaml(yaml));
        });
    }

    private void deleteApp(RoutingContext ctx, Administrator admin) {
        withApp(ctx, admin, (current, doc, app) -> {
            if (!matches(ctx, etag(app))) {
                return;
            }
            PolicyText.Edit edit;
            try {
                edit = doc.removeApp(app.id());
            } catch (ConfigException e) {
                AdminReply.invalid(ctx, e.errors());
                return;
            }
            change(ctx, admin, current, edit, "app " + app.id(), "", "policy-app-delete", app.id(),
                    critical(app.node()));
        });
    }

    private void checkApp(RoutingContext ctx, Administrator admin) {
        String yaml = ctx.body().asString();
        withApp(ctx, admin, (current, doc, app) -> {
            PolicyText.Edit edit = replaced(ctx, admin, doc, app, yaml);
            if (edit == null) {
                return;
            }
            String name = "app " + app.id();
            policy.check(name, edit.text()).onComplete(ar -> {
                if (ar.failed()) {
                    invalid(ctx, admin, ar.cause(), edit, name, yaml);
                    return;
                }
                AdminReply.json(ctx, 200, new JsonObject().put("valid", true)
                        .put("findings", PolicyChecks.findings(ar.result(), edit.text(), app.id()))
                        .put("diff", PolicyDiff.unified(name + " (" + current.label() + ")", app.yaml(),
                                name + " (proposed)", yaml)));
            });
        });
    }

    private void appHistory(RoutingContext ctx, Administrator admin) {
        int limit = limit(ctx);
        withApp(ctx, admin, (current, doc, app) -> policy.store().history(limit * 4).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            // The versions in which this app changed, newest first: what its administrators may see.
            JsonArray versions = new JsonArray();
            List<PolicyVersion> all = ar.result();
            for (int i = 0; i < all.size() && versions.size() < limit; i++) {
                String here = appYaml(all.get(i), app.id());
                String before = i + 1 < all.size() ? appYaml(all.get(i + 1), app.id()) : null;
                if (here != null && !here.equals(before)) {
                    versions.add(meta(all.get(i), admin));
                }
            }
            AdminReply.json(ctx, 200, new JsonObject().put("app", app.id()).put("versions", versions));
        }));
    }

    private void appDiff(RoutingContext ctx, Administrator admin) {
        withApp(ctx, admin, (current, doc, app) -> {
            long to = longParam(ctx, "to", current.number());
            long from = longParam(ctx, "from", to - 1);
            withVersions(ctx, from, to, (a, b) -> {
                String before = Optional.ofNullable(appYaml(a, app.id())).orElse("");
                String after = Optional.ofNullable(appYaml(b, app.id())).orElse("");
                AdminReply.text(ctx, "text/x-diff", null, PolicyDiff.unified("app " + app.id() + " (" + a.label()
                        + ")", before, "app " + app.id() + " (" + b.label() + ")", after));
            });
        });
    }

    private void rollbackApp(RoutingContext ctx, Administrator admin) {
        JsonObject body = jsonBody(ctx);
        if (body == null || !(body.getValue("to") instanceof Number)) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"to\": VERSION, \"comment\": \"why\"}");
            return;
        }
        long to = body.getLong("to");
        withApp(ctx, admin, (current, doc, app) -> {
            if (!matches(ctx, etag(app))) {
                return;
            }
            policy.store().version(to).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                    return;
                }
                String old = ar.result().map(v -> appYaml(v, app.id())).orElse(null);
                if (old == null) {
                    AdminReply.notFound(ctx, "app " + app.id() + " in version " + to);
                    return;
                }
                PolicyText.Edit edit;
                try {
                    edit = doc.replaceApp(app.id(), old);
                } catch (ConfigException e) {
                    AdminReply.invalid(ctx, e.errors());
                    return;
                }
                ctx.put("comment", "rollback of app " + app.id() + " to v" + to
                        + (body.getString("comment", "").isBlank() ? "" : ": " + body.getString("comment")));
                change(ctx, admin, current, edit, "app " + app.id(), old, "policy-app-rollback", app.id(),
                        critical(app.node()));
            });
        });
    }

    // ---- the whole document -----------------------------------------------------------------

    private void getPolicy(RoutingContext ctx, Administrator admin) {
        wholeDocument(ctx, admin, (current, doc) -> AdminReply.text(ctx, YAML, current.etag(), current.text()));
    }

    private void putPolicy(RoutingContext ctx, Administrator admin) {
        String text = ctx.body().asString();
        wholeDocument(ctx, admin, (current, doc) -> {
            if (!matches(ctx, current.etag())) {
                return;
            }
            try {
                PolicyText.parse("policy", text);
            } catch (ConfigException e) {
                AdminReply.invalid(ctx, e.errors());
                return;
            }
            boolean critical = doc.apps().stream().anyMatch(a -> critical(a.node()));
            change(ctx, admin, current, new PolicyText.Edit(text, 0), "policy", text, "policy-apply", "policy", critical);
        });
    }

    private void checkPolicy(RoutingContext ctx, Administrator admin) {
        String text = ctx.body().asString();
        wholeDocument(ctx, admin, (current, doc) -> policy.check("policy (proposed)", text).onComplete(ar -> {
            if (ar.failed()) {
                invalid(ctx, admin, ar.cause(), new PolicyText.Edit(text, 0), "policy", text);
                return;
            }
            AdminReply.json(ctx, 200, new JsonObject().put("valid", true)
                    .put("findings", PolicyChecks.findings(ar.result(), text, null))
                    .put("diff", PolicyDiff.unified("policy (" + current.label() + ")", current.text(),
                            "policy (proposed)", text)));
        }));
    }

    private void versions(RoutingContext ctx, Administrator admin) {
        int limit = limit(ctx);
        wholeDocument(ctx, admin, (current, doc) -> policy.store().history(limit).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray versions = new JsonArray();
            ar.result().forEach(v -> versions.add(meta(v, admin)));
            AdminReply.json(ctx, 200, new JsonObject().put("versions", versions));
        }));
    }

    private void version(RoutingContext ctx, Administrator admin) {
        long number = longParam(ctx, "number", -1);
        wholeDocument(ctx, admin, (current, doc) -> policy.store().version(number).onComplete(ar -> {
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
        wholeDocument(ctx, admin, (current, doc) -> {
            long to = longParam(ctx, "to", current.number());
            long from = longParam(ctx, "from", to - 1);
            withVersions(ctx, from, to, (a, b) -> AdminReply.text(ctx, "text/x-diff", null,
                    PolicyDiff.unified("policy " + a.label(), a.text(), "policy " + b.label(), b.text())));
        });
    }

    private void rollback(RoutingContext ctx, Administrator admin) {
        JsonObject body = jsonBody(ctx);
        if (body == null || !(body.getValue("to") instanceof Number)) {
            AdminReply.error(ctx, 400, "bad-request", "send {\"to\": VERSION, \"comment\": \"why\"}");
            return;
        }
        long to = body.getLong("to");
        wholeDocument(ctx, admin, (current, doc) -> {
            if (!matches(ctx, current.etag())) {
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
                    change(ctx, admin, current, new PolicyText.Edit(ar.result().get().text(), 0), "policy",
                            ar.result().get().text(), "policy-rollback", "policy",
                            doc.apps().stream().anyMatch(a -> critical(a.node())));
                }
            });
        });
    }

    // ---- applying ---------------------------------------------------------------------------

    /**
     * Checks, then stores and serves a changed document, or (two-person rule) holds it for a
     * second administrator. Answers 200 with the new version, 202 when held, 422 with every
     * error, 412 when someone else changed the policy in between.
     */
    void change(RoutingContext ctx, Administrator admin, PolicyVersion base, PolicyText.Edit edit, String name,
                String submitted, String action, String target, boolean critical) {
        String comment = ctx.get("comment") != null ? ctx.get("comment") : comment(ctx);
        if (comment == null) {
            return;
        }
        Long rollbackOf = ctx.get("rollbackOf");
        NewVersion change = new NewVersion(edit.text(), admin.name(), comment, Optional.ofNullable(rollbackOf));
        if (critical && approval.required()) {
            policy.check(name, edit.text()).onComplete(ar -> {
                if (ar.failed()) {
                    invalid(ctx, admin, ar.cause(), edit, name, submitted);
                    return;
                }
                approval.hold(ctx, admin, base, change, action, target);
            });
            return;
        }
        apply(ctx, admin, base, change, edit, name, submitted, action, target);
    }

    /** Stores and serves {@code change} on top of {@code base}, answering the administrator. */
    void apply(RoutingContext ctx, Administrator admin, PolicyVersion base, NewVersion change, PolicyText.Edit edit,
               String name, String submitted, String action, String target) {
        policy.apply(base.number(), change, AdminApi.source(ctx)).onComplete(ar -> {
            if (ar.succeeded()) {
                metrics.policyChange("applied");
                PolicyVersion stored = ar.result();
                api.record(admin, ctx, action, "app".equals(name.split(" ")[0]) ? "app" : "policy", target,
                        "before " + base.label() + " after " + stored.label() + ": " + change.comment());
                JsonObject reply = new JsonObject().put("version", stored.label()).put("number", stored.number())
                        .put("etag", stored.etag());
                if (name.startsWith("app ")) {
                    String yaml = appYaml(stored, target);
                    if (yaml != null) {
                        reply.put("appEtag", etagOf(yaml));
                        ctx.response().putHeader("etag", etagOf(yaml));
                    }
                } else {
                    ctx.response().putHeader("etag", stored.etag());
                }
                AdminReply.json(ctx, 200, reply);
            } else if (ar.cause() instanceof VersionConflict conflict) {
                metrics.policyChange("conflict");
                AdminReply.error(ctx, 412, "version-conflict", conflict.getMessage()
                        + "; read it again and reapply your change");
            } else {
                invalid(ctx, admin, ar.cause(), edit, name, submitted);
            }
        });
    }

    private void invalid(RoutingContext ctx, Administrator admin, Throwable cause, PolicyText.Edit edit, String name,
                         String submitted) {
        if (!(cause instanceof ConfigException invalid)) {
            ctx.fail(cause);
            return;
        }
        metrics.policyChange("invalid");
        int lines = (int) submitted.lines().count();
        List<ConfigError> errors = new ArrayList<>();
        for (ConfigError error : invalid.errors()) {
            ConfigError located = edit.inApp(error, name, lines);
            boolean inSubmitted = located.file().equals(name) || edit.firstLine() == 0;
            // Another tenant's app is not described to this administrator, not even in an error.
            errors.add(inSubmitted || admin.global() ? located : new ConfigError(name, 0, 0, "",
                    "the change conflicts with a part of the policy outside your apps (for example a host or path"
                            + " another app serves)"));
        }
        AdminReply.invalid(ctx, errors);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Runs {@code action} with versions {@code from} and {@code to}; 404 when either does not exist. */
    private void withVersions(RoutingContext ctx, long from, long to,
                              java.util.function.BiConsumer<PolicyVersion, PolicyVersion> action) {
        Future.all(policy.store().version(from), policy.store().version(to)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Optional<PolicyVersion> a = ar.result().resultAt(0);
            Optional<PolicyVersion> b = ar.result().resultAt(1);
            if (a.isEmpty() || b.isEmpty()) {
                AdminReply.notFound(ctx, "version " + (a.isEmpty() ? from : to));
            } else {
                action.accept(a.get(), b.get());
            }
        });
    }

    interface AppAction {
        void run(PolicyVersion current, PolicyText doc, PolicyText.AppEntry app);
    }

    interface DocumentAction {
        void run(PolicyVersion current, PolicyText doc);
    }

    /** Runs {@code action} on the app named in the path when it exists and is in reach; 404 otherwise. */
    void withApp(RoutingContext ctx, Administrator admin, AppAction action) {
        String id = ctx.pathParam("id");
        latest(ctx).onSuccess(current -> {
            PolicyText doc = parse(ctx, current);
            if (doc == null) {
                return;
            }
            Optional<PolicyText.AppEntry> app = doc.app(id);
            if (app.isEmpty()) {
                AdminReply.notFound(ctx, "app " + id);
            } else if (!admin.reaches(app.get().tenant())) {
                api.outOfReach(admin, ctx, "app", id);
            } else {
                action.run(current, doc, app.get());
            }
        });
    }

    /**
     * The whole document is for administrators who reach every app in it: global administrators,
     * and in a deployment without tenants every administrator.
     */
    private void wholeDocument(RoutingContext ctx, Administrator admin, DocumentAction action) {
        latest(ctx).onSuccess(current -> {
            PolicyText doc = parse(ctx, current);
            if (doc == null) {
                return;
            }
            boolean reachesAll = admin.global()
                    || (admin.tenants().isEmpty() && doc.apps().stream().allMatch(a -> a.tenant().isEmpty()));
            if (!reachesAll) {
                api.outOfReach(admin, ctx, "policy", "whole document");
            } else {
                action.run(current, doc);
            }
        });
    }

    Future<PolicyVersion> latest(RoutingContext ctx) {
        return policy.store().latest().map(Optional::orElseThrow).onFailure(e -> {
            if (!ctx.response().ended()) {
                AdminReply.error(ctx, 503, "store-unavailable", "the policy store cannot be read now: " + e.getMessage());
            }
        });
    }

    private static PolicyText parse(RoutingContext ctx, PolicyVersion version) {
        try {
            return PolicyText.parse("policy " + version.label(), version.text());
        } catch (ConfigException e) {
            AdminReply.error(ctx, 500, "stored-policy-unreadable", "version " + version.label() + " cannot be read");
            return null;
        }
    }

    /** The app's YAML in a version, or null when it has no such app. */
    static String appYaml(PolicyVersion version, String id) {
        try {
            return PolicyText.parse("policy", version.text()).app(id).map(PolicyText.AppEntry::yaml).orElse(null);
        } catch (ConfigException e) {
            return null;
        }
    }

    /** The document with the app replaced by {@code yaml}, or null after answering why not. */
    private static PolicyText.Edit replaced(RoutingContext ctx, Administrator admin, PolicyText doc,
                                            PolicyText.AppEntry app, String yaml) {
        Optional<String> problem = ownership(admin, app.id(), yaml);
        if (problem.isPresent()) {
            AdminReply.error(ctx, 422, "app-not-yours", problem.get());
            return null;
        }
        try {
            return doc.replaceApp(app.id(), yaml);
        } catch (ConfigException e) {
            AdminReply.invalid(ctx, e.errors());
            return null;
        }
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

    private boolean matches(RoutingContext ctx, String etag) {
        String ifMatch = ctx.request().getHeader("if-match");
        if (ifMatch == null) {
            AdminReply.error(ctx, 428, "if-match-required", "send If-Match with the ETag you read, so a change made"
                    + " meanwhile by someone else is not overwritten");
            return false;
        }
        if (!ifMatch.trim().equals(etag) && !ifMatch.trim().equals("*")) {
            metrics.policyChange("conflict");
            ctx.response().putHeader("etag", etag);
            AdminReply.error(ctx, 412, "version-conflict", "it changed since you read it (now " + etag
                    + "); read it again and reapply your change");
            return false;
        }
        return true;
    }

    /** The change's comment ({@code X-Sekisho-Comment}, percent-encoded UTF-8), or null after answering 400. */
    private static String comment(RoutingContext ctx) {
        String header = ctx.request().getHeader("x-sekisho-comment");
        String comment;
        try {
            comment = header == null ? "" : java.net.URLDecoder.decode(header, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // Thrown inside a future's callback it would leave the request unanswered.
            AdminReply.error(ctx, 400, "bad-comment", "the comment must be percent-encoded UTF-8 (a % as %25)");
            return null;
        }
        if (comment.length() > MAX_COMMENT || comment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            AdminReply.error(ctx, 400, "bad-comment", "the comment must be at most " + MAX_COMMENT
                    + " characters, on one line");
            return null;
        }
        return comment;
    }

    static String etag(PolicyText.AppEntry app) {
        return etagOf(app.yaml());
    }

    static String etagOf(String yaml) {
        return "\"app-" + Digests.sha256(yaml).substring(0, 16) + "\"";
    }

    static boolean critical(com.fasterxml.jackson.databind.JsonNode app) {
        return app.path("critical").asBoolean(false);
    }

    private static boolean criticalYaml(String yaml) {
        try {
            return critical(PolicyText.parse("app", yaml).root());
        } catch (ConfigException e) {
            return false;
        }
    }

    private static JsonObject summary(PolicyText.AppEntry app) {
        com.fasterxml.jackson.databind.JsonNode node = app.node();
        JsonArray hosts = new JsonArray();
        node.path("hosts").forEach(h -> hosts.add(h.asText()));
        return new JsonObject().put("id", app.id()).put("name", node.path("name").asText(app.id()))
                .put("tenant", app.tenant().orElse(null)).put("owner", node.path("owner").asText(null))
                .put("critical", critical(node)).put("preset", node.path("model").path("preset").asText(null))
                .put("hosts", hosts).put("etag", etag(app));
    }

    private static JsonObject meta(PolicyVersion v, Administrator admin) {
        return new JsonObject().put("number", v.number()).put("version", v.label()).put("sha256", v.sha256())
                .put("author", v.author()).put("createdAt", v.createdAt().toString()).put("comment", v.comment())
                .put("rollbackOf", v.rollbackOf().orElse(null));
    }

    private static boolean wantsYaml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("accept");
        return accept != null && accept.contains("yaml");
    }

    static JsonObject jsonBody(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int limit(RoutingContext ctx) {
        return (int) Math.max(1, Math.min(500, longParam(ctx, "limit", 50)));
    }

    private static long longParam(RoutingContext ctx, String name, long fallback) {
        String value = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.request().getParam(name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
