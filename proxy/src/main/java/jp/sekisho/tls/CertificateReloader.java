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
 * Keeps every HTTPS listener's certificates current without a restart: the files are checked
 * on a timer (and on SIGHUP); changed files are loaded and checked first, then swapped in
 * atomically on every server of the listener. A replacement that does not load leaves the old
 * certificates serving, and says so in the log, the metrics and {@code /readyz}.
 */
public final class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class.getName());

    /** One listener's TLS state; its fields change only on the worker that reloads. */
    private static final class Listener {
        final String name;
        final ListenerTls tls;
        final List<HttpServer> servers = new ArrayList<>();
        volatile List<LoadedCertificate> certificates;
        volatile String fingerprint;
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
        listener.fingerprint = fingerprint(tls);
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

    /** The servers that serve a registered listener, updated together on a reload. */
    public void attach(String name, List<HttpServer> servers) {
        listeners.get(name).servers.addAll(servers);
    }

    public void start(int periodSeconds) {
        if (!listeners.isEmpty()) {
            timerId = vertx.setPeriodic(periodSeconds * 1000L, id -> checkNow());
        }
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Checks every listener's files now; completes when changed ones are swapped in (or refused). */
    public Future<Void> checkNow() {
        List<Future<?>> all = new ArrayList<>();
        for (Listener listener : listeners.values()) {
            all.add(checkNow(listener));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Void> checkNow(Listener listener) {
        return vertx.<List<LoadedCertificate>>executeBlocking(() -> {
            String now = fingerprint(listener.tls);
            if (now.equals(listener.fingerprint)) {
                return null;
            }
            listener.lastAttempt = clock.instant();
            try {
                List<LoadedCertificate> loaded = load(listener.tls);
                listener.fingerprint = now;
                return loaded;
            } catch (IOException e) {
                listener.fingerprint = now; // report a broken file once, not on every tick
                throw e;
            }
        }, false).compose(loaded -> {
            if (loaded == null) {
                return Future.succeededFuture();
            }
            ServerSSLOptions ssl = listener.tls.sslOptions(loaded);
            List<Future<Boolean>> updates = new ArrayList<>();
            listener.servers.forEach(server -> updates.add(server.updateSSLOptions(ssl, true)));
            return Future.all(updates).map(v -> {
                listener.certificates = loaded;
                listener.lastError = null;
                metrics.certificateReload(listener.name, "success");
                LOG.info("TLS certificates of the " + listener.name + " listener reloaded: " + describe(loaded));
                return (Void) null;
            });
        }).recover(e -> {
            listener.lastError = e.getMessage();
            metrics.certificateReload(listener.name, "failure");
            LOG.severe("TLS certificates of the " + listener.name + " listener NOT reloaded, the previous ones keep"
                    + " serving: " + e.getMessage());
            return Future.succeededFuture();
        });
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
            for (Path[] pair : tls.files()) {
                for (Path file : pair) {
                    try {
                        digest.update(Files.readAllBytes(file));
                    } catch (IOException e) {
                        digest.update(("missing:" + file).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
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
