package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Outcome;
import jp.sekisho.testing.Eventually;
import jp.sekisho.testing.MutableClock;
import jp.sekisho.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL sink copies the trail into the real database, a row per record in monthly
 * partitions, and, since each batch and its cursor commit together, puts every record there
 * exactly once: across an unreachable database, a connection killed mid-way and a restart.
 */
class PostgresSinkTest {

    private static final Instant NOVEMBER = Instant.parse("2026-11-24T01:00:00Z");
    private static final Instant DECEMBER = Instant.parse("2026-12-02T01:00:00Z");

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @TempDir
    Path data;
    Path dir;
    TestTrail trail;
    Vertx vertx;
    final ProxyMetrics metrics = new ProxyMetrics();
    final List<PostgresSink> sinks = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = data.resolve("audit");
        trail = TestTrail.open(dir, Files.createDirectories(data.resolve("keys")), new MutableClock(NOVEMBER));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws IOException {
        sinks.forEach(s -> s.stop(Duration.ofMillis(500)));
        trail.close();
        vertx.close().await();
    }

    private PostgresSink sink(PgConnectOptions options, String instance, boolean startAtOldest) {
        PostgresSink sink = new PostgresSink(vertx, dir, trail::lastSeq, new PostgresSink.Settings(options, instance,
                startAtOldest, Duration.ofMillis(20), Duration.ofMillis(200)), metrics.postgresqlSink());
        sinks.add(sink);
        return sink.start();
    }

