package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;
import jp.sekisho.config.SekishoConfig;

/**
 * The admin console: static files (HTML, ES modules, CSS) from the jar, and the settings it
 * signs in with. It is a client of this listener's API and holds no data of its own; its
 * administrators' tokens travel as bearer tokens, never as cookies, so a cross-site page can
 * neither drive the API nor the console.
 */
final class ConsoleEndpoints implements Endpoints {

    private static final Logger LOG = Logger.getLogger(ConsoleEndpoints.class.getName());
    private static final int MAX_DISCOVERY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final SekishoConfig.Console console;
    private final String issuer;
    private volatile JsonObject discovery; // the IdP's endpoints, once read

    ConsoleEndpoints(HttpClient client, SekishoConfig.Console console, String issuer) {
        this.client = client;
        this.console = console;
        this.issuer = issuer;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        // Vert.x matches "/console" for "/console/" too: only the bare path is redirected, or the page loops
        router.get("/console").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(301).putHeader("location", "/console/").end();
            }
        });
        router.route("/console/*").handler(this::headers);
        router.get("/console/config.json").handler(this::config);
        router.route("/console/*").handler(StaticHandler.create("jp/sekisho/console").setIndexPage("index.html")
                .setCachingEnabled(false).setDirectoryListing(false).setIncludeHidden(false)
                .setDefaultContentEncoding("UTF-8"));
    }

    /**
     * A strict policy: scripts and styles from this origin only (no inline code, so injected
     * markup cannot run), connections to this listener and the IdP only, no framing.
     */
    private void headers(RoutingContext ctx) {
        String idp = String.join(" ", idpOrigins());
        ctx.response().putHeader("content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                        + " img-src 'self' data:; connect-src 'self' " + idp + "; form-action 'self' " + idp
                        + "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
                .putHeader("referrer-policy", "no-referrer");
        ctx.next();
    }

    private Set<String> idpOrigins() {
        Set<String> origins = new LinkedHashSet<>();
        origins.add(origin(issuer));
        JsonObject known = discovery;
        if (known != null) {
            origins.add(origin(known.getString("authorization_endpoint", issuer)));
            origins.add(origin(known.getString("token_endpoint", issuer)));
        }
        return origins;
    }

    private void config(RoutingContext ctx) {
        endpoints().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("admin console: the IdP's discovery document could not be read: " + ar.cause().getMessage());
                AdminReply.error(ctx, 503, "idp-unavailable", "the IdP's sign-in endpoints could not be read; try again");
                return;
            }
            JsonObject endpoints = ar.result();
            JsonObject config = new JsonObject().put("issuer", issuer)
                    .put("authorizationEndpoint", endpoints.getString("authorization_endpoint"))
                    .put("tokenEndpoint", endpoints.getString("token_endpoint"))
                    .put("clientId", console.clientId()).put("scopes", new JsonArray(console.scopes()));
            if (endpoints.getString("end_session_endpoint") != null) {
                config.put("endSessionEndpoint", endpoints.getString("end_session_endpoint"));
            }
            if (console.grafanaUrl() != null) {
                config.put("grafanaUrl", console.grafanaUrl());
            }
            AdminReply.json(ctx, 200, config);
        });
    }

    /** The IdP's discovery document, read once it answers (OpenID Connect Discovery §4). */
    private Future<JsonObject> endpoints() {
        JsonObject known = discovery;
        if (known != null) {
            return Future.succeededFuture(known);
        }
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setTimeout(10_000)
                        .setAbsoluteURI(base + "/.well-known/openid-configuration").addHeader("accept", "application/json"))
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture("HTTP " + response.statusCode()))
                .compose(this::read);
    }

    private Future<JsonObject> read(Buffer body) {
        if (body.length() > MAX_DISCOVERY_BYTES) {
            return Future.failedFuture("the discovery document is too large");
        }
        JsonObject doc = body.toJsonObject();
        if (!issuer.equals(doc.getString("issuer")) || doc.getString("authorization_endpoint") == null
                || doc.getString("token_endpoint") == null) {
            return Future.failedFuture("the discovery document names issuer '" + doc.getString("issuer")
                    + "' or lacks its endpoints");
        }
        discovery = doc;
        return Future.succeededFuture(doc);
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
