package jp.sekisho.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's upstream app: answers every request with what it received (method, path,
 * headers, and the decoded identity assertion), and echoes WebSocket messages.
 */
public final class EchoUpstream {

    private EchoUpstream() {
    }

    public static Future<HttpServer> start(Vertx vertx, String host, int port, String assertionHeader) {
        return vertx.createHttpServer()
                .webSocketHandler(ws -> ws.handler(ws::write))
                .requestHandler(request -> request.body().onComplete(body -> respond(request, assertionHeader,
                        body.succeeded() ? body.result().length() : -1)))
                .listen(port, host);
    }

    private static void respond(HttpServerRequest request, String assertionHeader, int bodyBytes) {
        Map<String, String> headers = new TreeMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + ", " + b));
        JsonObject out = new JsonObject()
                .put("upstream", "echo")
                .put("method", request.method().name())
                .put("uri", request.uri())
                .put("bodyBytes", bodyBytes)
                .put("headers", new JsonObject(new TreeMap<>(headers)));
        String assertion = request.getHeader(assertionHeader);
        if (assertion != null && assertion.split("\\.").length == 3) {
            String payload = new String(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]),
                    StandardCharsets.UTF_8);
            out.put("assertionClaims", new JsonObject(payload));
        }
        request.response().putHeader("content-type", "application/json; charset=utf-8").end(out.encodePrettily());
    }
}
