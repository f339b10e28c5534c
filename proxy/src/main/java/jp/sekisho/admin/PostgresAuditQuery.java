package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.audit.export.ExportFilter;

/**
 * The audit query over the PostgreSQL sink's table, which every replica feeds: what auditors of a
 * shared deployment need, since each replica's own trail holds only its share.
 */
final class PostgresAuditQuery implements AuditQuery {

    private static final String SELECT = "select record::text from sekisho_audit"
            + " where kind in ('access', 'breakout', 'admin')"
            + " and ($1::timestamptz is null or time >= $1) and ($2::timestamptz is null or time < $2)"
            + " and ($3::text is null or username = $3 or record->'user'->>'subject' = $3)"
            + " and ($4::text is null or app = $4) and ($5::text is null or decision = $5)"
            + " and ($6::text is null or tenant = $6)"
            + " and ($7::text[] is null or (kind in ('access', 'breakout') and tenant = any($7)))"
            + " and ($9::text is null or lower(record->'device'->>'id') = lower($9))"
            + " order by time, instance, seq limit $8";

    private final Pool pool;

    PostgresAuditQuery(Vertx vertx, PgConnectOptions options) {
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
    }

    @Override
    public Future<Page> find(ExportFilter filter, Optional<Set<String>> tenants, int limit) {
        Tuple params = Tuple.tuple()
                .addOffsetDateTime(filter.from().map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null))
                .addOffsetDateTime(filter.to().map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null))
                .addString(filter.user().orElse(null)).addString(filter.app().orElse(null))
                .addString(filter.decision().orElse(null)).addString(filter.tenant().orElse(null))
                .addArrayOfString(tenants.map(t -> t.toArray(String[]::new)).orElse(null))
                .addInteger(limit + 1)
                .addString(filter.device().orElse(null));
        return pool.preparedQuery(SELECT).execute(params).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row row : rows) {
                if (out.size() == limit) {
                    return new Page(out, true, "postgresql");
                }
                out.add(new JsonObject(row.getString(0)));
            }
            return new Page(out, false, "postgresql");
        });
    }

    @Override
    public Future<Void> close() {
        return pool.close();
    }
}
