package jp.sekisho.testing;

import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal browser for login tests: keeps cookies, asks for HTML, and follows redirects one
 * hop at a time so a test can see every step. Like Chromium and Firefox, it treats loopback
 * addresses as a secure context, so {@code Secure} cookies set over plain HTTP on 127.0.0.1
 * are kept and sent (Keycloak's dev mode relies on this).
 */
public final class Browser {

    private record Stored(String host, HttpCookie cookie) {
    }

    private final List<Stored> jar = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** Every cookie the browser holds. */
    public List<HttpCookie> cookies() {
        List<HttpCookie> all = new ArrayList<>();
        jar.forEach(s -> all.add(s.cookie));
        return all;
    }

    public HttpResponse<String> open(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html,application/xhtml+xml");
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request, URI.create(url));
    }

    /** Submits a form ({@code application/x-www-form-urlencoded}) as a browser would. */
    public HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), URI.create(url));
    }

    /** Opens {@code url} and follows redirects; returns every response, the final one last. */
    public List<HttpResponse<String>> follow(String url) throws Exception {
        List<HttpResponse<String>> chain = new ArrayList<>();
        String next = url;
        for (int hop = 0; hop < 10; hop++) {
            HttpResponse<String> response = open(next);
            chain.add(response);
            if (response.statusCode() != 302 && response.statusCode() != 303) {
                return chain;
            }
            next = response.uri().resolve(response.headers().firstValue("location").orElseThrow()).toString();
        }
        throw new AssertionError("redirect loop: " + chain);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) throws Exception {
        String cookieHeader = cookieHeader(uri);
        if (!cookieHeader.isEmpty()) {
            request.header("Cookie", cookieHeader);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("set-cookie")) {
            for (HttpCookie cookie : HttpCookie.parse(setCookie)) {
                if (cookie.getPath() == null) {
                    cookie.setPath("/");
                }
                jar.removeIf(s -> s.host.equals(uri.getHost()) && s.cookie.getName().equals(cookie.getName())
                        && s.cookie.getPath().equals(cookie.getPath()));
                if (cookie.getMaxAge() != 0 && !cookie.getValue().isEmpty()) {
                    jar.add(new Stored(uri.getHost(), cookie));
                }
            }
        }
        return response;
    }

    private String cookieHeader(URI uri) {
        boolean secureContext = "https".equals(uri.getScheme()) || "127.0.0.1".equals(uri.getHost())
                || "localhost".equals(uri.getHost());
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        StringBuilder header = new StringBuilder();
        for (Stored stored : jar) {
            HttpCookie c = stored.cookie;
            if (stored.host.equals(uri.getHost()) && path.startsWith(c.getPath()) && (!c.getSecure() || secureContext)
                    && !c.hasExpired()) {
                header.append(header.length() == 0 ? "" : "; ").append(c.getName()).append('=').append(c.getValue());
            }
        }
        return header.toString();
    }
}
