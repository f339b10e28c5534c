package jp.sekisho.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.server.SekishoServer;
import jp.sekisho.testing.Eventually;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TcpRelay;
import jp.sekisho.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas sharing the machine's PostgreSQL, each through its own relay so a test can cut
 * one replica (or both) off the database: changes made through one are enforced by the other,
 * an outage leaves both serving, and a reconnect catches up.
 */
class TwoReplicasTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    private final HttpClient http = HttpClient.newHttpClient();
    private TcpRelay relayA;
    private TcpRelay relayB;
    private SekishoServer a;
    private SekishoServer b;

    @BeforeEach
    void start() throws Exception {
        relayA = TcpRelay.to("127.0.0.1", postgres.options().getPort());
        relayB = TcpRelay.to("127.0.0.1", postgres.options().getPort());
        a = replica("a", relayA);
        b = replica("b", relayB);
    }

    @AfterEach
    void stop() {
        for (SekishoServer s : new SekishoServer[] {a, b}) {
            if (s != null) {
                s.stop();
            }
        }
        relayA.close();
        relayB.close();
    }

    private SekishoServer replica(String name, TcpRelay relay) throws Exception {
        String url = postgres.url().replace(":" + postgres.options().getPort() + "/", ":" + relay.port() + "/");
        String yaml = """
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                policyStore: {type: postgresql, url: "%s"}
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                apps:
                  - id: records
                    hosts: [127.0.0.1]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                """.formatted(url, proxy.idp.issuer(), proxy.upstream.url());
        Path dir = proxy.dir.resolve(name);
        Files.createDirectories(dir);
        Path file = dir.resolve("sekisho.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        SekishoServer server = SekishoServer.start(proxy.vertx, new ProxyMetrics(), new ConfigLoader().load(file),
                proxy.clock, 1, UnaryOperator.identity());
        server.issuersLoaded().await();
        return server;
    }

    private int staff(SekishoServer replica, String user, String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.gatewayPort() + "/"))
                .header("Authorization", "Bearer " + proxy.idp.token(user, group)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private int staffQuietly(SekishoServer replica, String user, String group) {
        try {
            return staff(replica, user, group);
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> admin(SekishoServer replica, String method, String path, String body,
                                       String... headers) throws Exception {
        String token = proxy.idp.adminToken("root", null, "global-admin");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject readiness(SekishoServer replica) throws Exception {
        return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.managementPort()
                + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Changes the records app's group through replica {@code via}; answers the status. */
    private int changeGroup(SekishoServer via, String from, String to) throws Exception {
        HttpResponse<String> read = admin(via, "GET", "/api/v1/apps/records", null);
        if (read.statusCode() != 200) {
            return read.statusCode();
        }
        String yaml = new JsonObject(read.body()).getString("yaml").replace(from, to);
        return admin(via, "PUT", "/api/v1/apps/records", yaml, "If-Match",
                read.headers().firstValue("etag").orElseThrow()).statusCode();
    }

    @Test
    void anEditOnOneReplicaIsEnforcedByTheOther() throws Exception {
        assertEquals(200, staff(b, "sato", "shimin-ka"));
        long start = System.nanoTime();
        assertEquals(200, changeGroup(a, "shimin-ka", "koseki-ka"));
        Eventually.await("replica b enforces the edit made on a", () -> staffQuietly(b, "sato", "shimin-ka") == 403);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("PROPAGATION policy edit on a -> enforced on b: " + millis + " ms");
        assertEquals(200, staff(b, "sato", "koseki-ka"));
        assertEquals(a.policy().serving().version(), b.policy().serving().version());
    }

    @Test
    void aQuarantineOnOneReplicaIsEnforcedByTheOther() throws Exception {
        assertEquals(200, staff(b, "sato", "shimin-ka"));
        long start = System.nanoTime();
        assertEquals(200, admin(a, "POST", "/api/v1/quarantine",
                "{\"kind\": \"user\", \"id\": \"sato\", \"reason\": \"phishing report\"}").statusCode());
        Eventually.await("replica b refuses the quarantined user", () -> staffQuietly(b, "sato", "shimin-ka") == 403);
        System.out.println("PROPAGATION quarantine on a -> enforced on b: " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals(200, admin(b, "POST", "/api/v1/quarantine/release",
                "{\"kind\": \"user\", \"id\": \"SATO\", \"reason\": \"cleared\"}").statusCode());
        Eventually.await("replica a lets the released user in", () -> staffQuietly(a, "sato", "shimin-ka") == 200);
    }

    @Test
    void withTheDatabaseGoneBothKeepServingAndCatchUpWhenItIsBack() throws Exception {
        relayA.cut();
        relayB.cut();
        Eventually.await("both replicas notice", () -> degraded(a) && degraded(b));
        JsonObject readyB = readiness(b);
        assertTrue(readyB.getBoolean("ready"), "degraded, still ready: it serves its last good policy");
        assertFalse(readyB.getJsonObject("policyStore").getBoolean("connected"));
        assertEquals(200, staff(a, "sato", "shimin-ka"));
        assertEquals(200, staff(b, "sato", "shimin-ka"));
        assertEquals(503, changeGroup(a, "shimin-ka", "koseki-ka"), "no change without the store");

        relayA.restore();
        Eventually.await("a reconnects", () -> !degraded(a));
        assertEquals(200, changeGroup(a, "shimin-ka", "koseki-ka"));
        assertEquals(200, staff(b, "sato", "shimin-ka"), "b, still cut off, serves what it had");
        relayB.restore();
        Eventually.await("b catches up on reconnect", () -> staffQuietly(b, "sato", "shimin-ka") == 403);
        assertFalse(degraded(b));
        assertEquals(a.policy().serving().version().number(), b.policy().serving().version().number());
    }

    @Test
    void replicasThatSeeTheSameFileEditStoreItOnce() throws Exception {
        for (String name : List.of("a", "b")) {
            Path file = proxy.dir.resolve(name).resolve("sekisho.yaml");
            Files.writeString(file, Files.readString(file).replace("groups: [shimin-ka]", "groups: [koseki-ka]"));
        }
        var first = a.policy().checkNow();
        var second = b.policy().checkNow();
        first.await();
        second.await();
        Eventually.await("both serve the edit", () -> staffQuietly(a, "sato", "koseki-ka") == 200
                && staffQuietly(b, "sato", "koseki-ka") == 200);
        assertEquals(2, a.policy().serving().version().number(), "one new version, not two");
        assertEquals(2, b.policy().serving().version().number());
        assertEquals(1, postgres.query("select count(*) from sekisho_policy_versions where number > 1").get(0).getLong(0));
    }

    private boolean degraded(SekishoServer replica) {
        try {
            return readiness(replica).getBoolean("degraded");
        } catch (Exception e) {
            return false;
        }
    }
}
