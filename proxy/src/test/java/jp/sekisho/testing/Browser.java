package jp.sekisho.testing;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal browser for login tests: keeps cookies, asks for HTML, and follows redirects one
 * hop at a time so a test can see every step.
 */
public final class Browser {

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public CookieManager cookies() {
        return cookies;
    }

    public HttpResponse<String> open(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html,application/xhtml+xml");
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
}
