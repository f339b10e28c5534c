package jp.sekisho.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.device.Quarantine;

/**
 * The store several replicas share: PostgreSQL, tables in the connection's schema
 * ({@link PostgresStoreSchema}). Each write commits together with a notification
 * ({@link PostgresChanges}), so the other replicas re-read within a second of the commit, and
 * a replica that was cut off re-reads everything when it reconnects.
 *
 * <p>Versions are appended under a lock that only appenders take (advisory, one per schema: it
 * needs no privilege beyond {@code insert}, so the history can be kept append-only by grants),
 * so of two administrators applying against the same version exactly one wins and the other
 * gets a {@link VersionConflict}; readers are never blocked. Times are kept to the microsecond, as
 * PostgreSQL keeps them.
 */
public final class PostgresPolicyStore implements PolicyStore {

    /** The {@code application_name} of the store's connections, unless the options name them. */
    public static final String APPLICATION_NAME = "sekisho-policy-store";
    private static final Logger LOG = Logger.getLogger(PostgresPolicyStore.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final long OPEN_TIMEOUT_MS = 10_000;
    private static final int POOL_SIZE = 4;
    private static final Duration PING = Duration.ofSeconds(10);
    private static final String VERSION_COLUMNS = "number, sha256, author, created_at, comment, text, rollback_of";
    private static final String SELECT_VERSIONS = "select " + VERSION_COLUMNS + " from sekisho_policy_versions";
    private static final String LOCK_APPENDS = "select pg_advisory_xact_lock(hashtext('sekisho_policy_versions'),"
            + " hashtext(current_schema()))";

    private final Pool pool;
    private final Clock clock;
    private final PostgresHealth health;
    private final PostgresChanges changes;
    private final List<Consumer<StoreTopic>> listeners = new CopyOnWriteArrayList<>();

    private PostgresPolicyStore(Vertx vertx, PgConnectOptions options, Clock clock, Duration ping) {
        this.clock = clock;
        this.health = new PostgresHealth(clock, where(options));
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(POOL_SIZE))
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpKeepAlive(true))
                .connectingTo(options).using(vertx).build();
        this.changes = new PostgresChanges(vertx, options, health, this::changed, ping);
    }

    /**
     * Migrates the schema, starts listening, and completes with the store once both are done;
     * fails within {@value #OPEN_TIMEOUT_MS} ms when the database cannot be reached, so a
     * replica does not start half-way.
     */
    public static Future<PostgresPolicyStore> open(Vertx vertx, PgConnectOptions options, Clock clock) {
        return open(vertx, options, clock, PING);
    }

    /** @param ping how often the listening connection must answer (tests shorten it) */
    static Future<PostgresPolicyStore> open(Vertx vertx, PgConnectOptions options, Clock clock, Duration ping) {
        PgConnectOptions named = new PgConnectOptions(options);
        if ("vertx-pg-client".equals(named.getProperties().get("application_name"))) {
            named.addProperty("application_name", APPLICATION_NAME);
        }
        PostgresPolicyStore store = new PostgresPolicyStore(vertx, named, clock, ping);
        return store.pool.withConnection(PostgresStoreSchema::migrate)
                .compose(schema -> store.changes.start(schema))
                .timeout(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(v -> {
                    LOG.info("the policy store is PostgreSQL at " + where(named));
                    return store;
                })
                .recover(e -> {
                    store.close(); // not awaited: closing a connection the server never answers can hang too
                    return Future.failedFuture(new IllegalStateException(
                            "cannot open the policy store in PostgreSQL at " + where(named) + ": " + e, e));
                });
    }

    @Override
    public Future<Optional<PolicyVersion>> latest() {
        return tracked(pool.query(SELECT_VERSIONS + " order by number desc limit 1").execute()
                .map(rows -> first(rows).map(PostgresPolicyStore::version)));
    }

    @Override
    public Future<Optional<PolicyVersion>> version(long number) {
        return tracked(pool.preparedQuery(SELECT_VERSIONS + " where number = $1").execute(Tuple.of(number))
                .map(rows -> first(rows).map(PostgresPolicyStore::version)));
    }

    @Override
    public Future<List<PolicyVersion>> history(int limit) {
        return tracked(pool.preparedQuery(SELECT_VERSIONS + " order by number desc limit $1")
                .execute(Tuple.of(Math.max(0, limit))).map(rows -> {
                    List<PolicyVersion> versions = new ArrayList<>();
                    rows.forEach(row -> versions.add(version(row)));
                    return versions;
                }));
    }

    @Override
    public Future<PolicyVersion> append(long expectedLatest, NewVersion change) {
        PolicyVersion next = new PolicyVersion(Math.max(1, expectedLatest + 1), // below 0 conflicts anyway
                Digests.sha256(change.text()), change.author(), now(),
                change.comment(), change.text(), change.rollbackOf());
        return tracked(pool.withTransaction(tx -> tx
                .query(LOCK_APPENDS).execute()
                .compose(v -> tx.query("select coalesce(max(number), 0) from sekisho_policy_versions").execute())
                .compose(rows -> {
                    long latest = rows.iterator().next().getLong(0);
                    if (latest != expectedLatest) {
                        return Future.failedFuture(new VersionConflict(expectedLatest, latest));
                    }
                    return tx.preparedQuery("insert into sekisho_policy_versions (" + VERSION_COLUMNS + ")"
                            + " values ($1, $2, $3, $4, $5, $6, $7)").execute(Tuple.of(next.number(), next.sha256(),
                                    next.author(), time(next.createdAt()), next.comment(), next.text(),
                                    next.rollbackOf().orElse(null)))
                            .compose(v -> PostgresChanges.notify(tx, StoreTopic.POLICY))
                            .map(next);
                })));
    }

    @Override
    public Future<List<Quarantine.Hold>> holds() {
        return tracked(pool.query("select kind, id, reason, operator, since, tenant from sekisho_quarantine"
                + " order by since, kind, key").execute().map(rows -> {
                    List<Quarantine.Hold> holds = new ArrayList<>();
                    for (Row row : rows) {
                        Optional<Quarantine.Kind> kind = Quarantine.Kind.parse(row.getString("kind"));
                        kind.ifPresent(k -> holds.add(new Quarantine.Hold(k, row.getString("id"),
                                row.getString("reason"), row.getString("operator"), instant(row, "since"),
                                java.util.Optional.ofNullable(row.getString("tenant")))));
                    }
                    return holds;
                }));
    }

    @Override
    public Future<Void> putHold(Quarantine.Hold hold) {
        return write(StoreTopic.HOLDS, tx -> tx.preparedQuery("insert into sekisho_quarantine"
                + " (kind, key, id, reason, operator, since, tenant) values ($1, $2, $3, $4, $5, $6, $7)"
                + " on conflict (kind, key) do update set id = excluded.id, reason = excluded.reason,"
                + " operator = excluded.operator, since = excluded.since, tenant = excluded.tenant")
                .execute(Tuple.of(hold.kind().code(), Quarantine.key(hold.id()), hold.id(), hold.reason(),
                        hold.operator(), time(hold.since()), hold.tenant().orElse(null))));
    }

    @Override
    public Future<Boolean> removeHold(Quarantine.Kind kind, String key) {
        return tracked(pool.withTransaction(tx -> tx
                .preparedQuery("delete from sekisho_quarantine where kind = $1 and key = $2")
                .execute(Tuple.of(kind.code(), Quarantine.key(key)))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
                        : PostgresChanges.notify(tx, StoreTopic.HOLDS).map(true))));
    }

    @Override
    public Future<RevokedSessions> revocations() {
        return tracked(pool.preparedQuery("select 's', session_id, until from sekisho_revoked_sessions where until > $1"
                + " union all select 'u', user_key, cutoff from sekisho_revoked_users")
                .execute(Tuple.of(time(now()))).map(rows -> {
                    Map<String, Instant> sessions = new HashMap<>();
                    Map<String, Instant> users = new HashMap<>();
                    for (Row row : rows) {
                        Instant at = row.getOffsetDateTime(2).toInstant();
                        ("s".equals(row.getString(0)) ? sessions : users).put(row.getString(1), at);
                    }
                    return new RevokedSessions(sessions, users);
                }));
    }

    @Override
    public Future<Void> revokeSession(String sessionId, Instant until) {
        return write(StoreTopic.REVOCATIONS, tx -> tx
                .preparedQuery("delete from sekisho_revoked_sessions where until <= $1").execute(Tuple.of(time(now())))
                .compose(v -> tx.preparedQuery("insert into sekisho_revoked_sessions (session_id, until)"
                        + " values ($1, $2) on conflict (session_id) do update"
                        + " set until = greatest(sekisho_revoked_sessions.until, excluded.until)")
                        .execute(Tuple.of(sessionId, time(until)))));
    }

    @Override
    public Future<Void> revokeUser(String userKey, Instant cutoff) {
        return write(StoreTopic.REVOCATIONS, tx -> tx
                .preparedQuery("insert into sekisho_revoked_users (user_key, cutoff) values ($1, $2)"
                        + " on conflict (user_key) do update"
                        + " set cutoff = greatest(sekisho_revoked_users.cutoff, excluded.cutoff)")
                .execute(Tuple.of(userKey, time(cutoff))));
    }

    @Override
    public void onChange(Consumer<StoreTopic> listener) {
        listeners.add(listener);
    }

    @Override
    public StoreStatus status() {
        return health.status();
    }

    @Override
    public Future<Void> close() {
        return changes.close().transform(v -> pool.close());
    }

    /** Called on the listening connection's event loop. */
    private void changed(StoreTopic topic) {
        for (Consumer<StoreTopic> listener : listeners) {
            try {
                listener.accept(topic);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of the policy store failed on " + topic, e);
            }
        }
    }

    /** Runs {@code change} and announces {@code topic} in one transaction. */
    private Future<Void> write(StoreTopic topic, Function<SqlConnection, Future<?>> change) {
        return tracked(pool.withTransaction(tx -> change.apply(tx).compose(v -> PostgresChanges.notify(tx, topic))));
    }

    /** Tells the health whether the database answered. */
    private <T> Future<T> tracked(Future<T> query) {
        return query.andThen(result -> health.queried(result.cause()));
    }

    /** Where the store is, for messages: never the password. */
    private static String where(PgConnectOptions options) {
        return options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    }

    private static Optional<Row> first(Iterable<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    private static PolicyVersion version(Row row) {
        return new PolicyVersion(row.getLong("number"), row.getString("sha256"), row.getString("author"),
                instant(row, "created_at"), row.getString("comment"), row.getString("text"),
                Optional.ofNullable(row.getLong("rollback_of")));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }
}
