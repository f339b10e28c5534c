package jp.sekisho.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A rule that names who by a claim the issuer is configured to keep, from a real token. */
class ClaimRulesTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void start() throws Exception {
        String yaml = proxy.configWithApps("", """
                  - id: juki
                    hosts: [juki.localhost]
                    upstream: %s
                    allow:
                      - id: by-department
                        claims: {department: [市民課, 住民課]}
                """.formatted(proxy.upstream.url()));
        String userClaim = "    userClaim: preferred_username\n";
        assertTrue(yaml.contains(userClaim));
        proxy.start(yaml.replace(userClaim, userClaim + "    keepClaims: [department]\n"));
    }

    private String get(String token) throws Exception {
        return RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: juki.localhost\r\nAuthorization: Bearer "
                + token + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theIssuersClaimAdmitsAndItsAbsenceDoesNot() throws Exception {
        String inDepartment = proxy.idp.rs256(proxy.idp.claims("tanaka").claim("department", "市民課").build());
        String elsewhere = proxy.idp.rs256(proxy.idp.claims("suzuki").claim("department", "税務課").build());
        String without = proxy.idp.token("yamada");
        assertEquals(200, RawHttp.status(get(inDepartment)));
        assertEquals(403, RawHttp.status(get(elsewhere)));
        assertEquals(403, RawHttp.status(get(without)));
        java.util.List<String> audit = proxy.stopAndReadAudit();
        JsonObject record = new JsonObject(audit.get(0));
        assertEquals("by-department", record.getString("rule"));
        assertTrue(record.getJsonArray("reasons").contains("claims-allowed"), record.encode());
        assertEquals("市民課", record.getJsonObject("user").getJsonObject("claims").getJsonArray("department").getString(0),
                "auditors see the department that admitted the request");
        assertEquals("税務課", new JsonObject(audit.get(1)).getJsonObject("user").getJsonObject("claims")
                .getJsonArray("department").getString(0), "and the one that did not");
    }
}
