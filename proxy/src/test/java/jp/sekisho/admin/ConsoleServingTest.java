package jp.sekisho.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's settings and protective headers, as a browser receives them from the
 * admin listener: the IdP's endpoints for the code flow, and a policy that allows scripts only
 * from the listener itself, connections only to it and the IdP, and no framing.
 */
class ConsoleServingTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.server().adminPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleLearnsTheIdpsEndpointsAndIsServedUnderAStrictPolicy() throws Exception {
        proxy.start(proxy.config("""
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                  console: {clientId: sekisho-console, grafanaUrl: "https://grafana.example.lg.jp/d/sekisho-overview"}
                """));
        HttpResponse<String> config = get("/console/config.json");
        assertEquals(200, config.statusCode(), config.body());
        JsonObject settings = new JsonObject(config.body());
        assertEquals(proxy.idp.issuer(), settings.getString("issuer"));
        assertEquals(proxy.idp.issuer() + "/authorize", settings.getString("authorizationEndpoint"));
        assertEquals("sekisho-console", settings.getString("clientId"));
        assertEquals("https://grafana.example.lg.jp/d/sekisho-overview", settings.getString("grafanaUrl"));
        String policy = config.headers().firstValue("content-security-policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'")
                && policy.contains("connect-src 'self' " + proxy.idp.issuer()), policy);
        assertEquals("DENY", config.headers().firstValue("x-frame-options").orElse(""));
        assertEquals(301, get("/console").statusCode());
    }

    @Test
    void withoutAConsoleSectionThereIsNoConsole() throws Exception {
        proxy.start(proxy.config("""
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                """));
        assertEquals(404, get("/console/config.json").statusCode());
    }
}