    /** Requests r{from}..r{to} by sato, allowed, in November. */
    private void write(int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            trail.write(TestTrail.request("r" + i, NOVEMBER.plusSeconds(i), "sato", "juminhyo", "/juminhyo/" + i,
                    Outcome.ALLOW, 200));
        }
    }

    private List<Long> seqs(String instance) {
        return postgres.query("select seq from sekisho_audit where instance = $1 order by seq", instance).stream()
                .map(r -> r.getLong(0)).toList();
    }

    private long cursor(String instance) {
        return postgres.query("select seq from sekisho_audit_cursor where instance = $1", instance).get(0).getLong(0);
    }

    private List<String> trailLines() throws IOException {
        try (Stream<String> lines = AuditFiles.lines(dir)) {
            return lines.toList();
        }
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    private double sinkMetric(String name) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(name + "{sink=\"postgresql\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not exported");
    }

    /** Whether {@code condition} holds; not yet while the sink has not made the tables. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (io.vertx.pgclient.PgException e) {
            return false;
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void copiesEveryRecordWithItsColumnsAndTheWholeRecordIntoMonthlyPartitions() throws Exception {
        trail.write(TestTrail.request("r1", NOVEMBER, "sato", "juminhyo", "/juminhyo/1", Outcome.ALLOW, 200));
        trail.write(TestTrail.withDeviceAndFile(TestTrail.request("r2", DECEMBER, "tanaka", "zeimu", "/住民税/山田 太郎",
                Outcome.DENY, 403), "pc-0042", "kazei.pdf", "ab".repeat(32)));
        sink(postgres.options(), "sekisho-1", true);

        Eventually.await("two rows", () -> holds(() -> seqs("sekisho-1").size() == 2));
        List<Row> rows = postgres.query("select seq, time, tenant, kind, request_id, username, app, decision, status,"
                + " record::text from sekisho_audit order by seq");
        Row november = rows.get(0);
        assertEquals(1L, november.getLong("seq"));
        assertEquals(NOVEMBER, november.getOffsetDateTime("time").toInstant());
        assertNull(november.getString("tenant"));
        assertEquals("access", november.getString("kind"));
        assertEquals("r1", november.getString("request_id"));
        assertEquals("sato", november.getString("username"));
        assertEquals("juminhyo", november.getString("app"));
        assertEquals("allow", november.getString("decision"));
        assertEquals(200, november.getInteger("status"));
        Row december = rows.get(1);
        assertEquals(List.of("r2", "tanaka", "zeimu", "deny", 403), List.of(december.getString("request_id"),
                december.getString("username"), december.getString("app"), december.getString("decision"),
                december.getInteger("status")));
        List<String> lines = trailLines();
        for (int i = 0; i < 2; i++) {
            assertEquals(1L, postgres.query("select count(*) from sekisho_audit where seq = $1 and record = $2::text::jsonb",
                    i + 1L, lines.get(i)).get(0).getLong(0), "the whole record, as chained: " + lines.get(i));
        }
        assertEquals("/住民税/山田 太郎", postgres.query("select record->>'path' from sekisho_audit where seq = 2")
                .get(0).getString(0));
        assertEquals("pc-0042", postgres.query("select record#>>'{device,id}' from sekisho_audit where seq = 2")
                .get(0).getString(0));

        assertEquals(List.of("sekisho_audit_2026_11", "sekisho_audit_2026_12"), postgres.query(
                "select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " join pg_class p on p.oid = i.inhparent where p.relname = 'sekisho_audit'"
                + " and p.relnamespace = current_schema()::regnamespace and c.relkind = 'r' order by 1")
                .stream().map(r -> r.getString(0)).toList());
        assertEquals(1L, postgres.query("select count(*) from sekisho_audit_2026_12").get(0).getLong(0));
        assertEquals(List.of(1), postgres.query("select version from sekisho_schema_migrations").stream()
                .map(r -> r.getInteger(0)).toList());
        Eventually.await("cursor at 2", () -> holds(() -> cursor("sekisho-1") == 2));
        assertEquals(2.0, sinkMetric("sekisho_audit_sink_delivered_records_total"));
        assertEquals(0.0, sinkMetric("sekisho_audit_sink_lag_records"));
        assertEquals(1.0, sinkMetric("sekisho_audit_sink_connected"));
    }

    @Test
    void losesNothingWhileTheDatabaseIsAwayAndInsertsEachRecordOnceInOrder() throws Exception {
        PostgresSink away = sink(postgres.unreachable(closedPort()), "sekisho-1", true);
        write(1, 30);
        Eventually.await("connection errors counted",
                () -> holds(() -> sinkMetric("sekisho_audit_sink_errors_total") >= 2));
        assertEquals(30.0, sinkMetric("sekisho_audit_sink_lag_records"));
        assertEquals(0.0, sinkMetric("sekisho_audit_sink_connected"));
        away.stop(Duration.ofMillis(100));

        // the database is back; then its connection is killed twice while records flow
        PgConnectOptions options = postgres.options().addProperty("application_name", "sink-" + System.nanoTime());
        PostgresSink sink = sink(options, "sekisho-1", true);
        Eventually.await("the first 30", () -> holds(() -> sink.deliveredSeq() == 30));
        double errors = sinkMetric("sekisho_audit_sink_errors_total");
        for (int round = 0; round < 2; round++) {
            write(31 + round * 200, 230 + round * 200);
            postgres.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '"
                    + options.getProperties().get("application_name") + "'");
        }
        long last = trail.lastSeq();
        Eventually.await("all " + last, () -> sink.deliveredSeq() == last);
        assertEquals(oneTo(last), seqs("sekisho-1"), "each once, in order");
        assertTrue(sinkMetric("sekisho_audit_sink_errors_total") > errors, "the killed connection was noticed");
        assertEquals(last, cursor("sekisho-1"));
        assertEquals(0.0, sinkMetric("sekisho_audit_sink_lag_records"));
    }

    @Test
    void aRestartedSinkResumesFromItsCursorWithoutDuplicates() throws Exception {
        write(1, 20);
        PostgresSink first = sink(postgres.options(), "sekisho-1", true);
        Eventually.await("20 rows", () -> holds(() -> first.deliveredSeq() == 20));
        first.stop(Duration.ofSeconds(2));
        write(21, 40);

        PostgresSink second = sink(postgres.options(), "sekisho-1", true);
        Eventually.await("40 rows", () -> holds(() -> second.deliveredSeq() == 40));
        assertEquals(oneTo(40), seqs("sekisho-1"));
        assertEquals(40, cursor("sekisho-1"));
        // another replica has its own trail and seq: its rows stand beside these
        PostgresSink replica = sink(postgres.options(), "sekisho-2", true);
        Eventually.await("the replica's 40", () -> holds(() -> replica.deliveredSeq() == 40));
        assertEquals(80L, postgres.query("select count(*) from sekisho_audit").get(0).getLong(0));
    }

    @Test
    void startAtNowSkipsWhatWasWrittenBefore() throws Exception {
        write(1, 10);
        PostgresSink sink = sink(postgres.options(), "sekisho-1", false);
        Eventually.await("the cursor row",
                () -> holds(() -> !postgres.query("select 1 from sekisho_audit_cursor").isEmpty()));
        assertEquals(10, cursor("sekisho-1"));
        write(11, 12);
        Eventually.await("two rows", () -> holds(() -> sink.deliveredSeq() == 12));
        assertEquals(List.of(11L, 12L), seqs("sekisho-1"));
    }
}
