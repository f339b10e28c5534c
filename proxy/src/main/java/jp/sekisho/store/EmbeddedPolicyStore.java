package jp.sekisho.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jp.sekisho.device.Quarantine;
import jp.sekisho.storage.PrivateFiles;

/**
 * The store of one node: files in the data directory. Each policy version is its own file
 * ({@code policy/versions/000000000012.json}), written once, durably (fsync, then rename), and
 * never changed; holds and revocations keep the files earlier releases wrote
 * ({@code quarantine.json}, {@code session-revocations.json}), so an upgrade keeps them.
 *
 * <p>File work runs on a worker thread, one change at a time.
 */
public final class EmbeddedPolicyStore implements PolicyStore {

    private static final String VERSIONS = "policy/versions";

    private final Vertx vertx;
    private final Path dataDir;
    private final Clock clock;
    private final StoreStatus status;
    private final List<Consumer<StoreTopic>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private EmbeddedPolicyStore(Vertx vertx, Path dataDir, Clock clock) {
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.clock = clock;
        this.status = new StoreStatus("embedded", true, clock.instant(), Optional.empty());
    }

    /** Opens the store in {@code dataDir}, creating its directories. Blocking. */
    public static EmbeddedPolicyStore open(Vertx vertx, Path dataDir, Clock clock) throws IOException {
        Files.createDirectories(dataDir.resolve(VERSIONS));
        return new EmbeddedPolicyStore(vertx, dataDir, clock);
    }

    @Override
    public Future<Optional<PolicyVersion>> latest() {
        return blocking(() -> {
            long newest = newestNumber();
            return newest == 0 ? Optional.empty() : Optional.of(read(newest));
        });
    }

    @Override
    public Future<Optional<PolicyVersion>> version(long number) {
        return blocking(() -> Files.exists(versionFile(number)) ? Optional.of(read(number)) : Optional.empty());
    }

    @Override
    public Future<List<PolicyVersion>> history(int limit) {
        return blocking(() -> {
            List<PolicyVersion> versions = new ArrayList<>();
            for (long n = newestNumber(); n >= 1 && versions.size() < limit; n--) {
                if (Files.exists(versionFile(n))) {
                    versions.add(read(n));
                }
            }
            return versions;
        });
    }

    @Override
    public Future<PolicyVersion> append(long expectedLatest, NewVersion change) {
        return blocking(() -> {
            long newest = newestNumber();
            if (newest != expectedLatest) {
                throw new VersionConflict(expectedLatest, newest);
            }
            PolicyVersion version = new PolicyVersion(newest + 1, Digests.sha256(change.text()), change.author(),
                    clock.instant(), change.comment(), change.text(), change.rollbackOf());
            PrivateFiles.write(versionFile(version.number()), toJson(version).encodePrettily());
            return version;
        }).andThen(ar -> notifyIfSucceeded(ar.succeeded(), StoreTopic.POLICY));
    }

    @Override
    public Future<List<Quarantine.Hold>> holds() {
        return blocking(this::readHolds);
    }

    @Override
    public Future<Void> putHold(Quarantine.Hold hold) {
        return this.<Void>blocking(() -> {
            List<Quarantine.Hold> holds = readHolds();
            holds.removeIf(h -> h.kind() == hold.kind() && Quarantine.key(h.id()).equals(Quarantine.key(hold.id())));
            holds.add(hold);
            writeHolds(holds);
            return null;
        }).andThen(ar -> notifyIfSucceeded(ar.succeeded(), StoreTopic.HOLDS));
    }

    @Override
    public Future<Boolean> removeHold(Quarantine.Kind kind, String key) {
        return blocking(() -> {
            List<Quarantine.Hold> holds = readHolds();
            boolean removed = holds.removeIf(h -> h.kind() == kind && Quarantine.key(h.id()).equals(key));
            if (removed) {
                writeHolds(holds);
            }
            return removed;
        }).andThen(ar -> notifyIfSucceeded(ar.succeeded() && ar.result(), StoreTopic.HOLDS));
    }

    @Override
    public Future<RevokedSessions> revocations() {
        return blocking(this::readRevocations);
    }

    @Override
    public Future<Void> revokeSession(String sessionId, Instant until) {
        return this.<Void>blocking(() -> {
            RevokedSessions now = readRevocations();
            Map<String, Instant> sessions = new HashMap<>(now.sessions());
            sessions.merge(sessionId, until, (a, b) -> a.isAfter(b) ? a : b);
            writeRevocations(new RevokedSessions(sessions, now.users()));
            return null;
        }).andThen(ar -> notifyIfSucceeded(ar.succeeded(), StoreTopic.REVOCATIONS));
    }

