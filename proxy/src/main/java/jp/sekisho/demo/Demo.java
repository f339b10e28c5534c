package jp.sekisho.demo;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.server.SekishoServer;

/**
 * The embedded default: a demo issuer, an echo upstream and Sekisho in front of them, on
 * loopback, with nothing else installed.
 */
public final class Demo {

    /** The ports the demo uses. */
    public record Ports(int proxy, int management, int issuer, int upstream) {
    }

    private final Vertx vertx;
    private final SekishoServer server;
    private final Path configFile;

    private Demo(Vertx vertx, SekishoServer server, Path configFile) {
        this.vertx = vertx;
        this.server = server;
        this.configFile = configFile;
    }

    /** Starts the demo issuer, the echo upstream and Sekisho. Blocking. */
    public static Demo start(Path dataDir, Ports ports) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Clock clock = Clock.systemUTC();
            DemoIssuer.start(vertx, "127.0.0.1", ports.issuer(), clock).await();
            EchoUpstream.start(vertx, "127.0.0.1", ports.upstream(), "X-Sekisho-Assertion").await();
            Files.createDirectories(dataDir);
            Path configFile = dataDir.resolve("sekisho-demo.yaml");
            Files.writeString(configFile, template()
                    .replace("${PROXY_PORT}", Integer.toString(ports.proxy()))
                    .replace("${MANAGEMENT_PORT}", Integer.toString(ports.management()))
                    .replace("${ISSUER_PORT}", Integer.toString(ports.issuer()))
                    .replace("${UPSTREAM_PORT}", Integer.toString(ports.upstream())), StandardCharsets.UTF_8);
            LoadedConfig config = new ConfigLoader().load(configFile);
            SekishoServer server = SekishoServer.start(vertx, config, clock,
                    Runtime.getRuntime().availableProcessors());
            return new Demo(vertx, server, configFile);
        } catch (Exception e) {
            vertx.close().await();
            throw e;
        }
    }

    public Path configFile() {
        return configFile;
    }

    public SekishoServer server() {
        return server;
    }

    public void stop() {
        server.stop();
        vertx.close().await();
    }

    /** What to try, printed when the demo has started. */
    public static String banner(Ports ports, Path configFile) {
        String issuer = "http://127.0.0.1:" + ports.issuer();
        String records = "http://records.localhost:" + ports.proxy() + "/";
        return """

                ===============================================================
                 Sekisho demo is running (development only: the demo issuer
                 signs a token for anyone who asks).
                ===============================================================
                 proxy        http://127.0.0.1:%1$d  (apps: portal.localhost, records.localhost)
                 demo issuer  %2$s   (users: sato 市民課, suzuki 総務課, tanaka 情報システム課)
                 echo app     http://127.0.0.1:%3$d
                 metrics      http://127.0.0.1:%4$d/metrics   health: /healthz  /readyz
                 config       %5$s
                 audit log    %6$s

                 1) Allowed: sato (市民課) opens the resident-records app -> 200
                    TOKEN=$(curl -s '%2$s/token?user=sato&amr=face')
                    curl -s -H "Authorization: Bearer $TOKEN" %7$s

                 2) Denied: suzuki (総務課) is not in 市民課 -> 403 user-not-allowed
                    TOKEN=$(curl -s '%2$s/token?user=suzuki&amr=otp')
                    curl -s -H "Authorization: Bearer $TOKEN" %7$s

                 3) No token -> 401 token-missing
                    curl -si %7$s

                 4) Password only, but this app needs face or OTP -> 401 step-up (RFC 9470)
                    TOKEN=$(curl -s '%2$s/token?user=sato&amr=pwd')
                    curl -si -H "Authorization: Bearer $TOKEN" %7$s

                 5) In a browser: open http://records.localhost:%1$d/
                    sign in as sato with パスワード only -> you are sent back once for 顔認証 or OTP;
                    choose 顔認証 -> the app. Choose パスワード again -> a page in Japanese says why.
                    Sign out: http://records.localhost:%1$d/.sekisho/logout

                 Edit the config file while this runs to change the policy.
                 Press Ctrl-C to stop.
                """.formatted(ports.proxy(), issuer, ports.upstream(), ports.management(), configFile,
                configFile.getParent().resolve("audit/access.jsonl"), records);
    }

    private static String template() throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream("sekisho-demo.yaml")) {
            if (in == null) {
                throw new IOException("demo configuration template missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
