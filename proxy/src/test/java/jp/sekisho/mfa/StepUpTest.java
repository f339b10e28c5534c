package jp.sekisho.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resident-records app needs face recognition within 15 minutes or a one-time password
 * within 5; a user who signed in with a password only is asked to step up, never let through.
 */
class StepUpTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void start() throws Exception {
        proxy.start(proxy.configWithApps("helpdesk: 情報システム課 内線 1234", """
                  - id: records-secure
                    name: 住民記録(個人番号)
                    hosts: [127.0.0.1]
                    pathPrefixes: [/secure]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                    mfa:
                      anyOf: [face, otp]
                      maxAgeSeconds: 900
                      maxAgeSecondsByMethod: {otp: 300}
                      acrValues: urn:sekisho:mfa:face-or-otp
                """.formatted(proxy.upstream.url())));
    }

    private String token(List<String> amr, Duration authenticatedAgo) {
        var claims = proxy.idp.claims("sato", "shimin-ka").claim("amr", amr);
        claims.claim("auth_time", authenticatedAgo == null ? null
                : proxy.clock.instant().minus(authenticatedAgo).getEpochSecond());
        return proxy.idp.rs256(claims.build());
    }

    private ProxyFixture.Response get(String token, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return proxy.get("127.0.0.1", "/secure/koseki", all);
    }

    @Test
    void passwordOnlyGetsTheRfc9470ChallengeAndIsNotForwarded() throws Exception {
        ProxyFixture.Response response = get(token(List.of("pwd"), Duration.ofMinutes(1)));

        assertEquals(401, response.status());
        assertEquals("Bearer realm=\"sekisho\", error=\"insufficient_user_authentication\", "
                + "error_description=\"mfa-method-missing\", acr_values=\"urn:sekisho:mfa:face-or-otp\", max_age=300",
                response.header("www-authenticate"));
        JsonObject body = new JsonObject(response.body());
        assertEquals("mfa-method-missing", body.getString("error"));
        assertEquals(List.of("face", "otp"), body.getJsonArray("acceptedMethods").getList());
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void mfaResultsStepUpsAndAuthenticationsAreCountedByAppMethodsAndResult() throws Exception {
        get(token(List.of("pwd"), Duration.ofMinutes(1)));
        get(token(List.of("pwd", "face"), Duration.ofMinutes(1)));
        get(token(List.of("otp"), Duration.ofMinutes(6)));
        proxy.get("127.0.0.1", "/secure/koseki");

        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_step_ups_total{app=\"records-secure\",via=\"challenge\"} 2.0"), metrics);
        assertTrue(metrics.contains("sekisho_mfa_results_total{app=\"records-secure\",methods=\"none\","
                + "result=\"mfa-method-missing\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_mfa_results_total{app=\"records-secure\",methods=\"face\","
                + "result=\"passed\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_mfa_results_total{app=\"records-secure\",methods=\"otp\","
                + "result=\"mfa-too-old\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_authentications_total{credential=\"bearer\",issuer=\"test\","
                + "result=\"authenticated\"} 3.0"), metrics);
        assertTrue(metrics.contains("sekisho_authentications_total{credential=\"none\",issuer=\"-\","
                + "result=\"token-missing\"} 1.0"), metrics);
    }

    @Test
    void freshFaceOrOtpIsLetThrough() throws Exception {
        assertEquals(200, get(token(List.of("face"), Duration.ofMinutes(14))).status());
        assertEquals(200, get(token(List.of("pwd", "otp"), Duration.ofMinutes(4))).status());
        assertEquals(List.of("otp", "pwd"), proxy.stopAndReadAudit().stream()
                .map(line -> new JsonObject(line)).filter(r -> r.getString("app").equals("records-secure"))
                .reduce((a, b) -> b).orElseThrow().getJsonObject("user").getJsonArray("methods").getList());
    }

    @Test
    void staleAuthenticationIsSentBackForAFreshOne() throws Exception {
        ProxyFixture.Response face = get(token(List.of("face"), Duration.ofMinutes(16)));
        ProxyFixture.Response otp = get(token(List.of("otp"), Duration.ofMinutes(6)));

        assertEquals("mfa-too-old", new JsonObject(face.body()).getString("error"));
        assertEquals("mfa-too-old", new JsonObject(otp.body()).getString("error"));
        assertEquals(401, otp.status());
    }

    @Test
    void freshnessIsJudgedAgainOnEveryRequestAsTimePasses() throws Exception {
        String token = token(List.of("otp"), Duration.ofMinutes(1));
        assertEquals(200, get(token).status());

        proxy.clock.advance(Duration.ofMinutes(5)); // the token is still valid; the otp is not fresh

        assertEquals("mfa-too-old", new JsonObject(get(token).body()).getString("error"));
    }

    @Test
    void missingAuthTimeNeverCountsAsFresh() throws Exception {
        ProxyFixture.Response response = get(token(List.of("face"), null));
        assertEquals("mfa-auth-time-missing", new JsonObject(response.body()).getString("error"));
    }

    @Test
    void entraAuthenticationContextProvesOtpThroughTheIssuersMapping() throws Exception {
        var claims = proxy.idp.claims("sato", "shimin-ka").claim("amr", null).claim("acrs", List.of("c1"));
        assertEquals(200, get(proxy.idp.rs256(claims.build())).status());
    }

    @Test
    void userWhoMayNotUseTheAppIsDeniedRatherThanAskedToStepUp() throws Exception {
        var claims = proxy.idp.claims("suzuki", "soumu-ka").claim("amr", List.of("pwd"));
        assertEquals(403, get(proxy.idp.rs256(claims.build())).status());
    }

    @Test
    void browserSeesAJapanesePageNamingTheAcceptedMethods() throws Exception {
        ProxyFixture.Response page = get(token(List.of("pwd"), Duration.ofMinutes(1)),
                "Accept", "text/html,application/xhtml+xml");

        assertEquals(401, page.status());
        assertTrue(page.header("content-type").startsWith("text/html"));
        assertTrue(page.body().contains("lang=\"ja\""));
        assertTrue(page.body().contains("追加の本人確認が必要です"), page.body());
        assertTrue(page.body().contains("顔認証 / ワンタイムパスワード"), page.body());
        assertTrue(page.body().contains("情報システム課 内線 1234"));
        assertTrue(page.body().contains(page.header("x-request-id")));
        assertTrue(page.header("content-security-policy").contains("default-src 'none'"));
    }

    @Test
    void browserPreferringEnglishSeesEnglish() throws Exception {
        ProxyFixture.Response page = get(token(List.of("pwd"), Duration.ofMinutes(1)),
                "Accept", "text/html", "Accept-Language", "en-US,en;q=0.9,ja;q=0.5");
        assertTrue(page.body().contains("lang=\"en\""));
        assertTrue(page.body().contains("face recognition / one-time password"), page.body());
    }

    @Test
    void scriptsGetJsonEvenWhenTheyAcceptHtml() throws Exception {
        ProxyFixture.Response response = get(token(List.of("pwd"), Duration.ofMinutes(1)),
                "Accept", "text/html", "X-Requested-With", "XMLHttpRequest");
        assertTrue(response.header("content-type").startsWith("application/json"));
        assertFalse(response.body().contains("<html"));
    }
}
