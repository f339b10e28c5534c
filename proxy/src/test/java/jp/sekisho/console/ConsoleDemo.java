package jp.sekisho.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.sekisho.demo.Demo;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.RawHttp;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The demo (issuer, echo app, proxy, admin listener with the console) started in-process on free
 * ports, with what the console tests do to it from the outside: sign in through the demo issuer's
 * page, call the proxy as staff, call the admin API directly.
 */
final class ConsoleDemo implements AutoCloseable {

    final Demo demo;
    final Demo.Ports ports;
    final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ConsoleDemo(Demo demo, Demo.Ports ports, Path dir) {
        this.demo = demo;
        this.ports = ports;
        this.dir = dir;
    }

    static ConsoleDemo start(Path dir) throws Exception {
        Demo.Ports ports = freePorts();
        Demo demo = Demo.start(dir, ports);
        demo.server().issuersLoaded().await(20, TimeUnit.SECONDS);
        return new ConsoleDemo(demo, ports, dir);
    }

    /** Seven distinct free ports: each socket stays open until all are chosen. */
    private static Demo.Ports freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0); ServerSocket c = new ServerSocket(0);
             ServerSocket d = new ServerSocket(0); ServerSocket e = new ServerSocket(0); ServerSocket f = new ServerSocket(0);
             ServerSocket g = new ServerSocket(0)) {
            return new Demo.Ports(a.getLocalPort(), b.getLocalPort(), c.getLocalPort(), d.getLocalPort(),
                    e.getLocalPort(), f.getLocalPort(), g.getLocalPort());
        }
    }

    String console() {
        return "http://127.0.0.1:" + ports.admin() + "/console/";
    }

    String issuer() {
        return "http://127.0.0.1:" + ports.issuer();
    }

    /**
     * Signs in through the console's own flow: the console sends the browser to the demo
     * issuer's page, where the user and methods are chosen, and redeems the code on return.
     */
    void signIn(ConsoleBrowser browser, String user, String... methods) {
        browser.driver.get(console());
        browser.click("sign-in");
        browser.until(ExpectedConditions.urlContains(issuer() + "/authorize"));
        browser.driver.findElement(By.cssSelector("input[name=user][value=" + user + "]")).click();
        for (var box : browser.driver.findElements(By.cssSelector("input[name=amr]"))) {
            boolean wanted = java.util.List.of(methods).contains(box.getAttribute("value"));
            if (box.isSelected() != wanted) {
                box.click();
            }
        }
        browser.driver.findElement(By.cssSelector("button[type=submit]")).click();
        browser.textContains("whoami", user);
    }

    /** A staff access token from the demo issuer. */
    String staffToken(String user, String amr) throws Exception {
        return get(issuer() + "/token?user=" + user + "&amr=" + amr).body();
    }

    /** An administrator's token from the demo issuer (tanaka: global-admin; others: viewer). */
    String adminToken(String user) throws Exception {
        return get(issuer() + "/token?user=" + user + "&amr=face&aud=sekisho-admin").body();
    }

    private HttpResponse<String> get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    /**
     * A staff request through the proxy to an app's host (the proxy routes by Host, which
     * java.net.http will not set, so it is a raw exchange); answers the whole response.
     */
    String app(String host, String token, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: " + host + ":" + ports.proxy() + "\r\n"
                + "Authorization: Bearer " + token + "\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return RawHttp.exchange(ports.proxy(), request.append("Connection: close\r\n\r\n").toString());
    }

    /** A call of the admin API, as a script or another administrator would make it. */
    HttpResponse<String> api(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.admin() + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Changes an app through the API (as another administrator would), answering the new app ETag. */
    String changeApp(String token, String id, java.util.function.UnaryOperator<String> edit, String comment)
            throws Exception {
        JsonObject app = new JsonObject(api("GET", "/apps/" + id, token, null).body());
        HttpResponse<String> put = api("PUT", "/apps/" + id, token, edit.apply(app.getString("yaml")),
                "If-Match", app.getString("etag"), "Content-Type", "application/yaml",
                "X-Sekisho-Comment", URLEncoder.encode(comment, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, put.statusCode(), put.body());
        return new JsonObject(put.body()).getString("appEtag");
    }

    @Override
    public void close() {
        demo.stop();
    }
}
