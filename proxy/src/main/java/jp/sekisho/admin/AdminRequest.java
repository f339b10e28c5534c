package jp.sekisho.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading the parts of an admin API request that are not its path. */
final class AdminRequest {

    private AdminRequest() {
    }

    static boolean wantsYaml(RoutingContext ctx) {
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

    static int limit(RoutingContext ctx) {
        return (int) Math.max(1, Math.min(500, longParam(ctx, "limit", 50)));
    }

    static long longParam(RoutingContext ctx, String name, long fallback) {
        String value = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.request().getParam(name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
