package jp.sekisho.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.store.Digests;
import jp.sekisho.store.NewVersion;
import jp.sekisho.store.PolicyStore;
import jp.sekisho.store.PolicyVersion;
import jp.sekisho.store.StoreTopic;
import jp.sekisho.store.VersionConflict;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;

/**
 * Keeps the serving policy current. The policy lives in the {@link PolicyStore store}, as
 * numbered versions; this class serves the newest one that compiles against this process's
 * settings, and applies changes from three places:
 * <ul>
 *   <li>administrators, through {@link #apply} (the admin API), with optimistic concurrency;</li>
 *   <li>the store, when another replica applied a version ({@link PolicyStore#onChange});</li>
 *   <li>the configuration file: its policy sections seed an empty store, and an edit of them on
 *       disk (checked on a timer, by content hash, and on SIGHUP) is applied as a new version.
 *       Polling the hash, rather than file-system events, also follows Kubernetes ConfigMap
 *       updates, which swap a symbolic link.</li>
 * </ul>
 * A change that fails any check is refused with every error, counted and audited; the last good
 * policy keeps serving. Settings (everything outside the policy sections) are read at start only.
 */
public final class PolicyReloader implements Supplier<PolicySnapshot> {

    private static final Logger LOG = Logger.getLogger(PolicyReloader.class.getName());

    /** The outcome of the last reload attempt, for /readyz. */
    public record LastAttempt(Instant at, boolean succeeded, List<String> errors) {
    }

    /** What serves now: the compiled policy and the stored version it came from. */
    public record Serving(LoadedConfig config, PolicyVersion version) {
    }

    private final Vertx vertx;
    private final ConfigLoader loader;
    private final Path file;
    private final byte[] settingsBytes;
    private final Clock clock;
    private final ProxyMetrics metrics;
    private final AccessLog audit;
    private final PolicyStore store;
    private final AtomicReference<Serving> current;
    private volatile LastAttempt lastAttempt;
    private volatile String fileHash;       // the whole file as last read
    private volatile String filePolicyHash; // its policy sections as last read
    private long timerId = -1;
    private boolean checking;

    private PolicyReloader(Vertx vertx, ConfigLoader loader, LoadedConfig initial, byte[] fileBytes, Clock clock,
                           ProxyMetrics metrics, AccessLog audit, PolicyStore store, Serving serving,
                           String filePolicyHash) {
        this.vertx = vertx;
        this.loader = loader;
        this.file = initial.file();
        this.settingsBytes = fileBytes;
        this.clock = clock;
        this.metrics = metrics;
        this.audit = audit;
        this.store = store;
        this.current = new AtomicReference<>(serving);
        this.lastAttempt = new LastAttempt(clock.instant(), true, List.of());
        this.fileHash = initial.contentHash();
        this.filePolicyHash = filePolicyHash;
        metrics.gauge("sekisho_policy_apps", "Apps in the serving policy", () -> current.get().config().policy().apps().size());
        metrics.gauge("sekisho_policy_version_number", "The number of the serving policy version",
                () -> current.get().version().number());
        metrics.gauge("sekisho_policy_store_connected", "1 while this replica can read and write the policy store",
                () -> store.status().connected() ? 1 : 0);
        metrics.policyServing(serving.config().policy().version(), clock.instant());
    }