    @Override
    public Future<Void> revokeUser(String userKey, Instant cutoff) {
        return this.<Void>blocking(() -> {
            RevokedSessions now = readRevocations();
            Map<String, Instant> users = new HashMap<>(now.users());
            users.merge(userKey, cutoff, (a, b) -> a.isAfter(b) ? a : b);
            writeRevocations(new RevokedSessions(now.sessions(), users));
            return null;
        }).andThen(ar -> notifyIfSucceeded(ar.succeeded(), StoreTopic.REVOCATIONS));
    }

    @Override
    public void onChange(Consumer<StoreTopic> listener) {
        listeners.add(listener);
    }

    @Override
    public StoreStatus status() {
        return status;
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    private void notifyIfSucceeded(boolean changed, StoreTopic topic) {
        if (changed) {
            listeners.forEach(listener -> listener.accept(topic));
        }
    }

    /** One file operation at a time, off the event loop. */
    private <T> Future<T> blocking(Callable<T> work) {
        Context context = vertx.getOrCreateContext();
        return context.executeBlocking(() -> {
            synchronized (lock) {
                return work.call();
            }
        }, false);
    }

    private Path versionFile(long number) {
        return dataDir.resolve(VERSIONS).resolve(String.format("%012d.json", number));
    }

    private long newestNumber() throws IOException {
        long newest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir.resolve(VERSIONS), "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    newest = Math.max(newest, Long.parseLong(name.substring(0, name.length() - ".json".length())));
                } catch (NumberFormatException e) {
                    // not a version file
                }
            }
        }
        return newest;
    }

    private PolicyVersion read(long number) throws IOException {
        JsonObject json = new JsonObject(Files.readString(versionFile(number), StandardCharsets.UTF_8));
        String text = json.getString("text");
        String sha256 = Digests.sha256(text);
        if (!sha256.equals(json.getString("sha256"))) {
            throw new IOException("policy version " + number + " was altered on disk: its text does not match"
                    + " its recorded SHA-256");
        }
        Long rollbackOf = json.getLong("rollbackOf");
        return new PolicyVersion(json.getLong("number"), sha256, json.getString("author"),
                Instant.parse(json.getString("createdAt")), json.getString("comment"), text,
                Optional.ofNullable(rollbackOf));
    }

    private static JsonObject toJson(PolicyVersion version) {
        return new JsonObject().put("number", version.number()).put("sha256", version.sha256())
                .put("author", version.author()).put("createdAt", version.createdAt().toString())
                .put("comment", version.comment()).put("rollbackOf", version.rollbackOf().orElse(null))
                .put("text", version.text());
    }

    private List<Quarantine.Hold> readHolds() throws IOException {
        Path file = dataDir.resolve(HOLDS_FILE);
        List<Quarantine.Hold> holds = new ArrayList<>();
        if (Files.exists(file)) {
            JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            for (Object entry : json.getJsonArray("holds", new JsonArray())) {
                holds.add(Quarantine.Hold.fromJson((JsonObject) entry));
            }
        }
        holds.sort(Comparator.comparing(Quarantine.Hold::since).thenComparing(Quarantine.Hold::id));
        return holds;
    }

    private void writeHolds(List<Quarantine.Hold> holds) throws IOException {
        JsonArray json = new JsonArray();
        holds.stream().sorted(Comparator.comparing(Quarantine.Hold::since).thenComparing(Quarantine.Hold::id))
                .forEach(h -> json.add(h.toJson()));
        PrivateFiles.write(dataDir.resolve(HOLDS_FILE), new JsonObject().put("holds", json).encodePrettily());
    }

    private RevokedSessions readRevocations() throws IOException {
        Path file = dataDir.resolve(REVOCATIONS_FILE);
        Map<String, Instant> sessions = new HashMap<>();
        Map<String, Instant> users = new HashMap<>();
        if (Files.exists(file)) {
            JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            Instant now = clock.instant();
            json.getJsonObject("sessions", new JsonObject()).forEach(e -> {
                Instant until = Instant.parse((String) e.getValue());
                if (until.isAfter(now)) { // a revocation outlives its session, not longer
                    sessions.put(e.getKey(), until);
                }
            });
            json.getJsonObject("users", new JsonObject()).forEach(e ->
                    users.put(e.getKey(), Instant.parse((String) e.getValue())));
        }
        return new RevokedSessions(sessions, users);
    }

    private void writeRevocations(RevokedSessions revoked) throws IOException {
        JsonObject sessions = new JsonObject();
        revoked.sessions().forEach((k, v) -> sessions.put(k, v.toString()));
        JsonObject users = new JsonObject();
        revoked.users().forEach((k, v) -> users.put(k, v.toString()));
        PrivateFiles.write(dataDir.resolve(REVOCATIONS_FILE),
                new JsonObject().put("sessions", sessions).put("users", users).encodePrettily());
    }

    static final String HOLDS_FILE = "quarantine.json";
    static final String REVOCATIONS_FILE = "session-revocations.json";
}
