package jp.sekisho.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Calls to the admin API ({@code /api/v1}) with the administrator's bearer token. A call that
 * cannot be made becomes an {@link AdminFailure} (exit 3) saying what to check.
 */
final class AdminClient {

    static final String YAML = "application/yaml; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";

    private final String base;
    private final String token;
    private final HttpClient http;

    /** @param base the listener's URL, with or without a trailing slash or a path prefix */
    AdminClient(URI base, String token, HttpClient http) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
        this.http = http;
    }

    AdminResponse get(String path) {
        return send("GET", path, null, null);
    }

    /**
     * @param path        below {@code /api/v1}, its segments already encoded ({@link #segment})
     * @param contentType of {@code body}, or null for no body
     * @param headers     name, value, name, value …; a null value leaves its header out
     */
    AdminResponse send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("authorization", "Bearer " + token)
                .header("accept", "application/json");
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                request.setHeader(headers[i], headers[i + 1]);
            }
        }
        try {
            var response = CliHttp.send(http, request);
            return new AdminResponse(response.statusCode(), response.body(), response.headers());
        } catch (ConnectException e) {
            throw new AdminFailure(AdminExit.UNAVAILABLE, "cannot connect to the admin API at " + base
                    + ": is the proxy running with an admin: section, and is --url (or SEKISHO_ADMIN_URL) right?");
        } catch (HttpTimeoutException e) {
            throw new AdminFailure(AdminExit.UNAVAILABLE, "the admin API at " + base + " did not answer in time");
        } catch (SSLException e) {
            boolean untrusted = String.valueOf(e.getMessage()).contains("PKIX");
            throw new AdminFailure(AdminExit.UNAVAILABLE, "TLS with " + base + " failed: " + (untrusted
                    ? "its certificate is not signed by a CA this machine trusts; pass --cacert with the CA that"
                    + " signed it (the municipality's own CA)" : e.getMessage()));
        } catch (IOException e) {
            throw new AdminFailure(AdminExit.UNAVAILABLE, "the call to " + base + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminFailure(AdminExit.UNAVAILABLE, "interrupted while waiting for " + base);
        }
    }

    /** One path segment (an app id, a proposal id), encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The {@code X-Sekisho-Comment} header's value (percent-encoded UTF-8), or null for none. */
    static String comment(String text) {
        return text == null ? null : segment(text);
    }
}
