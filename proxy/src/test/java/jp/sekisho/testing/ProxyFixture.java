package jp.sekisho.testing;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.gateway.GatewayStages;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.server.SekishoServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Sekisho on port 0 in front of a {@link RecordingUpstream}, trusting a {@link TestIdp},
 * on a {@link MutableClock}. Two apps by default: {@code records} on host 127.0.0.1 (group
 * shimin-ka, or user tanaka) and {@code portal} on host localhost (group all-staff).
 *
 * <p>Register it with {@code @RegisterExtension}: each test gets a fresh IdP, upstream and
 * directory, and the proxy starts with the default configuration on first use unless the test
 * started it with its own ({@link #start(String)}).
 */
public final class ProxyFixture implements BeforeEachCallback, AfterEachCallback {

    public static final Instant START = Instant.parse("2026-11-23T00:00:00Z");

    public Vertx vertx;
    private ProxyMetrics metrics;
    public MutableClock clock;
    public TestIdp idp;
    public RecordingUpstream upstream;
    public Path dir;
    /** Applied to the gateway's stages at start: where a test puts a failing one. */
    public UnaryOperator<GatewayStages> stages = UnaryOperator.identity();
    /** How the forward proxy resolves destinations; null for the system's resolver. */
    public jp.sekisho.breakout.DestinationResolver resolver;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SekishoServer server;

    /** A response as the client saw it. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("sekisho-test");
        metrics = new ProxyMetrics();
        vertx = metrics.createVertx();
        clock = new MutableClock(START);
        idp = new TestIdp(vertx, clock);
        upstream = new RecordingUpstream(vertx);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        stopServer();
        upstream.close();
        idp.close();
        vertx.close().await();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The default configuration; {@code extraSettings} is inserted at the top level. */
    public String config(String extraSettings) {
        return """
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                %s
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                    mfa:
                      profile: entra
                      acrs: {c1: [otp]}
                apps:
                  - id: records
                    name: 住民記録
                    hosts: [127.0.0.1]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                      - id: it-admin
                        users: [tanaka]
                  - id: portal
                    hosts: [localhost]
                    upstream: %s
                    allow:
                      - id: staff
                        groups: [all-staff]
                """.formatted(extraSettings, idp.issuer(), upstream.url(), upstream.url());
    }

    /** The default configuration with more apps appended (YAML list items indented by two spaces). */
    public String configWithApps(String extraSettings, String extraApps) {
        return config(extraSettings) + extraApps;
    }

    public ProxyFixture start() throws Exception {
        return start(config(""));
    }

    public ProxyFixture start(String yaml) throws Exception {
        Path file = writeConfig(yaml);
        LoadedConfig config = new ConfigLoader().load(file);
        // a second start (a restart) gets fresh metrics; Vert.x's own keep reporting to the first
        ProxyMetrics serverMetrics = metrics;
        metrics = null;
        server = SekishoServer.start(vertx, serverMetrics != null ? serverMetrics : new ProxyMetrics(), config, clock, 1,
                stages, resolver);
        server.issuersLoaded().await(20, TimeUnit.SECONDS);
        return this;
    }

    public Path writeConfig(String yaml) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("sekisho.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    public SekishoServer server() throws Exception {
        if (server == null) {
            start();
        }
        return server;
    }

    public int port() throws Exception {
        return server().gatewayPort();
    }

    public Response get(String host, String path, String... headers) throws Exception {
        return send("GET", host, path, headers);
    }

    public Response send(String method, String host, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    public Response management(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server().managementPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    /** Stops the proxy (flushing the audit log) and returns every audit line written. */
    public List<String> stopAndReadAudit() throws IOException {
        stopServer();
        // the records of requests and operators' actions; the chain's own checkpoints and notes aside
        try (java.util.stream.Stream<String> lines = AuditFiles.lines(dir.resolve("data/audit"))) {
            return lines.filter(line -> line.contains("\"kind\":\"access\"") || line.contains("\"kind\":\"admin\""))
                    .toList();
        }
    }

    /** Stops the proxy (flushing the audit log) and returns the audit lines of one kind ({@code breakout}, say). */
    public List<String> stopAndReadAudit(String kind) throws IOException {
        stopServer();
        try (java.util.stream.Stream<String> lines = AuditFiles.lines(dir.resolve("data/audit"))) {
            return lines.filter(line -> line.contains("\"kind\":\"" + kind + "\"")).toList();
        }
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

}
