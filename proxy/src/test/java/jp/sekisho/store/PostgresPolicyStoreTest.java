package jp.sekisho.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jp.sekisho.audit.PostgresSink;
import jp.sekisho.device.Quarantine.Hold;
import jp.sekisho.device.Quarantine.Kind;
import jp.sekisho.testing.Eventually;
import jp.sekisho.testing.MutableClock;
import jp.sekisho.testing.TcpRelay;
import jp.sekisho.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared store on the machine's real PostgreSQL, each store opened here standing for one
 * replica: versions append in order and exactly once, every replica hears of every change
 * (holds and revocations too), a replica cut off from the database says so and catches up when
 * it is back, and a store that cannot reach the database refuses to open, quickly.
 */
class PostgresPolicyStoreTest {

    private static final Instant START = Instant.parse("2026-11-24T01:00:00.123456Z");

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    final MutableClock clock = new MutableClock(START);
    final List<PostgresPolicyStore> stores = new ArrayList<>();
    final List<AutoCloseable> closeLast = new ArrayList<>();
    Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (PostgresPolicyStore store : stores) {
            outcome(store.close());
        }
        for (AutoCloseable closeable : closeLast) {
            closeable.close();
        }
        vertx.close().await();
    }

    private PostgresPolicyStore open(PgConnectOptions options) throws Exception {
        PostgresPolicyStore store = await(PostgresPolicyStore.open(vertx, options, clock));
        stores.add(store);
        return store;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    /** How {@code future} ended, success or failure, within 20 s. */
    private static <T> AsyncResult<T> outcome(Future<T> future) throws Exception {
        return future.transform(Future::succeededFuture).await(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) throws Exception {
        AsyncResult<?> result = outcome(future);
        assertTrue(result.failed(), "expected a failure, got " + result.result());
        return result.cause();
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static List<StoreTopic> heard(PolicyStore store) {
        List<StoreTopic> heard = new CopyOnWriteArrayList<>();
        store.onChange(heard::add);
        return heard;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void appendsNumberedVersionsWithTheirDigestAndReadsThemNewestFirst() throws Exception {
        PostgresPolicyStore store = open(postgres.options());
        assertEquals(Optional.empty(), await(store.latest()));
        assertEquals(List.of(), await(store.history(10)));

        PolicyVersion first = await(store.append(0, new NewVersion("defaults: deny\n", "admin-sato", "seed")));
        assertEquals(1, first.number());
        assertEquals(sha256("defaults: deny\n"), first.sha256());
        assertEquals(START, first.createdAt());
        clock.advance(Duration.ofMinutes(5));
        String japanese = "apps:\n  juminhyo: {name: 住民票, segment: 住基}\n";
        PolicyVersion second = await(store.append(1, new NewVersion(japanese, "admin-tanaka", "住民票の追加")));
        assertEquals(sha256(japanese), second.sha256(), "of the UTF-8 bytes");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                await(store.append(2, new NewVersion("abc", "admin-sato", "a known digest"))).sha256());
        PolicyVersion rollback = await(store.append(3, new NewVersion("defaults: deny\n", "admin-sato",
                "back to the seed", Optional.of(1L))));
        assertEquals(Optional.of(1L), rollback.rollbackOf());
        assertEquals(first.sha256(), rollback.sha256());

        assertEquals(Optional.of(rollback), await(store.latest()));
        assertEquals(Optional.of(second), await(store.version(2)));
        assertEquals(Optional.empty(), await(store.version(5)));
        assertEquals(List.of(4L, 3L, 2L, 1L), await(store.history(10)).stream().map(PolicyVersion::number).toList());
        assertEquals(List.of(rollback), await(store.history(1)));

        VersionConflict stale = assertInstanceOf(VersionConflict.class,
                failure(store.append(2, new NewVersion("stale", "admin-ito", "based on v2"))));
        assertEquals(2, stale.expected());
        assertEquals(4, stale.latest());
        // another replica reads exactly what was stored, nothing of the refused change
        PostgresPolicyStore replica = open(postgres.options());
        assertEquals(await(store.history(10)), await(replica.history(10)));
        assertEquals(Optional.of(second), await(replica.version(2)));
    }

    @Test
    void ofConcurrentAppendsOnTheSameVersionExactlyOneWins() throws Exception {
        PostgresPolicyStore a = open(postgres.options());
        PostgresPolicyStore b = open(postgres.options());
        for (long round = 1; round <= 5; round++) {
            List<Future<PolicyVersion>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add((i % 2 == 0 ? a : b).append(round - 1,
                        new NewVersion("round " + round + " attempt " + i, "admin-" + i, "race")));
            }
            int won = 0;
            for (Future<PolicyVersion> attempt : attempts) {
                AsyncResult<PolicyVersion> result = outcome(attempt);
                if (result.succeeded()) {
                    won++;
                    assertEquals(round, result.result().number());
                } else {
                    VersionConflict conflict = assertInstanceOf(VersionConflict.class, result.cause());
                    assertEquals(round - 1, conflict.expected());
                    assertEquals(round, conflict.latest(), "the loser learns the winner's number");
                }
            }
            assertEquals(1, won, "round " + round);
        }
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), await(b.history(10)).stream().map(PolicyVersion::number).toList());
    }

    @Test
    void anotherReplicaHearsOfANewVersionAndReadsIt() throws Exception {
        PostgresPolicyStore a = open(postgres.options());
        // as a configuration would give it
        PostgresPolicyStore b = open(PostgresSink.connectOptions(postgres.url(), null,
                PostgresPolicyStore.APPLICATION_NAME));
        List<StoreTopic> heardByA = heard(a);
        AtomicLong heardAt = new AtomicLong();
        b.onChange(topic -> {
            if (topic == StoreTopic.POLICY) {
                heardAt.compareAndSet(0, System.nanoTime());
            }
        });

        long start = System.nanoTime();
        PolicyVersion applied = await(a.append(0, new NewVersion("defaults: deny\n", "admin-sato", "seed")));
        long durable = System.nanoTime();
        Eventually.await("the other replica hears of the new policy", () -> heardAt.get() != 0);
        System.out.printf("policy propagation: the other replica heard of v1 %.1f ms after append was called"
                + " (append took %.1f ms)%n", (heardAt.get() - start) / 1e6, (durable - start) / 1e6);
        assertEquals(Optional.of(applied), await(b.latest()));
        Eventually.await("the writer hears of its own change too", () -> heardByA.contains(StoreTopic.POLICY));
    }

    @Test
    void holdsRoundTripAndReachTheOtherReplica() throws Exception {
        PostgresPolicyStore a = open(postgres.options());
        PostgresPolicyStore b = open(postgres.options());
        List<StoreTopic> heardByA = heard(a);
        List<StoreTopic> heardByB = heard(b);

        Hold user = new Hold(Kind.USER, "sato", "left the office", "hr-ito", START.plusSeconds(60));
        Hold device = new Hold(Kind.DEVICE, "LG-PC-0001", "lost laptop", "soc-suzuki", START);
        await(a.putHold(user));
        await(a.putHold(device));
        Eventually.await("b hears of the holds", () -> heardByB.contains(StoreTopic.HOLDS));
        assertEquals(List.of(device, user), await(b.holds()), "oldest first");

        // the EDR spells the device in lower case: the same device, so the hold is replaced
        Hold again = new Hold(Kind.DEVICE, "lg-pc-0001", "found; reimaging", "soc-suzuki", START.plusSeconds(120));
        await(a.putHold(again));
        assertEquals(List.of(user, again), await(b.holds()));

        heardByA.clear();
        assertTrue(await(b.removeHold(Kind.DEVICE, "LG-PC-0001")));
        assertFalse(await(b.removeHold(Kind.DEVICE, "lg-pc-0001")), "already lifted");
        assertFalse(await(b.removeHold(Kind.USER, "lg-pc-0001")), "a user of that name is not held");
        Eventually.await("a hears of the lifted hold", () -> heardByA.contains(StoreTopic.HOLDS));
        assertEquals(List.of(user), await(a.holds()));
    }

    @Test
    void revocationsRoundTripReachTheOtherReplicaAndExpire() throws Exception {
        PostgresPolicyStore a = open(postgres.options());
        PostgresPolicyStore b = open(postgres.options());
        List<StoreTopic> heardByB = heard(b);
        assertEquals(RevokedSessions.none(), await(b.revocations()));

        await(a.revokeSession("session-1", START.plus(Duration.ofHours(8))));
        await(a.revokeSession("session-2", START.plus(Duration.ofMinutes(10))));
        await(a.revokeUser("https://idp.example.lg.jp|sato", START.plusSeconds(100)));
        await(a.revokeUser("https://idp.example.lg.jp|sato", START.plusSeconds(50))); // cannot shorten it
        Eventually.await("b hears of the revocations", () -> heardByB.contains(StoreTopic.REVOCATIONS));
        assertEquals(new RevokedSessions(
                Map.of("session-1", START.plus(Duration.ofHours(8)), "session-2", START.plus(Duration.ofMinutes(10))),
                Map.of("https://idp.example.lg.jp|sato", START.plusSeconds(100))), await(b.revocations()));

        clock.advance(Duration.ofMinutes(30)); // session-2 has expired: nobody needs to remember it
        assertEquals(Map.of("session-1", START.plus(Duration.ofHours(8))), await(b.revocations()).sessions());
        await(b.revokeSession("session-3", START.plus(Duration.ofHours(9))));
        assertEquals(List.of("session-1", "session-3"), postgres.query("select session_id"
                + " from sekisho_revoked_sessions order by 1").stream().map(r -> r.getString(0)).toList(),
                "a revocation prunes the expired ones");
    }

    @Test
    void migrationsRunOnceWhenReplicasStartTogetherAndBesideTheAuditSinks() throws Exception {
        // the audit sink migrated this schema first: its version 1 must not hide the store's
        postgres.query("create table sekisho_schema_migrations (version int primary key,"
                + " applied_at timestamptz not null)");
        postgres.query("insert into sekisho_schema_migrations values (1, now())");

        List<Future<PostgresPolicyStore>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(PostgresPolicyStore.open(vertx, postgres.options(), clock).andThen(r -> {
                if (r.succeeded()) {
                    synchronized (stores) {
                        stores.add(r.result());
                    }
                }
            }));
        }
        for (Future<PostgresPolicyStore> store : starting) {
            assertTrue(outcome(store).succeeded(), () -> "replicas starting together: " + store.cause());
        }
        PostgresPolicyStore later = open(postgres.options()); // a restart finds the schema up to date
        await(later.append(0, new NewVersion("defaults: deny\n", "admin-sato", "seed")));
        assertEquals(1, await(starting.get(0).result().latest()).orElseThrow().number());
        assertEquals(List.of(1, 2), postgres.query("select version from sekisho_schema_migrations order by 1").stream()
                .map(r -> r.getInteger(0)).toList());
    }

    @Test
    void aReplicaCutOffSaysSoAndCatchesUpWhenTheDatabaseIsBack() throws Exception {
        TcpRelay relay = TcpRelay.to(postgres.options().getHost(), postgres.options().getPort());
        closeLast.add(relay);
        PostgresPolicyStore cutOff = open(postgres.options().setPort(relay.port()));
        PostgresPolicyStore direct = open(postgres.options());
        List<StoreTopic> heard = heard(cutOff);
        assertTrue(cutOff.status().connected());
        assertEquals("postgresql", cutOff.status().kind());

        clock.advance(Duration.ofMinutes(1));
        relay.cut();
        Eventually.await("the cut-off replica notices", () -> !cutOff.status().connected());
        StoreStatus down = cutOff.status();
        assertEquals(START.plus(Duration.ofMinutes(1)), down.since());
        assertTrue(down.lastError().isPresent(), "says what is wrong");
        System.out.println("while cut off: " + down);
        assertTrue(PostgresHealth.isConnectionFailure(failure(cutOff.latest())), "reads fail meanwhile");

        PolicyVersion missed = await(direct.append(0, new NewVersion("defaults: deny\n", "admin-sato", "seed")));
        heard.clear();
        clock.advance(Duration.ofMinutes(1));
        relay.restore();
        Eventually.await("reconnected", () -> cutOff.status().connected());
        assertEquals(START.plus(Duration.ofMinutes(2)), cutOff.status().since());
        assertEquals(Optional.empty(), cutOff.status().lastError());
        Eventually.await("told to re-read everything", () -> heard.containsAll(List.of(StoreTopic.values())));
        assertEquals(Optional.of(missed), await(cutOff.latest()));

        // and it hears of changes as before
        heard.clear();
        await(direct.putHold(new Hold(Kind.DEVICE, "LG-PC-0002", "stolen", "soc-suzuki", START)));
        Eventually.await("hears of the next change", () -> heard.contains(StoreTopic.HOLDS));
    }

    @Test
    void aReplicaWhoseConnectionGoesSilentNoticesByItsPingAndCatchesUp() throws Exception {
        TcpRelay relay = TcpRelay.to(postgres.options().getHost(), postgres.options().getPort());
        closeLast.add(relay);
        PostgresPolicyStore silent = await(PostgresPolicyStore.open(vertx, postgres.options().setPort(relay.port()),
                clock, Duration.ofMillis(300)));
        stores.add(silent);
        PostgresPolicyStore direct = open(postgres.options());
        List<StoreTopic> heard = heard(silent);

        relay.freeze(); // nothing is closed: only the unanswered ping tells
        Eventually.await("the replica notices the silence", () -> !silent.status().connected());
        PolicyVersion missed = await(direct.append(0, new NewVersion("defaults: deny\n", "admin-sato", "seed")));
        heard.clear();
        relay.restore();
        Eventually.await("reconnected", () -> silent.status().connected());
        Eventually.await("told to re-read everything", () -> heard.containsAll(List.of(StoreTopic.values())));
        assertEquals(Optional.of(missed), await(silent.latest()));
    }

    @Test
    void openFailsPromptlyWhenTheDatabaseIsUnreachable() throws Exception {
        int port = closedPort();
        long start = System.nanoTime();
        Throwable refused = failure(PostgresPolicyStore.open(vertx, postgres.unreachable(port), clock)
                .timeout(5, TimeUnit.SECONDS));
        System.out.printf("open failed after %.0f ms: %s%n", (System.nanoTime() - start) / 1e6, refused.getMessage());
        assertTrue(refused.getMessage().contains("127.0.0.1:" + port), refused.getMessage());
        assertFalse(refused.getMessage().contains("Timeout"), "refused, not timed out: " + refused);
    }

    @Test
    void openFailsRatherThanHangsWhenTheServerNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // never accepts
            Throwable failure = failure(PostgresPolicyStore.open(vertx, postgres.unreachable(silent.getLocalPort()),
                    clock).timeout(15, TimeUnit.SECONDS));
            assertTrue(failure.getMessage().contains("cannot open the policy store"), failure.toString());
        }
    }
}
