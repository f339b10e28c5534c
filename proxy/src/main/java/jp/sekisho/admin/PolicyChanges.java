package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
 * What every policy change goes through, whichever endpoint asked: the administrator's reach,
 * the entity tag, the comment, the checks, then storing and serving it (or holding it for a
 * second administrator), and the answer: the new version, 202, 412 or 422 with every error.
 */
final class PolicyChanges {

    private static final int MAX_COMMENT = 500;

    private final PolicyReloader policy;
    private final ProxyMetrics metrics;
    private final ChangeApproval approval;
    private final AdminApi api;
    private final ParsedVersions versions;

    PolicyChanges(PolicyReloader policy, ProxyMetrics metrics, ChangeApproval approval, AdminApi api,
                  ParsedVersions versions) {
        this.versions = versions;
        this.policy = policy;
        this.metrics = metrics;
        this.approval = approval;
        this.api = api;
        approval.applyWith(this);
    }

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
                if (!name.startsWith("app ")) {
                    ctx.response().putHeader("etag", stored.etag());
                    AdminReply.json(ctx, 200, reply);
                    return;
                }
                // The app's new entity tag, so the next change to it can follow without reading again.
                versions.appYaml(stored, target).onComplete(yaml -> {
                    if (yaml.succeeded() && yaml.result() != null) {
                        reply.put("appEtag", etagOf(yaml.result()));
                        ctx.response().putHeader("etag", etagOf(yaml.result()));
                    }
                    AdminReply.json(ctx, 200, reply);
                });
            } else if (ar.cause() instanceof VersionConflict conflict) {
                metrics.policyChange("conflict");
                AdminReply.error(ctx, 412, "version-conflict", conflict.getMessage()
                        + "; read it again and reapply your change");
            } else {
                invalid(ctx, admin, ar.cause(), edit, name, submitted);
            }
        });
    }

    void invalid(RoutingContext ctx, Administrator admin, Throwable cause, PolicyText.Edit edit, String name,
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

    /** Runs {@code action} with versions {@code from} and {@code to}; 404 when either does not exist. */
    void withVersions(RoutingContext ctx, long from, long to,
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
        latestParsed(ctx, (current, doc) -> {
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
    void wholeDocument(RoutingContext ctx, Administrator admin, DocumentAction action) {
        latestParsed(ctx, (current, doc) -> {
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

    /** Runs {@code action} with the newest version and its document, or answers why it cannot be read. */
    void latestParsed(RoutingContext ctx, DocumentAction action) {
        latest(ctx).onSuccess(current -> versions.of(current).onComplete(ar -> {
            if (ar.succeeded()) {
                action.run(current, ar.result());
            } else {
                AdminReply.error(ctx, 500, "stored-policy-unreadable", "version " + current.label() + " cannot be read");
            }
        }));
    }

    ParsedVersions versions() {
        return versions;
    }

    /**
     * Makes an edited document on a worker thread (a splice re-reads the whole document, which
     * for a prefecture's thousand apps is too long for the event loop), then runs {@code then}
     * with it back on the event loop; answers 422 with every error when the edit cannot be made.
     */
    void edited(RoutingContext ctx, java.util.concurrent.Callable<PolicyText.Edit> edit,
                java.util.function.Consumer<PolicyText.Edit> then) {
        versions.vertx().executeBlocking(edit, false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else if (ar.cause() instanceof ConfigException invalid) {
                AdminReply.invalid(ctx, invalid.errors());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    boolean matches(RoutingContext ctx, String etag) {
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

    static boolean criticalYaml(String yaml) {
        try {
            return critical(PolicyText.parse("app", yaml).root());
        } catch (ConfigException e) {
            return false;
        }
    }

    static JsonObject meta(PolicyVersion v, Administrator admin) {
        return new JsonObject().put("number", v.number()).put("version", v.label()).put("sha256", v.sha256())
                .put("author", v.author()).put("createdAt", v.createdAt().toString()).put("comment", v.comment())
                .put("rollbackOf", v.rollbackOf().orElse(null));
    }
}
