package jp.sekisho.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The machine's real PostgreSQL (127.0.0.1:5432, database {@code test}, trust authentication;
 * {@code SEKISHO_TEST_PG_URL} overrides), with a fresh schema per test, dropped after it.
 * Without a reachable server the test is skipped, loudly; under {@code CI=true} it fails,
 * since CI starts the server first.
 */
public final class TestPostgres implements BeforeEachCallback, AfterEachCallback {

    private static final String URL = System.getenv().getOrDefault("SEKISHO_TEST_PG_URL",
            "postgresql://postgres@127.0.0.1:5432/test");

    private Vertx vertx;
    private PgConnection admin;
    private String schema;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        vertx = Vertx.vertx();
        try {
            admin = PgConnection.connect(vertx, PgConnectOptions.fromUri(URL)).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            String message = "PostgreSQL at " + URL + " is unreachable (" + e + "): the PostgreSQL sink tests"
                    + " cannot run. Start it (pg_ctlcluster <version> main start) or set SEKISHO_TEST_PG_URL.";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message, e);
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.abort(message);
        }
        execute("set client_min_messages to warning");
        schema = "sekisho_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("create schema " + schema);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (admin != null) {
            execute("drop schema " + schema + " cascade");
            admin.close().await();
        }
        vertx.close().await();
    }

    /** The URL of this test's schema (as a configuration would give it). */
    public String url() {
        return URL + "?search_path=" + schema;
    }

    /** Connection settings for this test's schema. */
    public PgConnectOptions options() {
        return PgConnectOptions.fromUri(url());
    }

    /** Connection settings for a port where nothing listens. */
    public PgConnectOptions unreachable(int port) {
        return options().setPort(port);
    }

    /** The rows of a query in this test's schema. */
    public List<Row> query(String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        admin.query("set search_path to " + schema).execute().await();
        admin.preparedQuery(sql).execute(Tuple.wrap(List.of(params))).await().forEach(rows::add);
        return rows;
    }

    /** Runs a statement outside this test's schema. */
    public void execute(String sql) {
        admin.query(sql).execute().await();
    }
}
