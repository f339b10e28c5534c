package jp.sekisho.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.sekisho.policy.source.ConfigError;

/** How the admin API answers: JSON, never cached, never framed, errors with a reason code. */
final class AdminReply {

    private AdminReply() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status)
                .putHeader("content-type", "application/json; charset=utf-8")
                .end(body.encodePrettily());
    }

    static void text(RoutingContext ctx, String contentType, String etag, String body) {
        if (etag != null) {
            ctx.response().putHeader("etag", etag);
        }
        ctx.response().setStatusCode(200).putHeader("content-type", contentType + "; charset=utf-8").end(body);
    }

    static void error(RoutingContext ctx, int status, String reason, String message) {
        json(ctx, status, new JsonObject().put("error", reason).put("message", message));
    }

    /** 404 for what does not exist and for what the caller may not know exists: the two look alike. */
    static void notFound(RoutingContext ctx, String what) {
        error(ctx, 404, "not-found", what + " does not exist");
    }

    static void invalid(RoutingContext ctx, List<ConfigError> errors) {
        JsonArray list = new JsonArray();
        for (ConfigError e : errors) {
            list.add(new JsonObject().put("file", e.file()).put("line", e.line()).put("column", e.column())
                    .put("path", e.path()).put("message", e.message()).put("text", e.toString()));
        }
        json(ctx, 422, new JsonObject().put("error", "policy-invalid")
                .put("message", errors.size() + " error(s); nothing was changed").put("errors", list));
    }
}
