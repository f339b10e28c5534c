package jp.sekisho.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Locale;
import java.util.function.Supplier;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.PolicySnapshot;

/**
 * The optional plain-HTTP listener: it serves nothing, it only sends browsers to HTTPS
 * (308, so the method is kept). Only hosts the policy serves are redirected, so the listener
 * cannot be used to bounce people to arbitrary sites.
 */
public final class HttpsRedirect implements Handler<HttpServerRequest> {

    private final Supplier<PolicySnapshot> policy;
    private final int httpsPort;
    private final ProxyMetrics metrics;

    public HttpsRedirect(Supplier<PolicySnapshot> policy, int httpsPort, ProxyMetrics metrics) {
        this.policy = policy;
        this.httpsPort = httpsPort;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        String uri = request.uri();
        if (authority == null || uri.isEmpty() || uri.charAt(0) != '/') {
            answer(request, 400, "request-invalid");
            return;
        }
        String host = authority.host().toLowerCase(Locale.ROOT);
        if (!policy.get().servesHost(host)) {
            answer(request, 404, "app-unknown");
            return;
        }
        metrics.httpRedirect();
        request.response().setStatusCode(308)
                .putHeader(HttpHeaders.LOCATION, "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + uri)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(HttpHeaders.CONNECTION, "close") // nothing more is read on plain HTTP
                .end();
    }

    private static void answer(HttpServerRequest request, int status, String reason) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error\":\"" + reason + "\"}");
    }
}
