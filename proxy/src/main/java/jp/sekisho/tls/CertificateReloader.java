package jp.sekisho.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * Keeps every HTTPS listener's certificates (and device CAs and CRLs) current without a
 * restart. On the timer, files that changed are loaded only once they have stopped changing
 * (the same content at two checks in a row), so a renewal copied file by file is never caught
 * half done; SIGHUP loads at once. What is loaded is checked first, then swapped in atomically.
 * A replacement that does not load leaves the old certificates serving, says so in the log, the
 * metrics and {@code /readyz}, and is tried again when the files change again or on SIGHUP.
 */
public final class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class.getName());

    /** One listener's TLS state; its fields change only on the worker that reloads. */
    private static final class Listener {
        final String name;
        final ListenerTls tls;
        final List<HttpServer> servers = new ArrayList<>();
        volatile List<LoadedCertificate> certificates;
        /** The content being served. */
        volatile String served;
        /** A changed content seen at the last check, loaded if it is still the same at the next. */
        volatile String settling;
        /** A content that failed to load; not reported again until it changes. */
        volatile String failed;
        volatile Instant lastAttempt;
        volatile String lastError;

        Listener(String name, ListenerTls tls) {
            this.name = name;
            this.tls = tls;
        }
    }

    private final Vertx vertx;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private long timerId = -1;

    public CertificateReloader(Vertx vertx, ProxyMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Loads a listener's certificates now (blocking, at start) and returns the options to start it with. */
    public ServerSSLOptions register(String name, ListenerTls tls) throws IOException {
        Listener listener = new Listener(name, tls);
        listener.served = fingerprint(tls);
        listener.certificates = load(tls);
        listener.lastAttempt = clock.instant();
        listeners.put(name, listener);
        for (int i = 0; i < listener.certificates.size(); i++) {
            int index = i;
            metrics.certificateExpiry(name, Integer.toString(i), () -> {
                List<LoadedCertificate> current = listener.certificates;
                return index < current.size() ? current.get(index).notAfter().getEpochSecond() : Double.NaN;
            });
        }
        return tls.sslOptions(listener.certificates);
    }

    /**
     * The servers of a registered listener. Servers on one port share one TLS context in Vert.x,
     * so updating the first updates them all (and one update cannot half succeed).
     */
    public void attach(String name, List<HttpServer> servers) {
        listeners.get(name).servers.add(servers.get(0));
    }

    public void start(int periodSeconds) {
        if (!listeners.isEmpty()) {
            timerId = vertx.setPeriodic(periodSeconds * 1000L, id -> check(false));
        }
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Loads every listener's changed files now (SIGHUP); completes when they are swapped in or refused. */
    public Future<Void> checkNow() {
        return check(true);
    }

    private synchronized Future<Void> check(boolean force) {
        List<Future<?>> all = new ArrayList<>();
        for (Listener listener : listeners.values()) {
            all.add(check(listener, force));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Void> check(Listener listener, boolean force) {
        return vertx.<Loaded>executeBlocking(() -> {
            synchronized (listener) { // one check of a listener at a time, whoever asks
                String now = fingerprint(listener.tls);
                if (now.equals(listener.served) || (!force && now.equals(listener.failed))) {
                    listener.settling = null;
                    return null;
                }
                if (!force && !now.equals(listener.settling)) {
                    listener.settling = now; // changed since the last check: wait until it holds still
                    return null;
                }
                listener.settling = null;
                listener.lastAttempt = clock.instant();
                try {
                    return new Loaded(now, load(listener.tls));
                } catch (IOException e) {
                    listener.failed = now;
                    throw e;
                }
            }
        }, false).compose(loaded -> {
            if (loaded == null) {
                return Future.succeededFuture();
            }
            ServerSSLOptions ssl = listener.tls.sslOptions(loaded.certificates());
            List<Future<Boolean>> updates = new ArrayList<>();
            listener.servers.forEach(server -> updates.add(server.updateSSLOptions(ssl, true)));
            return Future.all(updates).map(v -> {
                listener.certificates = loaded.certificates();
                listener.served = loaded.fingerprint();
                listener.failed = null;
                listener.lastError = null;
                metrics.certificateReload(listener.name, "success");
                LOG.info("TLS certificates of the " + listener.name + " listener reloaded: "
                        + describe(loaded.certificates()));
                return (Void) null;
            }).onFailure(e -> listener.failed = loaded.fingerprint());
        }).recover(e -> {
            listener.lastError = e.getMessage();
            metrics.certificateReload(listener.name, "failure");
            LOG.severe("TLS certificates of the " + listener.name + " listener NOT reloaded, the previous ones keep"
                    + " serving: " + e.getMessage());
            return Future.succeededFuture();
        });
    }

    private record Loaded(String fingerprint, List<LoadedCertificate> certificates) {
    }

    /** Per listener: the certificates served, their expiry, and the last reload's outcome. */
    public JsonArray status() {
        JsonArray out = new JsonArray();
        for (Listener listener : listeners.values()) {
            JsonArray certificates = new JsonArray();
            for (LoadedCertificate certificate : listener.certificates) {
                certificates.add(new JsonObject().put("file", certificate.certificateFile().toString())
                        .put("subject", certificate.leaf().getSubjectX500Principal().getName())
                        .put("notAfter", certificate.notAfter().toString()));
            }
            out.add(new JsonObject().put("listener", listener.name).put("certificates", certificates)
                    .put("lastCheck", String.valueOf(listener.lastAttempt))
                    .put("lastReloadError", listener.lastError));
        }
        return out;
    }

    private static List<LoadedCertificate> load(ListenerTls tls) throws IOException {
        List<LoadedCertificate> loaded = new ArrayList<>();
        for (Path[] pair : tls.files()) {
            loaded.add(LoadedCertificate.load(pair[0], pair[1]));
        }
        return loaded;
    }

    /** SHA-256 over every file's bytes: a change of content, whatever the file system's time resolution. */
    private static String fingerprint(ListenerTls tls) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : tls.watchedFiles()) {
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    digest.update(("missing:" + file).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String describe(List<LoadedCertificate> loaded) {
        List<String> parts = new ArrayList<>();
        loaded.forEach(c -> parts.add(c.leaf().getSubjectX500Principal().getName() + " until " + c.notAfter()));
        return String.join("; ", parts);
    }
}
