package jp.sekisho.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.device.Quarantine;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPolicyStoreTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T01:00:00Z"));

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void versionsAreNumberedHashedAndKeptAcrossARestart() throws Exception {
        EmbeddedPolicyStore store = EmbeddedPolicyStore.open(vertx, dir, clock);
        assertEquals(Optional.empty(), store.latest().await());
        PolicyVersion v1 = store.append(0, new NewVersion("apps: []\n", "file sekisho.yaml", "seed")).await();
        PolicyVersion v2 = store.append(1, new NewVersion("apps: [] # two\n", "suzuki", "second")).await();
        PolicyVersion v3 = store.append(2, new NewVersion(v1.text(), "suzuki", "back", Optional.of(1L))).await();
        assertEquals(List.of(1L, 2L, 3L), List.of(v1.number(), v2.number(), v3.number()));
        assertEquals(Digests.sha256("apps: []\n"), v1.sha256());
        assertEquals(v1.sha256(), v3.sha256(), "a rollback is a new version with the old text");

        EmbeddedPolicyStore reopened = EmbeddedPolicyStore.open(vertx, dir, clock);
        assertEquals(v3, reopened.latest().await().orElseThrow());
        assertEquals(List.of(3L, 2L), reopened.history(2).await().stream().map(PolicyVersion::number).toList());
        assertEquals(Optional.of(1L), reopened.version(3).await().orElseThrow().rollbackOf());
    }

    @Test
    void aChangeBasedOnAnOldVersionIsRefusedAndStoresNothing() throws Exception {
        EmbeddedPolicyStore store = EmbeddedPolicyStore.open(vertx, dir, clock);
        store.append(0, new NewVersion("apps: []\n", "a", "")).await();
        store.append(1, new NewVersion("apps: [] # a\n", "a", "")).await();
        VersionConflict conflict = assertThrows(VersionConflict.class,
                () -> store.append(1, new NewVersion("apps: [] # b\n", "b", "")).await());
        assertEquals(2, conflict.latest());
        assertEquals(2, store.latest().await().orElseThrow().number());
    }

    @Test
    void aVersionAlteredOnDiskIsNotServed() throws Exception {
        EmbeddedPolicyStore store = EmbeddedPolicyStore.open(vertx, dir, clock);
        store.append(0, new NewVersion("apps: []\n", "a", "")).await();
        Path file = dir.resolve("policy/versions/000000000001.json");
        Files.writeString(file, Files.readString(file).replace("apps: []", "apps: [x]"));
        Exception e = assertThrows(Exception.class, () -> store.latest().await());
        assertTrue(String.valueOf(e.getMessage()).contains("altered"), e.getMessage());
    }

    @Test
    void holdsAndRevocationsSurviveARestartAndTellListeners() throws Exception {
        EmbeddedPolicyStore store = EmbeddedPolicyStore.open(vertx, dir, clock);
        List<StoreTopic> heard = new ArrayList<>();
        store.onChange(heard::add);
        store.putHold(new Quarantine.Hold(Quarantine.Kind.DEVICE, "LG-PC-0001", "EDR", "soc", clock.instant(),
                Optional.of("131016"))).await();
        store.revokeUser("https://idp|sato", clock.instant()).await();
        store.revokeSession("s-1", clock.instant().plusSeconds(60)).await();
        assertEquals(List.of(StoreTopic.HOLDS, StoreTopic.REVOCATIONS, StoreTopic.REVOCATIONS), heard);

        EmbeddedPolicyStore reopened = EmbeddedPolicyStore.open(vertx, dir, clock);
        Quarantine.Hold hold = reopened.holds().await().get(0);
        assertEquals(Optional.of("131016"), hold.tenant());
        assertTrue(reopened.removeHold(Quarantine.Kind.DEVICE, "lg-pc-0001").await());
        assertEquals(List.of(), reopened.holds().await());
        RevokedSessions revoked = reopened.revocations().await();
        assertTrue(revoked.users().containsKey("https://idp|sato"));
        clock.advance(java.time.Duration.ofMinutes(2));
        assertEquals(false, reopened.revocations().await().sessions().containsKey("s-1"),
                "a session revocation is kept only as long as the session could live");
    }
}
