package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.httpproxy.ProxyRequest;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Identity;

/**
 * Forwards an allowed WebSocket handshake and then relays bytes both ways. Only reached after
 * the request was authenticated and decided like any other: the upgrade happens last.
 */
final class WebSocketForwarding {

    private WebSocketForwarding() {
    }

    static void forward(Exchange exchange, ProxyRequest proxyRequest,
                        BiFunction<Exchange, HttpMethod, Future<HttpClientRequest>> upstreams, OpenTunnels tunnels,
                        BiConsumer<Exchange, Throwable> onFailure) {
        HttpServerRequest request = exchange.request;
        upstreams.apply(exchange, request.method()).compose(upstreamRequest -> {
            // after the upgrade, closes surface here; they end the tunnel and are not errors
            upstreamRequest.exceptionHandler(e -> { });
            MultiMap headers = upstreamRequest.headers();
            for (Map.Entry<String, String> header : proxyRequest.headers()) {
                if (!header.getKey().equalsIgnoreCase(HttpHeaders.HOST.toString())) {
                    headers.add(header.getKey(), header.getValue());
                }
            }
            headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
            Future<HttpClientResponse> response = upstreamRequest.connect();
            request.resume(); // the handshake has no body; let its end through so the upgrade can complete
            return response;
        }).onSuccess(upstreamResponse -> relay(exchange, upstreamResponse, tunnels))
                .onFailure(e -> onFailure.accept(exchange, e));
    }

    private static void relay(Exchange exchange, HttpClientResponse upstreamResponse, OpenTunnels tunnels) {
        HttpServerRequest request = exchange.request;
        HttpServerResponse response = request.response();
        if (upstreamResponse.statusCode() != 101) {
            // The upstream declined the upgrade: pass its answer on as an ordinary response.
            response.setStatusCode(upstreamResponse.statusCode());
            upstreamResponse.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
            HeaderHygiene.removeHopByHop(response.headers(), false);
            upstreamResponse.body().onComplete(ar -> response.end(ar.succeeded() ? ar.result() : null));
            return;
        }
        response.setStatusCode(101);
        upstreamResponse.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
        NetSocket upstreamSocket = upstreamResponse.netSocket();
        request.toNetSocket().onSuccess(clientSocket -> {
            // Registered so that quarantining the device or user closes it at once.
            Identity identity = ((Authentication.Authenticated) exchange.authentication).identity();
            OpenTunnels.Tunnel tunnel = tunnels.opened(exchange.device.deviceId(), identity.username(),
                    identity.subject(), () -> {
                        clientSocket.close();
                        upstreamSocket.close();
                    });
            clientSocket.pipeTo(upstreamSocket);
            upstreamSocket.pipeTo(clientSocket);
            clientSocket.closeHandler(v -> {
                tunnel.closed();
                upstreamSocket.close();
            });
            upstreamSocket.closeHandler(v -> {
                tunnel.closed();
                clientSocket.close();
            });
        }).onFailure(e -> upstreamSocket.close());
    }
}
