package jp.sekisho.management;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.device.OperatorText;
import jp.sekisho.device.Quarantine;
import jp.sekisho.device.QuarantineActions;

/**
 * The operators' quarantine endpoints on the management listener:
 * {@code GET /quarantine} lists holds; {@code POST /quarantine} and
 * {@code POST /quarantine/release} take {@code {"kind": "device"|"user", "id", "reason", "operator"}}.
 */
final class QuarantineApi {

    private static final Logger LOG = Logger.getLogger(QuarantineApi.class.getName());

    private record Action(Quarantine.Kind kind, String id, String reason, String operator) {
    }

    private final QuarantineActions actions;

    QuarantineApi(QuarantineActions actions) {
        this.actions = actions;
    }

    void mount(Router router) {
        router.get("/quarantine").handler(this::list);
        router.post("/quarantine").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::hold);
        router.post("/quarantine/release").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::release);
    }

    private void list(RoutingContext ctx) {
        JsonArray holds = new JsonArray();
        for (Quarantine.Hold hold : actions.quarantine().list()) {
            holds.add(json(hold));
        }
        send(ctx, 200, new JsonObject().put("holds", holds));
    }

    private void hold(RoutingContext ctx) {
        Optional<Action> action = parse(ctx);
        if (action.isEmpty()) {
            return;
        }
        Action a = action.get();
        actions.hold(a.kind(), a.id(), a.reason(), a.operator(), source(ctx)).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.SEVERE, "quarantine of " + a.kind().code() + " " + a.id() + " not saved", ar.cause());
                send(ctx, 500, error("not saved: the hold did not take effect"));
                return;
            }
            send(ctx, 200, json(ar.result().hold()).put("closedConnections", ar.result().closedConnections()));
        });
    }

    private void release(RoutingContext ctx) {
        Optional<Action> action = parse(ctx);
        if (action.isEmpty()) {
            return;
        }
        Action a = action.get();
        actions.release(a.kind(), a.id(), a.reason(), a.operator(), source(ctx)).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.SEVERE, "release of " + a.kind().code() + " " + a.id() + " not saved", ar.cause());
                send(ctx, 500, error("not saved: the hold is still in effect"));
            } else if (ar.result().isEmpty()) {
                send(ctx, 404, error(a.kind().code() + " '" + a.id() + "' is not quarantined"));
            } else {
                send(ctx, 200, json(ar.result().get()).put("released", true));
            }
        });
    }

    /** The action in the body, or empty after answering 400 with what is wrong. */
    private Optional<Action> parse(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null) {
            send(ctx, 400, error("send a JSON object: {\"kind\": \"device\"|\"user\", \"id\", \"reason\", \"operator\"}"));
            return Optional.empty();
        }
        Optional<Quarantine.Kind> kind = Quarantine.Kind.parse(String.valueOf(body.getValue("kind")));
        String problem = kind.isEmpty() ? "kind must be \"device\" or \"user\"" : null;
        if (problem == null) {
            problem = OperatorText.problem("id", body.getValue("id"), OperatorText.MAX_ID);
        }
        if (problem == null) {
            problem = OperatorText.problem("reason", body.getValue("reason"), OperatorText.MAX_TEXT);
        }
        if (problem == null) {
            problem = OperatorText.problem("operator", body.getValue("operator"), OperatorText.MAX_ID);
        }
        if (problem != null) {
            send(ctx, 400, error(problem));
            return Optional.empty();
        }
        return Optional.of(new Action(kind.get(), body.getString("id"), body.getString("reason"),
                body.getString("operator")));
    }

    private static String source(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    }

    private static JsonObject json(Quarantine.Hold hold) {
        return new JsonObject().put("kind", hold.kind().code()).put("id", hold.id()).put("reason", hold.reason())
                .put("operator", hold.operator()).put("since", hold.since().toString());
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
    }
}