    /**
     * Serves the store's newest version, after seeding an empty store with the file's policy
     * sections. Fails when the newest version does not compile against these settings: a replica
     * does not serve a policy it cannot enforce whole.
     *
     * @param initial the configuration file as read and checked at start
     */
    public static Future<PolicyReloader> start(Vertx vertx, ConfigLoader loader, LoadedConfig initial, Clock clock,
                                               ProxyMetrics metrics, AccessLog audit, PolicyStore store) {
        record Read(byte[] bytes, String policy) {
        }
        return vertx.executeBlocking(() -> {
            byte[] bytes = Files.readAllBytes(initial.file());
            return new Read(bytes, policySections(initial.file(), bytes));
        }, false).compose(read -> {
            byte[] bytes = read.bytes();
            String filePolicy = read.policy();
            String filePolicyHash = Digests.sha256(filePolicy);
            return seededLatest(store, initial.file(), filePolicy).compose(latest ->
                    importedWhileStopped(store, initial.file(), filePolicy, latest)).compose(latest ->
                    vertx.executeBlocking(() -> {
                        if (!latest.sha256().equals(filePolicyHash)) {
                            LOG.info("the policy store's " + latest.label() + " serves (changed by " + latest.author()
                                    + " since the policy sections of " + initial.file() + " were last applied)");
                        }
                        return new Serving(compile(loader, initial.file(), bytes, latest), latest);
                    }, false)).map(serving -> {
                        PolicyReloader reloader = new PolicyReloader(vertx, loader, initial, bytes, clock, metrics,
                                audit, store, serving, filePolicyHash);
                        store.onChange(topic -> {
                            if (topic == StoreTopic.POLICY) {
                                reloader.followStore();
                            }
                        });
                        return reloader;
                    });
        });
    }

    /**
     * The newest version, after storing the file's policy sections if they were edited since they
     * were last applied (the newest version the file wrote): an edit made while the process was
     * stopped applies at start, and a file nobody touched does not undo administrators' changes.
     * Replicas that start together with the same file store it once.
     */
    private static Future<PolicyVersion> importedWhileStopped(PolicyStore store, Path file, String filePolicy,
                                                              PolicyVersion latest) {
        String author = "file " + file;
        String hash = Digests.sha256(filePolicy);
        return store.history(1000).compose(history -> {
            Optional<PolicyVersion> lastFromFile = history.stream().filter(v -> v.author().startsWith("file ")).findFirst();
            if (lastFromFile.isEmpty() || lastFromFile.get().sha256().equals(hash) || latest.sha256().equals(hash)) {
                return Future.succeededFuture(latest);
            }
            LOG.info("the policy sections of " + file + " changed since " + lastFromFile.get().label()
                    + ": storing them as the next version");
            return store.append(latest.number(), new NewVersion(filePolicy, author, "edited on disk while stopped"))
                    .recover(e -> e instanceof VersionConflict // another replica stored it (or something) first
                            ? store.latest().map(Optional::orElseThrow) : Future.failedFuture(e));
        });
    }

    /** The newest stored version; in an empty store, the file's policy stored first as version 1. */
    private static Future<PolicyVersion> seededLatest(PolicyStore store, Path file, String filePolicy) {
        return store.latest().compose(latest -> {
            if (latest.isPresent()) {
                return Future.succeededFuture(latest.get());
            }
            return store.append(0, new NewVersion(filePolicy, "file " + file, "seeded from the configuration file"))
                    .recover(e -> e instanceof VersionConflict // another replica seeded it first
                            ? store.latest().map(Optional::orElseThrow) : Future.failedFuture(e));
        });
    }

    private static LoadedConfig compile(ConfigLoader loader, Path file, byte[] settings, PolicyVersion version)
            throws ConfigException {
        return loader.loadWithPolicy(file, settings, "policy " + version.label(), version.text(), version.label());
    }

    /** The policy sections of a configuration file, as written. */
    static String policySections(Path file, byte[] bytes) throws ConfigException {
        return SourceDocument.sectionsText(new String(bytes, StandardCharsets.UTF_8), PolicyCompiler.SECTIONS);
    }

    @Override
    public PolicySnapshot get() {
        return current.get().config().policy();
    }

    public Serving serving() {
        return current.get();
    }

    public LastAttempt lastAttempt() {
        return lastAttempt;
    }

    public PolicyStore store() {
        return store;
    }

