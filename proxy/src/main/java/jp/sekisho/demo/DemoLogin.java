package jp.sekisho.demo;

import static jp.sekisho.html.HtmlText.escape;

import com.nimbusds.jose.JOSEException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.sekisho.session.BrowserLogin;

/**
 * The demo issuer's "login page": instead of checking anything, it lets the person choose a
 * demo user and the methods they "used" (password, face, OTP), so step-up can be watched in a
 * browser. Redirects only to loopback hosts; codes are single-use and PKCE is enforced.
 */
final class DemoLogin {

    private record Pending(MultiMap request, DemoIssuer.DemoUser user, List<String> amr) {
    }

    private final DemoIssuer issuer;
    private final Map<String, Pending> codes = new ConcurrentHashMap<>();

    DemoLogin(DemoIssuer issuer) {
        this.issuer = issuer;
    }

    void page(RoutingContext ctx) {
        MultiMap params = ctx.request().params();
        if (!loopback(params.get("redirect_uri"))) {
            ctx.response().setStatusCode(400).end("redirect_uri must be on a loopback host in the demo\n");
            return;
        }
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\">"
                + "<title>デモ IdP サインイン</title><style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto}"
                + "fieldset{margin:1rem 0}</style><h1>デモ IdP サインイン (demo only)</h1>");
        if (params.get("acr_values") != null || "login".equals(params.get("prompt"))) {
            html.append("<p><strong>追加の本人確認を求められています</strong> (acr_values=")
                    .append(escape(String.valueOf(params.get("acr_values")))).append(", max_age=")
                    .append(escape(String.valueOf(params.get("max_age")))).append(")</p>");
        }
        html.append("<form method=\"post\" action=\"/authorize\"><fieldset><legend>利用者 / User</legend>");
        for (DemoIssuer.DemoUser user : DemoIssuer.USERS.values().stream()
                .sorted((a, b) -> a.username().compareTo(b.username())).toList()) {
            html.append("<label><input type=\"radio\" name=\"user\" value=\"").append(user.username()).append('"')
                    .append(user.username().equals("sato") ? " checked" : "").append("> ")
                    .append(escape(user.name())).append("</label><br>");
        }
        html.append("</fieldset><fieldset><legend>認証方式 / Methods</legend>"
                + "<label><input type=\"checkbox\" name=\"amr\" value=\"pwd\" checked> パスワード</label><br>"
                + "<label><input type=\"checkbox\" name=\"amr\" value=\"face\"> 顔認証</label><br>"
                + "<label><input type=\"checkbox\" name=\"amr\" value=\"otp\"> ワンタイムパスワード</label></fieldset>");
        for (String name : List.of("client_id", "redirect_uri", "state", "nonce", "code_challenge")) {
            html.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                    .append(escape(params.get(name) == null ? "" : params.get(name))).append("\">");
        }
        html.append("<button type=\"submit\">サインイン / Sign in</button></form></html>");
        ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(html.toString());
    }

    void submit(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        DemoIssuer.DemoUser user = DemoIssuer.USERS.get(form.get("user"));
        String redirect = form.get("redirect_uri");
        if (user == null || !loopback(redirect)) {
            ctx.response().setStatusCode(400).end("choose a user\n");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Pending(MultiMap.caseInsensitiveMultiMap().addAll(form), user,
                new ArrayList<>(form.getAll("amr"))));
        ctx.response().setStatusCode(302).putHeader("location", redirect + "?code=" + code + "&state="
                + URLEncoder.encode(form.get("state"), StandardCharsets.UTF_8)).end();
    }

    void token(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        Pending pending = codes.remove(String.valueOf(form.get("code")));
        String verifier = form.get("code_verifier");
        if (pending == null || verifier == null || !BrowserLogin.challenge(verifier).equals(pending.request.get("code_challenge"))
                || !String.valueOf(form.get("redirect_uri")).equals(pending.request.get("redirect_uri"))) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end("{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            String clientId = pending.request.get("client_id");
            String idToken = issuer.mint(pending.user, pending.amr, 300, clientId, pending.request.get("nonce"), "JWT");
            // the console calls the admin API with the access token; other clients only need the ID token
            String accessToken = DemoIssuer.CONSOLE_CLIENT.equals(clientId)
                    ? issuer.mint(pending.user, pending.amr, 3600, DemoIssuer.ADMIN_AUDIENCE, null, "at+jwt") : "demo";
            ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
                    .put("id_token", idToken).put("access_token", accessToken).put("token_type", "Bearer")
                    .put("expires_in", 3600).encode());
        } catch (JOSEException e) {
            ctx.fail(e);
        }
    }

    void logout(RoutingContext ctx) {
        String back = ctx.request().getParam("post_logout_redirect_uri");
        if (back != null && loopback(back)) {
            ctx.response().setStatusCode(302).putHeader("location", back).end();
        } else {
            ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end("signed out of the demo IdP\n");
        }
    }

    static boolean loopback(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.endsWith(".localhost"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
