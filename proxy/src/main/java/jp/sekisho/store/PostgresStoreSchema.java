package jp.sekisho.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import jp.sekisho.storage.PostgresMigrations;
import jp.sekisho.storage.PostgresMigrations.Migration;

/**
 * The policy store's tables, created at start in the connection's schema ({@code search_path}).
 * Its migrations share the database-wide sequence with the audit sink's ({@link PostgresMigrations}),
 * so both may live in one schema: the store's first is number 2.
 */
final class PostgresStoreSchema {

    private static final List<Migration> MIGRATIONS = List.of(new Migration(2, List.of(
            """
            create table sekisho_policy_versions (
              number bigint primary key, sha256 text not null, author text not null,
              created_at timestamptz not null, comment text not null, text text not null,
              rollback_of bigint null references sekisho_policy_versions (number)
            )""",
            """
            create table sekisho_quarantine (
              kind text not null, key text not null, id text not null, reason text not null,
              operator text not null, since timestamptz not null, tenant text null,
              primary key (kind, key)
            )""",
            "create table sekisho_revoked_sessions (session_id text primary key, until timestamptz not null)",
            "create table sekisho_revoked_users (user_key text primary key, cutoff timestamptz not null)")));

    private PostgresStoreSchema() {
    }

    /** Brings the schema up to date and answers its name, which scopes this store's notifications. */
    static Future<String> migrate(SqlConnection connection) {
        return PostgresMigrations.apply(connection, MIGRATIONS)
                .compose(v -> connection.query("select current_schema()").execute())
                .map(rows -> {
                    String schema = rows.iterator().next().getString(0);
                    if (schema == null) {
                        throw new IllegalStateException("no schema of the search_path exists");
                    }
                    return schema;
                });
    }
}