    public void start(int periodSeconds) {
        timerId = vertx.setPeriodic(periodSeconds * 1000L, id -> checkNow());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /**
     * Checks the configuration file and applies its policy sections if they changed. Completes
     * with true when a new policy was applied, false when nothing changed or the change was refused.
     */
    public synchronized Future<Boolean> checkNow() {
        if (checking) {
            return Future.succeededFuture(false);
        }
        checking = true;
        return vertx.executeBlocking(this::readFile, false)
                .compose(this::applyFileIfChanged)
                .onComplete(ar -> {
                    synchronized (this) {
                        checking = false;
                    }
                });
    }

    /** The file as read now: unchanged (null policy), or its policy sections, or why it is refused. */
    private record FileRead(String hash, String policy, List<ConfigError> errors) {
    }

    private FileRead readFile() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return new FileRead("", null, List.of(new ConfigError(file.toString(), 0, 0, "",
                    "cannot read the file: " + e.getMessage())));
        }
        String hash = ConfigLoader.sha256(bytes);
        if (hash.equals(fileHash)) {
            return new FileRead(hash, null, List.of());
        }
        try {
            // The whole file must pass, settings too, even though settings are read at start only.
            loader.load(file, bytes);
            return new FileRead(hash, policySections(file, bytes), List.of());
        } catch (ConfigException e) {
            return new FileRead(hash, null, e.errors());
        }
    }

    private Future<Boolean> applyFileIfChanged(FileRead read) {
        String author = "file " + file;
        if (!read.errors().isEmpty()) {
            if (!read.hash().equals(fileHash)) {
                refuse(author, read.errors()); // once per edit, not at every check
            }
            fileHash = read.hash();
            return Future.succeededFuture(false);
        }
        fileHash = read.hash();
        if (read.policy() == null) {
            return Future.succeededFuture(false);
        }
        String policyHash = Digests.sha256(read.policy());
        if (policyHash.equals(filePolicyHash)) {
            LOG.warning("settings in " + file + " changed; they take effect after a restart");
            return Future.succeededFuture(false);
        }
        filePolicyHash = policyHash;
        if (policyHash.equals(serving().version().sha256())) {
            return Future.succeededFuture(false); // already serving it (applied through the API)
        }
        return apply(serving().version().number(), new NewVersion(read.policy(), author, "edited on disk"), "local")
                .map(true)
                .recover(e -> {
                    if (e instanceof VersionConflict conflict) {
                        // Replicas sharing one ConfigMap all see the edit; one stores it, the rest find it stored.
                        return store.latest().map(latest -> {
                            if (latest.isEmpty() || !latest.get().sha256().equals(policyHash)) {
                                LOG.warning("the edit of " + file + " was not applied: version " + conflict.latest()
                                        + " was stored meanwhile; edit again to apply it on top");
                            }
                            return false;
                        });
                    } else if (!(e instanceof ConfigException)) {
                        LOG.log(Level.SEVERE, "the edit of " + file + " could not be stored", e);
                    }
                    return Future.succeededFuture(false);
                });
    }

    /**
     * Checks {@code text} against this process's settings, as the version after the serving
     * one. Fails with a {@link ConfigException} listing every error (located in {@code name}).
     */
    public Future<LoadedConfig> check(String name, String text) {
        long next = serving().version().number() + 1;
        return vertx.executeBlocking(() -> loader.loadWithPolicy(file, settingsBytes, name, text,
                PolicyVersion.label(next, Digests.sha256(text))), false);
    }

    /**
     * Checks a change and stores it as the version after {@code expected}, then serves it here
     * at once (other replicas follow by the store's notification). Fails with a
     * {@link ConfigException} when the change does not pass, with {@link VersionConflict} when
     * {@code expected} is no longer the newest; nothing is stored or served then.
     *
     * @param source where the change came from (an address), for the audit record
     */
    public Future<PolicyVersion> apply(long expected, NewVersion change, String source) {
        PolicyVersion before = serving().version();
        String name = "change by " + change.author();
        return vertx.executeBlocking(() -> loader.loadWithPolicy(file, settingsBytes, name, change.text(),
                        PolicyVersion.label(expected + 1, Digests.sha256(change.text()))), false)
                .onFailure(e -> {
                    if (e instanceof ConfigException invalid) {
                        refuse(change.author(), invalid.errors());
                    }
                })
                .compose(checked -> store.append(expected, change).map(stored -> {
                    serve(new Serving(checked, stored));
                    audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), change.author(),
                            source, change.rollbackOf().isPresent() ? "policy-rollback" : "policy-apply", "policy",
                            stored.label(), "before " + before.label() + " after " + stored.label()
                            + change.rollbackOf().map(n -> " (restores v" + n + ")").orElse("")
                            + (change.comment().isEmpty() ? "" : ": " + change.comment())));
                    return stored;
                }));
    }

    /** Serves the store's newest version if it is newer than the serving one. */
    Future<Void> followStore() {
        return store.latest().compose(latest -> {
            if (latest.isEmpty() || latest.get().number() <= serving().version().number()) {
                return Future.succeededFuture();
            }
            PolicyVersion version = latest.get();
            return vertx.executeBlocking(() -> compile(loader, file, settingsBytes, version), false)
                    .map(config -> {
                        serve(new Serving(config, version));
                        return (Void) null;
                    })
                    .recover(e -> {
                        refuse("store " + version.label(), e instanceof ConfigException invalid ? invalid.errors()
                                : List.of(new ConfigError("policy " + version.label(), 0, 0, "", String.valueOf(e))));
                        return Future.succeededFuture();
                    });
        });
    }

    /** Swaps in a newer version (never an older one: a notification may overtake a local apply). */
    private void serve(Serving next) {
        Serving previous = current.getAndUpdate(now -> next.version().number() > now.version().number() ? next : now);
        if (previous.version().number() >= next.version().number()) {
            return;
        }
        lastAttempt = new LastAttempt(clock.instant(), true, List.of());
        metrics.policyReload("success");
        metrics.policyServing(next.config().policy().version(), clock.instant());
        LOG.info("policy " + next.version().label() + " is now serving (" + next.config().policy().apps().size()
                + " apps, by " + next.version().author() + ")");
        warnLoosenedApps(next.config().policy());
    }

    private void refuse(String author, List<ConfigError> errors) {
        List<String> lines = errors.stream().map(ConfigError::toString).toList();
        lastAttempt = new LastAttempt(clock.instant(), false, lines);
        metrics.policyReload("failure");
        LOG.warning("policy change refused; " + serving().version().label() + " keeps serving:\n  "
                + String.join("\n  ", lines));
        audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), author, "local",
                "policy-refuse", "policy", serving().version().label(),
                lines.size() + " error(s), first: " + (lines.isEmpty() ? "" : lines.get(0))));
    }

    /** Says, at every load, which apps' upstreams are not verified: an escape hatch must stay visible. */
    public static void warnLoosenedApps(jp.sekisho.policy.PolicySnapshot policy) {
        for (jp.sekisho.policy.App app : policy.apps()) {
            app.model().overrides().forEach((control, reason) -> LOG.warning("MODEL OVERRIDE: app " + app.id()
                    + " runs under model " + app.model().preset().map(p -> p.code()).orElse("?") + " with its "
                    + control + " loosened, because: " + reason));
            if (app.insecureUpstreamTls() && app.upstream().getScheme().equalsIgnoreCase("https")) {
                LOG.warning("INSECURE: app " + app.id() + " forwards to " + app.upstream() + " WITHOUT verifying its"
                        + " certificate (upstreamTls.insecureSkipVerify). Anyone on the path can read and change"
                        + " its traffic, including the identity assertion. Use trustedCaFiles instead.");
            }
        }
    }
}
