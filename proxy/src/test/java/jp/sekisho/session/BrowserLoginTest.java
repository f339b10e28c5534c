package jp.sekisho.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import jp.sekisho.testing.Browser;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestIdp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser sign-in through the authorization code flow, sessions, step-up and logout. */
class BrowserLoginTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    final Browser browser = new Browser();
    String base;

    @BeforeEach
    void start() throws Exception {
        proxy.start(proxy.configWithApps("""
                browserLogin:
                  issuer: test
                  clientId: %s
                  insecureCookies: true
                  idleTimeoutSeconds: 1800
                """.formatted(TestIdp.CLIENT_ID), """
                  - id: records-secure
                    hosts: [127.0.0.1]
                    pathPrefixes: [/secure]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                    mfa:
                      anyOf: [face, otp]
                      maxAgeSeconds: 900
                      acrValues: gold
                """.formatted(proxy.upstream.url())));
        base = "http://127.0.0.1:" + proxy.port();
    }

    private HttpResponse<String> signInAs(String user, List<String> amr, String path) throws Exception {
        proxy.idp.signInNext(user, amr, "shimin-ka");
        List<HttpResponse<String>> chain = browser.follow(base + path);
        return chain.get(chain.size() - 1);
    }

    @Test
    void browserWithoutASessionIsSentToTheIdpWithStateNonceAndPkce() throws Exception {
        HttpResponse<String> response = browser.open(base + "/records?x=1");

        assertEquals(302, response.statusCode());
        URI location = URI.create(response.headers().firstValue("location").orElseThrow());
        assertEquals(proxy.idp.issuer() + "/authorize", location.getScheme() + "://" + location.getAuthority()
                + location.getPath());
        String query = location.getQuery();
        assertTrue(query.contains("response_type=code"), query);
        assertTrue(query.contains("client_id=" + TestIdp.CLIENT_ID), query);
        assertTrue(query.contains("redirect_uri=" + base + "/.sekisho/callback"), query);
        assertTrue(query.contains("code_challenge_method=S256") && query.contains("code_challenge="), query);
        assertTrue(query.contains("state=") && query.contains("nonce="), query);
        String setCookie = response.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.startsWith("sekisho_login=") && setCookie.toLowerCase().contains("httponly")
                && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/.sekisho/callback"), setCookie);
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void signingInReachesTheAppAndTheUpstreamNeverSeesTheSessionCookie() throws Exception {
        HttpResponse<String> last = signInAs("sato", List.of("pwd"), "/records?x=1");

        assertEquals(200, last.statusCode(), last.body());
        assertEquals("hello from upstream /records?x=1", last.body());
        assertEquals("sato", SignedJWT.parse(proxy.upstream.last().header("X-Sekisho-Assertion"))
                .getJWTClaimsSet().getSubject());
        String cookieHeader = proxy.upstream.last().header("Cookie");
        assertTrue(cookieHeader == null || !cookieHeader.contains("sekisho"), cookieHeader);
        HttpCookie session = browser.cookies().stream()
                .filter(c -> c.getName().equals("sekisho_session")).findFirst().orElseThrow();
        assertTrue(session.isHttpOnly());
        assertTrue(session.getValue().length() < 3000, "stays well under browser header limits");
    }

    @Test
    void scriptsGetA401InsteadOfARedirect() throws Exception {
        HttpResponse<String> response = browser.open(base + "/records", "Accept", "application/json");
        assertEquals(401, response.statusCode());
        HttpResponse<String> xhr = browser.open(base + "/records", "X-Requested-With", "XMLHttpRequest");
        assertEquals(401, xhr.statusCode());
        assertEquals("token-missing", new JsonObject(xhr.body()).getString("error"));
    }

    @Test
    void callbackWithAStateThatIsNotOursIsRefused() throws Exception {
        browser.open(base + "/records"); // sets the login cookie
        HttpResponse<String> response = browser.open(base + "/.sekisho/callback?code=x&state=forged");
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("login-failed"));
    }

    @Test
    void tamperedCookieIsNoSession() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        HttpCookie session = browser.cookies().stream()
                .filter(c -> c.getName().equals("sekisho_session")).findFirst().orElseThrow();
        String value = session.getValue();
        String tampered = value.substring(0, 20) + (value.charAt(20) == 'A' ? 'B' : 'A') + value.substring(21);

        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base + "/records")).header("Cookie", "sekisho_session=" + tampered)
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
        assertEquals("session-invalid", new JsonObject(response.body()).getString("error"));
    }

    @Test
    void idleSessionExpires() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        proxy.clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> response = browser.open(base + "/records", "Accept", "application/json");
        assertEquals("session-expired", new JsonObject(response.body()).getString("error"));
    }

    @Test
    void administratorEndsEverySessionOfAUserAtOnce() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + proxy.server().managementPort() + "/sessions/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("issuer", proxy.idp.issuer())
                        .put("subject", "sato").encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoked.statusCode());

        HttpResponse<String> response = browser.open(base + "/records", "Accept", "application/json");
        assertEquals("session-revoked", new JsonObject(response.body()).getString("error"));
    }

    @Test
    void stepUpSendsTheBrowserBackOnceForTheMissingMethod() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        proxy.idp.signInNext("sato", List.of("pwd", "face"), "shimin-ka");

        List<HttpResponse<String>> chain = browser.follow(base + "/secure/koseki");

        String authorize = chain.get(0).headers().firstValue("location").orElseThrow();
        assertTrue(authorize.contains("acr_values=gold") && authorize.contains("max_age=900")
                && authorize.contains("prompt=login"), authorize);
        assertEquals(200, chain.get(chain.size() - 1).statusCode());
        assertEquals("/secure/koseki", proxy.upstream.last().uri());
    }

    @Test
    void stepUpThatStillFallsShortEndsOnTheDenialPageNotInALoop() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        proxy.idp.signInNext("sato", List.of("pwd"), "shimin-ka"); // the user cannot do face or OTP

        List<HttpResponse<String>> chain = browser.follow(base + "/secure/koseki");

        HttpResponse<String> last = chain.get(chain.size() - 1);
        assertEquals(401, last.statusCode());
        assertTrue(last.body().contains("顔認証 / ワンタイムパスワード"), last.body());
        assertEquals(4, chain.size(), "one trip to the IdP, then the page: " + chain);
        assertFalse(proxy.upstream.received().stream().anyMatch(r -> r.uri().startsWith("/secure")));
        String link = "/.sekisho/login?rd=%2Fsecure%2Fkoseki&amp;app=records-secure";
        assertTrue(last.body().contains("href=\"" + link + "\">再認証する</a>"), last.body());

        HttpResponse<String> again = browser.open(base + link.replace("&amp;", "&"));
        String authorize = again.headers().firstValue("location").orElseThrow();
        assertTrue(authorize.contains("acr_values=gold") && authorize.contains("prompt=login"),
                "the button asks the IdP for the app's methods again: " + authorize);
    }

    @Test
    void logoutEndsTheSessionHereAndAtTheIdp() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        HttpCookie before = browser.cookies().stream()
                .filter(c -> c.getName().equals("sekisho_session")).findFirst().orElseThrow();

        HttpResponse<String> logout = browser.open(base + "/.sekisho/logout");

        assertEquals(302, logout.statusCode());
        String location = logout.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith(proxy.idp.issuer() + "/logout?id_token_hint="), location);
        String hint = location.substring(location.indexOf("id_token_hint=") + 14, location.indexOf('&'));
        assertEquals(List.of(TestIdp.CLIENT_ID), SignedJWT.parse(hint).getJWTClaimsSet().getAudience(),
                "the hint is the ID token the IdP issued for this login");
        assertTrue(location.contains("client_id=" + TestIdp.CLIENT_ID), location);
        assertTrue(location.contains("post_logout_redirect_uri="), location);
        HttpResponse<String> reused = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base + "/records")).header("Cookie", "sekisho_session="
                        + before.getValue()).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("session-revoked", new JsonObject(reused.body()).getString("error"));
    }

    @Test
    void loginReturnUrlCannotLeaveTheHost() throws Exception {
        for (String rd : List.of("https://evil.example/", "//evil.example/", "/\\evil.example", "%2F%2Fevil.example",
                "/%5Cevil.example", "%252F%252Fevil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:x=y")) {
            HttpResponse<String> response = browser.open(base + "/.sekisho/login?rd="
                    + java.net.URLEncoder.encode(rd, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, response.statusCode(), rd);
            assertNull(response.headers().firstValue("location").orElse(null), rd);
        }
        assertEquals(302, browser.open(base + "/.sekisho/login?rd=%2Frecords%3Fx%3D1").statusCode());
    }

    @Test
    void abandoningTheStepUpAtTheIdpDoesNotLockTheUserOut() throws Exception {
        signInAs("sato", List.of("pwd"), "/records");
        HttpResponse<String> first = browser.open(base + "/secure/koseki");
        assertEquals(302, first.statusCode()); // off to the IdP, and the user closes that tab

        HttpResponse<String> again = browser.open(base + "/secure/koseki");

        assertEquals(302, again.statusCode(), "another chance, not the denial page");
    }
}
