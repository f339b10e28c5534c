package jp.sekisho.audit;

import io.vertx.sqlclient.SqlConnection;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.sekisho.storage.PostgresMigrations;
import jp.sekisho.storage.PostgresMigrations.Migration;

/**
 * The audit tables in PostgreSQL: created, in numbered migrations recorded in
 * {@code sekisho_schema_migrations}, when the sink connects; and the monthly partitions of
 * {@code sekisho_audit}, created before the first row of a month goes in. Blocking; never on an
 * event loop.
 */
final class PostgresAuditSchema {

    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("'sekisho_audit_'yyyy_MM");

    /** This component's share of the database-wide sequence ({@link PostgresMigrations}). */
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, List.of(
            """
            create table sekisho_audit (
              instance text not null, seq bigint not null, time timestamptz not null, tenant text,
              kind text not null, request_id text, username text, app text, decision text, status int,
              record jsonb not null,
              primary key (instance, seq, time)
            ) partition by range (time)""",
            "create index sekisho_audit_time_idx on sekisho_audit (time)",
            "create index sekisho_audit_username_time_idx on sekisho_audit (username, time)",
            "create index sekisho_audit_app_time_idx on sekisho_audit (app, time)",
            """
            create table sekisho_audit_cursor (
              instance text primary key, seq bigint not null, updated_at timestamptz not null
            )""")));

    private final long timeoutMillis;
    private final Set<YearMonth> partitions = new HashSet<>();

    PostgresAuditSchema(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Brings the schema up to date; replicas starting together take turns ({@link PostgresMigrations}). */
    void migrate(SqlConnection connection) throws Exception {
        partitions.clear(); // a new connection may see a database where they were dropped
        run(connection, "set client_min_messages to warning"); // not "already exists, skipping" per partition
        await(PostgresMigrations.apply(connection, MIGRATIONS));
    }

    /** Creates the partition of {@code month} unless this connection already saw it. */
    void ensurePartition(SqlConnection connection, YearMonth month) throws Exception {
        if (partitions.contains(month)) {
            return;
        }
        String from = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        run(connection, "create table if not exists " + PARTITION.format(month) + " partition of sekisho_audit"
                + " for values from ('" + from + "') to ('" + to + "')");
        partitions.add(month);
    }

    private void run(SqlConnection connection, String sql) throws Exception {
        await(connection.query(sql).execute());
    }

    <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
