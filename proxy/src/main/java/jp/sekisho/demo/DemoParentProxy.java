package jp.sekisho.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/**
 * Stands in for the prefecture's security cloud in the demo: the parent proxy that destinations
 * not on the breakout allowlist are chained to. It answers every plain-HTTP request itself,
 * saying what it would have fetched, and refuses tunnels (the demo has no internet to reach).
 */
final class DemoParentProxy {

    private DemoParentProxy() {
    }

    static Future<HttpServer> start(Vertx vertx, String host, int port) {
        return vertx.createHttpServer().requestHandler(request -> {
            if (request.method() == HttpMethod.CONNECT) {
                request.response().setStatusCode(502).end("the demo's security cloud reaches no internet\n");
                return;
            }
            request.response().putHeader("content-type", "text/plain; charset=utf-8")
                    .end("県セキュリティクラウド (デモの代役) が受け付けました: " + request.method() + " " + request.uri()
                            + "\nprefectural security cloud (demo stand-in) received: " + request.method() + " "
                            + request.uri() + "\n");
        }).listen(port, host);
    }
}
