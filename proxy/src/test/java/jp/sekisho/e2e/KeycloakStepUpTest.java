package jp.sekisho.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.sekisho.testing.Browser;
import jp.sekisho.testing.Keycloak;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end with a real Keycloak: password sign-in through its login page, then a step-up to
 * OTP (Keycloak's level-of-authentication flow, acr "gold") answered with a TOTP computed from
 * the seeded secret. Run alone with {@code mvn -pl proxy test -Dgroups=keycloak}.
 */
@Tag("keycloak")
class KeycloakStepUpTest {

    private static final byte[] TOTP_SEED = "sekisho-test-totp-seed".getBytes(StandardCharsets.UTF_8);
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

    static Keycloak keycloak;

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    final Browser browser = new Browser();
    String base;

    @BeforeAll
    @Timeout(value = 200, unit = TimeUnit.SECONDS) // a busy machine starts Keycloak slowly; Keycloak.start bounds it
    static void startKeycloak() throws Exception {
        Optional<Path> jdk = Keycloak.findJdk21();
        Assumptions.assumeTrue(jdk.isPresent(), "Keycloak end-to-end tests SKIPPED: no Java 21+ JDK under"
                + " /usr/lib/jvm (or KEYCLOAK_JAVA_HOME); Keycloak needs one");
        keycloak = Keycloak.start(jdk.get(), "/keycloak/sekisho-realm.json");
    }

    @AfterAll
    static void stopKeycloak() throws Exception {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @BeforeEach
    void startProxy() throws Exception {
        // Keycloak signs with the real time, so the proxy's clock starts at it too
        proxy.clock.advance(Duration.between(proxy.clock.instant(), Instant.now()));
        proxy.start("""
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                issuers:
                  - id: keycloak
                    issuer: %s
                    audiences: [account]
                    userClaim: preferred_username
                    mfa:
                      profile: keycloak
                      acr: {silver: [pwd], gold: [pwd, otp], "1": [pwd], "2": [pwd, otp]}
                browserLogin:
                  issuer: keycloak
                  clientId: sekisho-web
                  insecureCookies: true
                apps:
                  - id: records
                    hosts: [127.0.0.1]
                    pathPrefixes: [/records]
                    upstream: %s
                    allow: [{id: staff, users: [sato, tanaka]}]
                    mfa: {anyOf: [otp], maxAgeSeconds: 300, acrValues: gold}
                  - id: portal
                    hosts: [127.0.0.1]
                    pathPrefixes: [/portal]
                    upstream: %s
                    allow: [{id: staff, users: [sato, tanaka]}]
                """.formatted(keycloak.issuer("sekisho"), proxy.upstream.url(), proxy.upstream.url()));
        base = "http://127.0.0.1:" + proxy.port();
    }

    @Test
    void passwordSignInReachesAnAppThatAcceptsIt() throws Exception {
        HttpResponse<String> last = signIn(base + "/portal/", "tanaka", "test-password-tanaka");

        assertEquals(200, last.statusCode(), last.body());
        assertEquals("tanaka", assertionClaim("preferred_username"));
    }

    @Test
    void passwordOnlyUserIsSteppedUpToOtpByKeycloakAndThenLetIn() throws Exception {
        assertEquals(200, signIn(base + "/portal/", "sato", "test-password-sato").statusCode());

        HttpResponse<String> stepUp = browser.open(base + "/records/koseki");
        assertEquals(302, stepUp.statusCode());
        String authorize = stepUp.headers().firstValue("location").orElseThrow();
        assertTrue(authorize.contains("acr_values=gold") && authorize.contains("max_age=300")
                && authorize.contains("prompt=login"), authorize);

        HttpResponse<String> last = completeLogin(authorize, "sato", "test-password-sato");

        assertEquals(200, last.statusCode(), last.body());
        assertEquals("/records/koseki", proxy.upstream.last().uri());
        assertEquals(List.of("otp", "pwd"), SignedJWT.parse(proxy.upstream.last().header("X-Sekisho-Assertion"))
                .getJWTClaimsSet().getStringListClaim("amr"));
    }

    /** Opens a proxied URL, is sent to Keycloak, and signs in there. */
    private HttpResponse<String> signIn(String url, String user, String password) throws Exception {
        HttpResponse<String> first = browser.open(url);
        assertEquals(302, first.statusCode(), first.body());
        return completeLogin(first.headers().firstValue("location").orElseThrow(), user, password);
    }

    /** Fills Keycloak's forms (password, then OTP when asked) and follows the way back to the app. */
    private HttpResponse<String> completeLogin(String authorizeUrl, String user, String password) throws Exception {
        HttpResponse<String> page = browser.open(authorizeUrl);
        for (int step = 0; step < 4; step++) {
            if (page.statusCode() == 302) {
                List<HttpResponse<String>> back = browser.follow(page.uri().resolve(
                        page.headers().firstValue("location").orElseThrow()).toString());
                return back.get(back.size() - 1);
            }
            assertEquals(200, page.statusCode(), page.body());
            String action = formAction(page.body());
            if (page.body().contains("name=\"otp\"")) {
                page = browser.post(action, Map.of("otp", totp(Instant.now().getEpochSecond())));
            } else if (page.body().contains("name=\"password\"")) {
                page = browser.post(action, Map.of("username", user, "password", password));
            } else {
                throw new AssertionError("unexpected Keycloak page: " + page.body());
            }
        }
        throw new AssertionError("Keycloak kept asking: " + page.body());
    }

    private String assertionClaim(String name) throws Exception {
        return SignedJWT.parse(proxy.upstream.last().header("X-Sekisho-Assertion")).getJWTClaimsSet()
                .getStringClaim(name);
    }

    private static String formAction(String html) {
        Matcher m = FORM_ACTION.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form on the page: " + html);
        }
        return URI.create(m.group(1).replace("&amp;", "&")).toString();
    }

    /** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from the secret seeded in the realm. */
    static String totp(long epochSeconds) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOTP_SEED, "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }
}
