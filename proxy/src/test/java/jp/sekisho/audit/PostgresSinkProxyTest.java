package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TestPostgres;
import jp.sekisho.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A request through the proxy lands as a row in the configured PostgreSQL database. */
class PostgresSinkProxyTest {

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture(); // stopped before the database schema is dropped

    @Test
    void aRequestsAuditRecordLandsInTheTableWithItsRequestId() throws Exception {
        proxy.start(proxy.config("""
                audit:
                  sinks:
                    postgresql: {url: "%s", instance: sekisho-test}
                """.formatted(postgres.url())));
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization",
                "Bearer " + proxy.idp.token("sato", "shimin-ka"));
        assertEquals(200, response.status());
        String requestId = response.header("x-request-id");
        assertNotNull(requestId);

        Row row = awaitRow("select instance, kind, username, decision, status, record->>'requestId'"
                + " from sekisho_audit where request_id = $1", requestId);
        assertEquals("sekisho-test", row.getString(0));
        assertEquals("access", row.getString(1));
        assertEquals("sato", row.getString(2));
        assertEquals("allow", row.getString(3));
        assertEquals(200, row.getInteger(4));
        assertEquals(requestId, row.getString(5));

        // the stop signs a last checkpoint and the sink, stopped after the trail, copies it too
        List<String> written = proxy.stopAndReadAudit();
        assertEquals(1, written.size());
        assertEquals("checkpoint", postgres.query("select kind from sekisho_audit order by seq desc limit 1")
                .get(0).getString(0));
    }

    private SekishoConfig.Postgresql settings(String settings) throws Exception {
        Path file = proxy.writeConfig(proxy.config("audit:\n  sinks:\n    postgresql: " + settings));
        return new ConfigLoader().load(file).settings().audit().sinks().postgresql();
    }

    @Test
    void postgresqlSettingsHaveDefaults() throws Exception {
        assertNull(new ConfigLoader().load(proxy.writeConfig(proxy.config(""))).settings().audit().sinks()
                .postgresql());
        assertEquals(new SekishoConfig.Postgresql("postgresql://sekisho@db.example.lg.jp:5432/audit", null, null,
                "oldest"), settings("{url: \"postgresql://sekisho@db.example.lg.jp:5432/audit\"}"));
        Files.writeString(proxy.dir.resolve("audit-db.password"), "s3cret\n");
        assertEquals("s3cret", PostgresSink.connectOptions("postgresql://sekisho@db.example.lg.jp/audit",
                proxy.dir.resolve("audit-db.password")).getPassword());
    }

    @Test
    void aPasswordInTheUrlOrAMissingPasswordFileIsAConfigErrorNamingTheKey() {
        ConfigException inline = assertThrows(ConfigException.class,
                () -> settings("{url: \"postgresql://sekisho:s3cret@db.example.lg.jp/audit\"}"));
        assertTrue(inline.getMessage().contains("audit.sinks.postgresql.url"), inline.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> settings("{url: \"postgresql://sekisho@db.example.lg.jp/audit\", passwordFile: no-such-file}"));
        assertTrue(missing.getMessage().contains("audit.sinks.postgresql.passwordFile"), missing.getMessage());
    }

    private Row awaitRow(String sql, Object... params) throws InterruptedException {
        return Eventually.value("a row for " + List.of(params), () -> {
            try {
                List<Row> rows = postgres.query(sql, params);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            } catch (io.vertx.pgclient.PgException e) {
                return Optional.empty(); // the sink has not made the tables yet
            }
        });
    }
}
