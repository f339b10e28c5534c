package jp.sekisho.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings Sekisho's tables in a PostgreSQL schema up to date, in numbered migrations recorded in
 * {@code sekisho_schema_migrations}. The audit sink and the policy store may share one schema,
 * so the numbers are one sequence for the whole database, each component applying its own:
 * 1 is the audit tables ({@code PostgresAuditSchema}), 2 the policy store's
 * ({@code PostgresStoreSchema}); a new migration takes the next free number, and a released one
 * never changes. A migration is applied when its number is not recorded yet (not when it is
 * above the highest recorded), so one component's migrations never hide another's.
 *
 * <p>Replicas starting together take turns on a transaction-scoped advisory lock, taken before
 * the migrations table is created: concurrent {@code create table if not exists} can fail.
 * Non-blocking: the caller chooses whether to wait.
 */
public final class PostgresMigrations {

    /** The advisory lock every Sekisho takes while migrating: "Sekisho" in ASCII, fixed for good. */
    private static final long LOCK = 0x5365_6b69_7368_6f00L;

    /**
     * One migration.
     *
     * @param version    its number in the database-wide sequence
     * @param statements DDL, run in order in the migration's transaction
     */
    public record Migration(int version, List<String> statements) {

        public Migration {
            statements = List.copyOf(statements);
        }
    }

    private PostgresMigrations() {
    }

    /** Applies those of {@code migrations} the schema does not have yet, in one transaction. */
    public static Future<Void> apply(SqlConnection connection, List<Migration> migrations) {
        return connection.begin().compose(tx -> migrate(connection, migrations)
                .compose(v -> tx.commit(), e -> tx.rollback().transform(r -> Future.failedFuture(e))));
    }

    private static Future<Void> migrate(SqlConnection connection, List<Migration> migrations) {
        return run(connection, "select pg_advisory_xact_lock(" + LOCK + ")")
                .compose(v -> run(connection, "set local client_min_messages to warning")) // no "already exists"
                .compose(v -> run(connection, "create table if not exists sekisho_schema_migrations ("
                        + "version int primary key, applied_at timestamptz not null)"))
                .compose(v -> connection.query("select version from sekisho_schema_migrations").execute())
                .compose(rows -> {
                    Set<Integer> applied = new HashSet<>();
                    for (Row row : rows) {
                        applied.add(row.getInteger(0));
                    }
                    Future<Void> chain = Future.succeededFuture();
                    for (Migration migration : migrations) {
                        if (!applied.contains(migration.version())) {
                            chain = chain.compose(v -> applyOne(connection, migration));
                        }
                    }
                    return chain;
                });
    }

    private static Future<Void> applyOne(SqlConnection connection, Migration migration) {
        Future<Void> chain = Future.succeededFuture();
        for (String statement : migration.statements()) {
            chain = chain.compose(v -> run(connection, statement));
        }
        return chain.compose(v -> run(connection, "insert into sekisho_schema_migrations (version, applied_at)"
                + " values (" + migration.version() + ", now())"));
    }

    private static Future<Void> run(SqlConnection connection, String sql) {
        return connection.query(sql).execute().mapEmpty();
    }
}
