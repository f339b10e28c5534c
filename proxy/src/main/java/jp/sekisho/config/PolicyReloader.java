package jp.sekisho.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;

/**
 * Keeps the serving policy current: checks the configuration file on a timer (and on demand,
 * e.g. SIGHUP), and swaps in a new snapshot only when the whole file passes every check. A
 * broken edit is logged with every error and counted; the last good policy keeps serving.
 *
 * <p>Polling the content hash (rather than file-system events) also follows Kubernetes
 * ConfigMap updates, which swap a symbolic link.
 */
public final class PolicyReloader implements Supplier<PolicySnapshot> {

    private static final Logger LOG = Logger.getLogger(PolicyReloader.class.getName());

    /** The outcome of the last reload attempt, for /readyz. */
    public record LastAttempt(Instant at, boolean succeeded, List<String> errors) {
    }

    private final Vertx vertx;
    private final ConfigLoader loader;
    private final Path file;
    private final Clock clock;
    private final ProxyMetrics metrics;
    private final AccessLog audit;
    private final AtomicReference<LoadedConfig> current;
    private volatile LastAttempt lastAttempt;
    private long timerId = -1;
    private boolean checking;

    /** @param audit where applied and refused policy changes are recorded, like operators' actions */
    public PolicyReloader(Vertx vertx, ConfigLoader loader, LoadedConfig initial, Clock clock, ProxyMetrics metrics,
                          AccessLog audit) {
        this.audit = audit;
        this.vertx = vertx;
        this.loader = loader;
        this.file = initial.file();
        this.clock = clock;
        this.metrics = metrics;
        this.current = new AtomicReference<>(initial);
        this.lastAttempt = new LastAttempt(clock.instant(), true, List.of());
        metrics.gauge("sekisho_policy_apps", "Apps in the serving policy", () -> current.get().policy().apps().size());
        metrics.policyServing(initial.policy().version(), clock.instant());
    }

    @Override
    public PolicySnapshot get() {
        return current.get().policy();
    }

    public LastAttempt lastAttempt() {
        return lastAttempt;
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
     * Reads the file and applies it if it changed. Completes with true when a new policy was
     * applied, false when nothing changed or the new file was refused.
     */
    public synchronized Future<Boolean> checkNow() {
        if (checking) {
            return Future.succeededFuture(false);
        }
        checking = true;
        return vertx.<Boolean>executeBlocking(this::reloadIfChanged, false)
                .onComplete(ar -> {
                    synchronized (this) {
                        checking = false;
                    }
                });
    }

    private boolean reloadIfChanged() throws Exception {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            refuse(List.of(new ConfigError(file.toString(), 0, 0, "", "cannot read the file: " + e.getMessage())));
            return false;
        }
        LoadedConfig serving = current.get();
        if (ConfigLoader.sha256(bytes).equals(serving.contentHash())) {
            return false;
        }
        LoadedConfig next;
        try {
            next = loader.load(file, bytes);
        } catch (ConfigException e) {
            refuse(e.errors());
            return false;
        }
        List<String> unmeetable = PostureSettingsCheck.unmeetable(serving.settings(), next.policy());
        if (!unmeetable.isEmpty()) {
            // The file is right, but the running process cannot honour it until a restart.
            refuse(unmeetable.stream().map(m -> new ConfigError(file.toString(), 0, 0, "", m)).toList());
            return false;
        }
        List<String> needRestart = restartOnlyChanges(serving.settings(), next.settings());
        // Settings that need a restart keep their running values; the policy changes now.
        current.set(new LoadedConfig(next.file(), serving.settings(), next.policy(), next.contentHash()));
        lastAttempt = new LastAttempt(clock.instant(), true, List.of());
        metrics.policyReload("success");
        metrics.policyServing(next.policy().version(), clock.instant());
        LOG.info("policy " + next.policy().version() + " is now serving (" + next.policy().apps().size() + " apps)");
        audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), "file " + file, "local",
                "policy-apply", "policy", next.policy().version(), "replaces " + serving.policy().version()));
        warnLoosenedApps(next.policy());
        if (!needRestart.isEmpty()) {
            LOG.warning("changes to " + String.join(", ", needRestart) + " take effect after a restart");
        }
        return true;
    }

    private void refuse(List<ConfigError> errors) {
        List<String> lines = errors.stream().map(ConfigError::toString).toList();
        lastAttempt = new LastAttempt(clock.instant(), false, lines);
        metrics.policyReload("failure");
        LOG.warning("configuration change refused; policy " + get().version() + " keeps serving:\n  "
                + String.join("\n  ", lines));
        audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), "file " + file, "local",
                "policy-refuse", "policy", get().version(), lines.size() + " error(s), first: " + lines.get(0)));
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

    private static List<String> restartOnlyChanges(SekishoConfig a, SekishoConfig b) {
        List<String> changed = new ArrayList<>();
        check(changed, "listen", a.listen(), b.listen());
        check(changed, "management", a.management(), b.management());
        check(changed, "dataDir", a.dataDir(), b.dataDir());
        check(changed, "trustedProxies", a.trustedProxies(), b.trustedProxies());
        check(changed, "identityHeaders", a.identityHeaders(), b.identityHeaders());
        check(changed, "upstreams", a.upstreams(), b.upstreams());
        check(changed, "assertion", a.assertion(), b.assertion());
        check(changed, "audit", a.audit(), b.audit());
        check(changed, "issuers", a.issuers(), b.issuers());
        check(changed, "devicePosture", a.devicePosture(), b.devicePosture());
        check(changed, "browserLogin", a.browserLogin(), b.browserLogin());
        check(changed, "reloadCheckSeconds", a.reloadCheckSeconds(), b.reloadCheckSeconds());
        return changed;
    }

    private static void check(List<String> changed, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(name);
        }
    }
}
