package jp.sekisho.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import jp.sekisho.testing.Eventually;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the PostgreSQL sink, the audit query reads the table every replica feeds, scoped by tenant. */
class AuditQueryPostgresTest {

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAuditReaderQueriesEveryReplicasRecordsOfTheirTenantOnly() throws Exception {
        proxy.start("""
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                audit:
                  sinks:
                    postgresql: {url: "%s", instance: replica-1}
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                apps:
                  - id: records
                    tenant: "131016"
                    hosts: [127.0.0.1]
                    upstream: %s
                    allow: [{id: clerks, groups: [shimin-ka]}]
                  - id: portal
                    tenant: "132012"
                    hosts: [localhost]
                    upstream: %s
                    allow: [{id: staff, groups: [all-staff]}]
                """.formatted(postgres.url(), proxy.idp.issuer(), proxy.upstream.url(), proxy.upstream.url()));
        assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka")).status());
        assertEquals(200, proxy.get("localhost", "/", "Authorization", "Bearer " + proxy.idp.token("ito", "all-staff")).status());
        Eventually.await("both requests reach the table", () -> accessRows() == 2);

        JsonObject page = query("131016", "audit-reader", "");
        assertEquals("postgresql", page.getString("source"));
        assertEquals(List.of("records"), page.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("app")).toList());
        assertEquals("131016", page.getJsonArray("records").getJsonObject(0).getString("tenant"),
                "each record carries its app's 団体コード");
        assertEquals(0, query("131016", "audit-reader", "?app=portal").getJsonArray("records").size());
        assertEquals(2, query(null, "global-admin", "?decision=allow").getJsonArray("records").size());
        assertEquals(List.of("portal"), query(null, "global-admin", "?tenant=132012").getJsonArray("records").stream()
                .map(r -> ((JsonObject) r).getString("app")).toList());
    }

    /** The access rows copied so far; 0 until the sink has created its table. */
    private long accessRows() {
        try {
            return postgres.query("select count(*) from sekisho_audit where kind = 'access'").get(0).getLong(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private JsonObject query(String tenant, String role, String params) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + proxy.server().adminPort() + "/api/v1/audit/records" + params))
                .header("Authorization", "Bearer " + proxy.idp.adminToken("kansa", tenant, role)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new JsonObject(response.body());
    }
}
