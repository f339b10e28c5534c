package jp.sekisho.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream app on port 0 that records every request it receives, so tests can assert what
 * reached it (and that a refused request never did). It can also hang to simulate a slow app,
 * and echo WebSocket frames.
 */
public final class RecordingUpstream implements AutoCloseable {

    /** One request as the upstream saw it. */
    public record Received(String method, String uri, MultiMap headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile boolean hang;
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    public RecordingUpstream(Vertx vertx) {
        this.server = vertx.createHttpServer()
                .webSocketHandler(ws -> {
                    received.add(new Received("GET", ws.uri(), MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()),
                            ""));
                    ws.textMessageHandler(ws::writeTextMessage);
                })
                .requestHandler(req -> req.body().onSuccess(body -> {
                    received.add(new Received(req.method().name(), req.uri(),
                            MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString()));
                    if (hang) {
                        held.add(req);
                    } else {
                        if (req.path().startsWith("/files/")) { // a file download, as document systems send one
                            req.response().putHeader("content-disposition", "attachment; filename*=UTF-8''"
                                    + req.path().substring("/files/".length()));
                        }
                        req.response().putHeader("content-type", "text/plain").putHeader("x-upstream", "recording")
                                .end("hello from upstream " + req.uri());
                    }
                }))
                .listen(0, "127.0.0.1").await();
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** Received requests but never answers, like an app stuck on a slow query. */
    public void hang() {
        hang = true;
    }

    /** Answers the requests held by {@link #hang()}, and every later one at once. */
    public void release() {
        hang = false;
        held.forEach(req -> req.response().putHeader("content-type", "text/plain").end("released " + req.uri()));
        held.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        if (received.isEmpty()) {
            throw new AssertionError("the upstream received no request");
        }
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        server.close().await();
    }
}
