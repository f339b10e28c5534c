package jp.sekisho.admin;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * The administrators' HTTP API ({@code /api/v1}, docs/admin.md). Every call is authenticated
 * (bearer token, admin role, MFA) before anything else is read; every change and every refused
 * attempt on another tenant's object lands in the audit chain.
 *
 * <p>Browsers never attach a bearer token on their own, so a cross-site page cannot make an
 * administrator's browser call this API (CSRF); no cookie is read.
 */
public final class AdminApi {

    private static final Logger LOG = Logger.getLogger(AdminApi.class.getName());
    static final int MAX_BODY = 1024 * 1024;

    private final Vertx vertx;
    private final AdminAuthenticator authenticator;
    private final AccessLog audit;
    private final ProxyMetrics metrics;
    private final Clock clock;

    public AdminApi(Vertx vertx, AdminAuthenticator authenticator, AccessLog audit, ProxyMetrics metrics,
                    Clock clock) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The router of the admin listener, with the endpoint groups mounted. */
    Router router(List<Endpoints> groups) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("cache-control", "no-store")
                    .putHeader("x-content-type-options", "nosniff")
                    .putHeader("content-security-policy", "default-src 'none'; frame-ancestors 'none'")
                    .putHeader("x-frame-options", "DENY");
            ctx.next();
        });
        router.route("/api/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false));
        router.get("/api/v1/whoami").handler(as(AdminRole.VIEWER, (ctx, admin) -> AdminReply.json(ctx, 200,
                new JsonObject().put("subject", admin.identity().subject()).put("username", admin.identity().username())
                        .put("issuer", admin.identity().issuer())
                        .put("roles", new JsonArray(admin.roles().stream().map(AdminRole::code).sorted().toList()))
                        .put("tenants", new JsonArray(admin.tenants().stream().sorted().toList())))));
        groups.forEach(group -> group.mount(router, this));
        router.route().last().handler(ctx -> AdminReply.notFound(ctx, ctx.normalizedPath()));
        router.route().failureHandler(ctx -> {
            LOG.log(Level.SEVERE, "admin API failure on " + ctx.request().method() + " " + ctx.normalizedPath(),
                    ctx.failure());
            if (!ctx.response().ended()) {
                int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
                AdminReply.error(ctx, status, status == 500 ? "internal-error" : "bad-request",
                        status == 500 ? "the action failed; nothing is known to have changed (see the log)"
                                : "the request could not be read");
            }
        });
        return router;
    }

    /** A handler that runs {@code action} for an administrator holding {@code permission}, after checking. */
    Handler<RoutingContext> as(AdminRole permission, BiConsumer<RoutingContext, Administrator> action) {
        return ctx -> authenticator.authenticate(ctx.request().getHeader("authorization")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            if (ar.result() instanceof AdminAuthenticator.Refused refused) {
                metrics.adminRequest("refused-" + refused.reason());
                refused.mfa().ifPresentOrElse(
                        mfa -> ctx.response().putHeader("www-authenticate", "Bearer error=\"insufficient_user_authentication\", "
                                + "error_description=\"sign in again with " + String.join(" or ", mfa.anyOf().stream().sorted().toList())
                                + "\"" + mfa.maxAge().map(age -> ", max_age=" + age.toSeconds()).orElse("")),
                        () -> {
                            if (refused.status() == 401) {
                                ctx.response().putHeader("www-authenticate", "Bearer error=\"invalid_token\"");
                            }
                        });
                AdminReply.error(ctx, refused.status(), refused.reason(), refused.status() == 401
                        ? "a valid administrator token is required" : "the token carries no administrator role");
                return;
            }
            Administrator admin = ((AdminAuthenticator.Admitted) ar.result()).administrator();
            if (!admin.may(permission)) {
                metrics.adminRequest("refused-role-missing");
                AdminReply.error(ctx, 403, "role-missing", "this needs the role " + permission.code() + " (or "
                        + AdminRole.TENANT_ADMIN.code() + ", " + AdminRole.GLOBAL_ADMIN.code() + ")");
                return;
            }
            metrics.adminRequest("admitted");
            action.accept(ctx, admin);
        });
    }

    /** Records an administrator's action in the audit chain. */
    void record(Administrator admin, RoutingContext ctx, String action, String kind, String target, String detail) {
        audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), admin.name(), source(ctx), action,
                kind, target, detail));
    }

    /** An attempt on an object out of the administrator's reach: audited, then answered like a missing one. */
    void outOfReach(Administrator admin, RoutingContext ctx, String kind, String target) {
        metrics.adminRequest("refused-out-of-tenant");
        record(admin, ctx, "denied-out-of-tenant", kind, target, ctx.request().method() + " " + ctx.normalizedPath());
        AdminReply.notFound(ctx, kind + " " + target);
    }

    static String source(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    }
}
