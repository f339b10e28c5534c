package jp.sekisho.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo does what its banner promises: allowed, denied and unauthenticated requests. */
class DemoTest {

    @TempDir
    Path dir;

    /** Seven distinct free ports: each socket stays open until all are chosen, so none comes back twice. */
    private static Demo.Ports freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0); ServerSocket c = new ServerSocket(0);
             ServerSocket d = new ServerSocket(0); ServerSocket e = new ServerSocket(0); ServerSocket f = new ServerSocket(0);
             ServerSocket g = new ServerSocket(0)) {
            return new Demo.Ports(a.getLocalPort(), b.getLocalPort(), c.getLocalPort(), d.getLocalPort(),
                    e.getLocalPort(), f.getLocalPort(), g.getLocalPort());
        }
    }

    private static String token(int issuerPort, String user, String amr) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + issuerPort + "/token?user=" + user + "&amr=" + amr)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static String get(int port, String host, String token) throws IOException {
        return RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n");
    }

    @Test
    void bannerScenariosBehaveAsPrinted() throws Exception {
        Demo.Ports ports = freePorts();
        Demo demo = Demo.start(dir, ports);
        try {
            demo.server().issuersLoaded().await(10, TimeUnit.SECONDS);
            String banner = Demo.banner(ports, demo.configFile());
            assertTrue(banner.contains("token?user=sato&amr=face"), banner);

            String allowed = get(ports.proxy(), "records.localhost", token(ports.issuer(), "sato", "face"));
            assertEquals(200, RawHttp.status(allowed), allowed);
            assertTrue(allowed.contains("\"upstream\" : \"echo\""), allowed);
            assertTrue(allowed.contains("x-sekisho-assertion"), allowed);

            String denied = get(ports.proxy(), "records.localhost", token(ports.issuer(), "suzuki", "otp"));
            assertEquals(403, RawHttp.status(denied), denied);
            assertTrue(denied.contains("user-not-allowed"));

            String passwordOnly = get(ports.proxy(), "records.localhost", token(ports.issuer(), "sato", "pwd"));
            assertEquals(401, RawHttp.status(passwordOnly), passwordOnly);
            assertTrue(passwordOnly.contains("error=\"insufficient_user_authentication\""), passwordOnly);
            assertTrue(passwordOnly.contains("max_age=300"), passwordOnly);

            String anonymous = get(ports.proxy(), "records.localhost", null);
            assertEquals(401, RawHttp.status(anonymous));
            assertTrue(anonymous.contains("token-missing"));

            assertEquals(200, RawHttp.status(get(ports.proxy(), "portal.localhost",
                    token(ports.issuer(), "suzuki", "otp"))), "suzuki may use the portal");

            assertTrue(banner.contains("aud=sekisho-admin"), banner);
            assertEquals(0, new picocli.CommandLine(new jp.sekisho.cli.SekishoCli()).parseArgs(banner.lines()
                    .filter(l -> l.contains("sekisho.jar admin apps")).findFirst().orElseThrow().trim()
                    .replaceFirst("^java -jar proxy/target/sekisho.jar ", "").split(" ")).errors().size(),
                    "the banner's admin command parses");
            String admin = token(ports.issuer(), "tanaka", "face&aud=sekisho-admin");
            HttpResponse<String> apps = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + ports.admin() + "/api/v1/apps")).header("Authorization", "Bearer " + admin)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, apps.statusCode(), apps.body());
            assertEquals(3, new io.vertx.core.json.JsonObject(apps.body()).getJsonArray("apps").size(), apps.body());
        } finally {
            demo.stop();
        }
    }

    /** An absolute-form request through the demo's forward proxy, as {@code curl -x} sends it. */
    private static String viaForwardProxy(int forwardPort, String url, String token) throws IOException {
        String host = URI.create(url).getAuthority();
        return RawHttp.exchange(forwardPort, "GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (token == null ? "" : "Proxy-Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n");
    }

    @Test
    void breakoutScenariosBehaveAsPrinted() throws Exception {
        Demo.Ports ports = freePorts();
        Demo demo = Demo.start(dir, ports);
        try {
            demo.server().issuersLoaded().await(10, TimeUnit.SECONDS);
            String banner = Demo.banner(ports, demo.configFile());
            assertTrue(banner.contains("curl -s -x http://127.0.0.1:" + ports.forwardProxy()), banner);
            String sato = token(ports.issuer(), "sato", "face");

            String allowed = viaForwardProxy(ports.forwardProxy(), "http://localhost:" + ports.upstream() + "/", sato);
            assertEquals(200, RawHttp.status(allowed), allowed);
            assertTrue(allowed.contains("\"upstream\" : \"echo\""), allowed);

            String chained = viaForwardProxy(ports.forwardProxy(), "http://www.example.com/", sato);
            assertEquals(200, RawHttp.status(chained), chained);
            assertTrue(chained.contains("prefectural security cloud (demo stand-in) received: GET http://www.example.com/"),
                    chained);

            String literal = viaForwardProxy(ports.forwardProxy(), "http://203.0.113.7/", sato);
            assertEquals(403, RawHttp.status(literal), literal);
            assertTrue(literal.contains("destination-ip-literal"), literal);

            String anonymous = viaForwardProxy(ports.forwardProxy(), "http://localhost:" + ports.upstream() + "/", null);
            assertEquals(407, RawHttp.status(anonymous), anonymous);
            assertTrue(anonymous.contains("token-missing"), anonymous);
        } finally {
            demo.stop();
        }
    }

    @Test
    void demoIssuerRefusesToListenBeyondLoopback() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            Throwable failure = DemoIssuer.start(vertx, "0.0.0.0", 0, java.time.Clock.systemUTC())
                    .toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
            assertTrue(failure != null && failure.getMessage().contains("loopback"), String.valueOf(failure));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            vertx.close().await();
        }
    }

    /** Runs a {@code sekisho} command in-process and returns what it printed. */
    private static String cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int exit = new picocli.CommandLine(new jp.sekisho.cli.SekishoCli()).execute(args);
            assertEquals(0, exit, "sekisho " + String.join(" ", args));
        } finally {
            System.setOut(original);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static String getWithDevice(int port, String token, String dpt) throws IOException {
        return RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: zeimu.localhost:" + port + "\r\nAuthorization: Bearer "
                + token + "\r\n" + (dpt == null ? "" : "X-Sekisho-Device-Posture: " + dpt + "\r\n")
                + "Connection: close\r\n\r\n");
    }

    @Test
    void postureScenariosBehaveAsPrinted() throws Exception {
        Demo.Ports ports = freePorts();
        Demo demo = Demo.start(dir, ports);
        try {
            demo.server().issuersLoaded().await(10, TimeUnit.SECONDS);
            String banner = Demo.banner(ports, demo.configFile());
            assertTrue(banner.contains("posture issue --key " + dir.resolve("keys/demo-posture-key.jwk.json")), banner);
            String user = token(ports.issuer(), "sato", "face");
            String healthy = cli("posture", "issue", "--key", dir.resolve("keys/demo-posture-key.jwk.json").toString(),
                    "--issuer", "https://posture.demo.localhost", "--records", dir.resolve("devices.json").toString(),
                    "--device", "LG-PC-0001");
            String edrStopped = cli("posture", "issue", "--key", dir.resolve("keys/demo-posture-key.jwk.json").toString(),
                    "--issuer", "https://posture.demo.localhost", "--records", dir.resolve("devices.json").toString(),
                    "--device", "LG-PC-0002");

            assertEquals(200, RawHttp.status(getWithDevice(ports.proxy(), user, healthy)));
            String unknown = getWithDevice(ports.proxy(), user, null);
            assertEquals(403, RawHttp.status(unknown));
            assertTrue(unknown.contains("device-unknown"), unknown);
            assertTrue(getWithDevice(ports.proxy(), user, edrStopped).contains("device-edr-not-running"));

            String management = "http://127.0.0.1:" + ports.management();
            cli("posture", "quarantine", "--management", management, "--device", "LG-PC-0001", "--reason", "EDR alert");
            assertTrue(getWithDevice(ports.proxy(), user, healthy).contains("device-quarantined"));
            assertTrue(cli("posture", "quarantined", "--management", management).contains("LG-PC-0001"));
            cli("posture", "release", "--management", management, "--device", "LG-PC-0001", "--reason", "cleared");
            assertEquals(200, RawHttp.status(getWithDevice(ports.proxy(), user, healthy)));
        } finally {
            demo.stop();
        }
    }

    @Test
    void httpsDemoServesItsOwnCertificateAndTheBannerSaysHowToTrustIt() throws Exception {
        Demo.Ports ports = freePorts();
        Demo demo = Demo.start(dir, ports, true);
        try {
            demo.server().issuersLoaded().await(10, TimeUnit.SECONDS);
            String banner = Demo.banner(ports, demo.configFile(), true);
            Path ca = dir.resolve("tls/demo-ca.pem");
            assertTrue(banner.contains("curl -s --cacert " + ca), banner);
            assertTrue(banner.contains("https://records.localhost:" + ports.proxy()), banner);

            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
            try {
                jp.sekisho.testing.TlsClient.Answer answer = jp.sekisho.testing.TlsClient.get(vertx, ports.proxy(),
                        "records.localhost", "/", ca, io.vertx.core.http.HttpVersion.HTTP_1_1,
                        "Authorization", "Bearer " + token(ports.issuer(), "sato", "face"));
                assertEquals(200, answer.status(), answer.body());
                assertEquals("max-age=31536000", answer.hsts());
            } finally {
                vertx.close().await();
            }
        } finally {
            demo.stop();
        }
        String firstCertificate = java.nio.file.Files.readString(dir.resolve("tls/demo-server.pem"));
        Demo again = Demo.start(dir, freePorts(), true);
        again.stop();
        assertEquals(firstCertificate, java.nio.file.Files.readString(dir.resolve("tls/demo-server.pem")),
                "the certificate is made once and kept, so a browser that trusts it keeps trusting it");
    }
}
