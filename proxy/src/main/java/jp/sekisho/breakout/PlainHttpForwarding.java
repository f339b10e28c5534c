package jp.sekisho.breakout;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jp.sekisho.metrics.BreakoutMetrics;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.ParentProxy;

/**
 * The forward proxy's plain-HTTP side: an allowed absolute-form request ({@code GET
 * http://host/path}) is sent on to the checked address, or through the parent proxy, without the
 * proxy's credentials, hop-by-hop fields or the device's evidence; the answer is relayed back.
 */
final class PlainHttpForwarding {

    /** Hop-by-hop fields (RFC 9110 §7.6.1) and the proxy's own: never passed on. */
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

    /** The request was allowed but could not be delivered. */
    @FunctionalInterface
    interface Refused {
        void refuse(Attempt attempt, Reason reason);
    }

    /** The answer was relayed (or broke off, {@code closedBy} error). */
    @FunctionalInterface
    interface Finished {
        void finish(Attempt attempt, long bytesUp, long bytesDown, Optional<String> closedBy);
    }

    private final HttpClient http;
    private final String deviceHeader;
    private final BreakoutMetrics metrics;
    private final ForwardProxyHandler.Limits limits;
    private final Refused refused;
    private final Finished finished;

    PlainHttpForwarding(HttpClient http, String deviceHeader, BreakoutMetrics metrics, ForwardProxyHandler.Limits limits,
                        Refused refused, Finished finished) {
        this.http = http;
        this.deviceHeader = deviceHeader;
        this.metrics = metrics;
        this.limits = limits;
        this.refused = refused;
        this.finished = finished;
    }

    /** An absolute-form request ({@code GET http://host/path}): forwarded to the address, or through the parent. */
    void forward(Attempt attempt, Destination destination, InetAddress address, ParentProxy parent) {
        HttpServerRequest request = attempt.request;
        URI uri = URI.create(request.uri());
        String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(destination.host())
                .setPort(destination.port()).setURI(pathAndQuery).setConnectTimeout(limits.connectTimeout().toMillis())
                .setIdleTimeout(limits.idleTimeout().toMillis());
        if (parent != null) {
            options.setProxyOptions(new ProxyOptions().setType(ProxyType.HTTP).setHost(parent.host())
                    .setPort(parent.port()));
        } else {
            options.setServer(SocketAddress.inetSocketAddress(destination.port(), address.getHostAddress()));
        }
        MultiMap headers = passedOn(request.headers());
        headers.set(HttpHeaders.HOST, destination.port() == 80 ? destination.host() : destination.authority());
        http.request(options).onComplete(ar -> {
            if (ar.failed()) {
                Reason reason = parent != null ? Reason.PARENT_PROXY_FAILED
                        : ForwardProxyHandler.timedOut(ar.cause()) ? Reason.UPSTREAM_TIMEOUT : Reason.UPSTREAM_UNREACHABLE;
                metrics.connectFailed(reason.code());
                refused.refuse(attempt, reason);
                return;
            }
            var upstream = ar.result();
            upstream.headers().setAll(headers);
            upstream.send(request).onComplete(sent -> {
                if (sent.failed()) {
                    refused.refuse(attempt, parent != null ? Reason.PARENT_PROXY_FAILED : Reason.UPSTREAM_FAILED);
                    return;
                }
                relayResponse(attempt, sent.result());
            });
        });
    }

    private void relayResponse(Attempt attempt, HttpClientResponse upstream) {
        HttpServerResponse response = attempt.request.response();
        response.setStatusCode(upstream.statusCode()).setStatusMessage(upstream.statusMessage());
        response.headers().setAll(passedOn(upstream.headers()));
        response.send(upstream).onComplete(done -> {
            long up = attempt.request.bytesRead();
            long down = response.bytesWritten();
            metrics.bytes(attempt.category(), "up", up);
            metrics.bytes(attempt.category(), "down", down);
            finished.finish(attempt, up, down, done.succeeded() ? Optional.empty() : Optional.of(Tunnel.ERROR));
        });
    }

    /** The header fields of a message, without hop-by-hop fields, the proxy's own and the device's evidence. */
    private MultiMap passedOn(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        List<String> listed = new ArrayList<>();
        for (String connection : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String name : connection.split(",")) {
                listed.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (var header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !listed.contains(name) && !name.equalsIgnoreCase(deviceHeader)) {
                copy.add(header.getKey(), header.getValue());
            }
        }
        return copy;
    }
}
