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
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.server.SekishoServer;

/**
 * The embedded default: a demo issuer, an echo upstream and Sekisho in front of them, on
 * loopback, with nothing else installed.
 */
public final class Demo {

    /** The ports the demo uses. */
    public record Ports(int proxy, int management, int issuer, int upstream, int admin, int forwardProxy,
                        int parentProxy) {
    }

    /** The TLS lines of the demo's staff listener. */
    private static final String LISTEN_TLS = "  tls: {certificateFile: " + DemoCertificate.CERTIFICATE_FILE
            + ", keyFile: " + DemoCertificate.KEY_FILE + "}\n";

    private final Vertx vertx;
    private final SekishoServer server;
    private final Path configFile;

    private Demo(Vertx vertx, SekishoServer server, Path configFile) {
        this.vertx = vertx;
        this.server = server;
        this.configFile = configFile;
    }

    /** Starts the demo issuer, the echo upstream and Sekisho on plain HTTP. Blocking. */
    public static Demo start(Path dataDir, Ports ports) throws Exception {
        return start(dataDir, ports, false);
    }

    /** Starts the demo; with {@code https}, the staff listener serves a demo CA's certificate. Blocking. */
    public static Demo start(Path dataDir, Ports ports, boolean https) throws Exception {
        ProxyMetrics metrics = new ProxyMetrics();
        Vertx vertx = metrics.createVertx();
        try {
            Clock clock = Clock.systemUTC();
            DemoIssuer.start(vertx, "127.0.0.1", ports.issuer(), clock).await();
            EchoUpstream.start(vertx, "127.0.0.1", ports.upstream(), "X-Sekisho-Assertion").await();
            DemoParentProxy.start(vertx, "127.0.0.1", ports.parentProxy()).await();
            Files.createDirectories(dataDir);
            DemoDevices.prepare(dataDir, clock);
            if (https) {
                DemoCertificate.prepare(dataDir, clock);
            }
            Path configFile = dataDir.resolve("sekisho-demo.yaml");
            String template = https ? template().replace("  port: ${PROXY_PORT}\n", "  port: ${PROXY_PORT}\n" + LISTEN_TLS)
                    .replace("  insecureCookies: true", "  insecureCookies: false") : template();
            Files.writeString(configFile, template
                    .replace("${PROXY_PORT}", Integer.toString(ports.proxy()))
                    .replace("${MANAGEMENT_PORT}", Integer.toString(ports.management()))
                    .replace("${ISSUER_PORT}", Integer.toString(ports.issuer()))
                    .replace("${UPSTREAM_PORT}", Integer.toString(ports.upstream()))
                    .replace("${ADMIN_PORT}", Integer.toString(ports.admin()))
                    .replace("${FORWARD_PROXY_PORT}", Integer.toString(ports.forwardProxy()))
                    .replace("${PARENT_PROXY_PORT}", Integer.toString(ports.parentProxy()))
                    .replace("${POSTURE_ISSUER}", DemoDevices.ISSUER), StandardCharsets.UTF_8);
            LoadedConfig config = new ConfigLoader().load(configFile);
            SekishoServer server = SekishoServer.start(vertx, metrics, config, clock,
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

    /** What to try over HTTPS: the same, with the demo CA given to curl. */
    public static String banner(Ports ports, Path configFile, boolean https) {
        String banner = banner(ports, configFile);
        if (!https) {
            return banner;
        }
        Path ca = configFile.getParent().resolve(DemoCertificate.CA_FILE);
        return banner.replace("proxy        http://127.0.0.1:", "proxy        https://127.0.0.1:")
                .replace("http://records.localhost:", "https://records.localhost:")
                .replace("http://zeimu.localhost:", "https://zeimu.localhost:")
                .replace("curl -s -H", "curl -s --cacert " + ca + " -H")
                .replace("curl -si -H", "curl -si --cacert " + ca + " -H")
                .replace("curl -si https", "curl -si --cacert " + ca + " https")
                + " HTTPS: the demo CA is " + ca + " (development only; import it into a browser to try"
                + " https://records.localhost:" + ports.proxy() + "/ there).\n";
    }

    /** What to try, printed when the demo has started. */
    public static String banner(Ports ports, Path configFile) {
        String issuer = "http://127.0.0.1:" + ports.issuer();
        String records = "http://records.localhost:" + ports.proxy() + "/";
        String zeimu = "http://zeimu.localhost:" + ports.proxy() + "/";
        Path dataDir = configFile.getParent();
        return """

                ===============================================================
                 Sekisho demo is running (development only: the demo issuer
                 signs a token for anyone who asks).
                ===============================================================
                 proxy        http://127.0.0.1:%1$d  (apps: portal.localhost, records.localhost, zeimu.localhost)
                 breakout     http://127.0.0.1:%13$d  (forward proxy: curl -x, see 9)
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

                 6) Managed devices only: the tax app (税務システム) checks each request's device.
                    Mint a device posture token for the healthy demo terminal LG-PC-0001:
                    DPT=$(java -jar proxy/target/sekisho.jar posture issue --key %8$s \\
                          --issuer %9$s --records %10$s --device LG-PC-0001)
                    TOKEN=$(curl -s '%2$s/token?user=sato&amr=face')
                    curl -s -H "Authorization: Bearer $TOKEN" -H "X-Sekisho-Device-Posture: $DPT" %11$s   -> 200
                    curl -s -H "Authorization: Bearer $TOKEN" %11$s   -> 403 device-unknown
                    (--device LG-PC-0002, whose EDR is stopped -> 403 device-edr-not-running)

                 7) Cut LG-PC-0001 off (SOC alert): its next request is refused, open WebSockets close.
                    java -jar proxy/target/sekisho.jar posture quarantine --management http://127.0.0.1:%4$d \\
                          --device LG-PC-0001 --reason "EDR alert"     (then 6) gives 403 device-quarantined)
                    java -jar proxy/target/sekisho.jar posture release --management http://127.0.0.1:%4$d \\
                          --device LG-PC-0001 --reason "cleared"

                 8) Change the policy through the admin API: every change is a version (diff, rollback).
                    tanaka (情報システム課) is the demo's administrator (docs/admin.md):
                    export SEKISHO_ADMIN_TOKEN=$(curl -s '%2$s/token?user=tanaka&amr=face&aud=sekisho-admin')
                    java -jar proxy/target/sekisho.jar admin apps --url http://127.0.0.1:%12$d
                    java -jar proxy/target/sekisho.jar admin app get records -o records.yaml --url http://127.0.0.1:%12$d
                    (edit records.yaml: e.g. groups: [shimin-ka, soumu-ka], then)
                    java -jar proxy/target/sekisho.jar admin app put records records.yaml -m "総務課にも" --url http://127.0.0.1:%12$d
                    (suzuki of 総務課 now gets 200 from 2); see admin app history records, admin policy versions)
                    Or in a browser: the admin console http://127.0.0.1:%12$d/console/ (sign in as tanaka with
                    顔認証; sato and suzuki are viewers) shows each app's rules in plain Japanese, lets you
                    change one with a form, check, simulate and replay it, then apply (docs/admin-console.md).

                 9) Local breakout: the forward proxy on 127.0.0.1:%13$d lets staff reach allowlisted
                    services directly, chains the rest to the security cloud (docs/breakout.md):
                    TOKEN=$(curl -s '%2$s/token?user=sato&amr=face')
                    curl -s -x http://127.0.0.1:%13$d --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
                         http://localhost:%3$d/      -> 200 from the echo app (allowlist entry lgwan-asp-echo)
                    curl -s -x http://127.0.0.1:%13$d --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
                         http://www.example.com/   -> chained: the security cloud's stand-in answers
                    curl -si -x http://127.0.0.1:%13$d --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
                         http://203.0.113.7/       -> 403 destination-ip-literal (IP addresses are never chained)
                    curl -si -x http://127.0.0.1:%13$d http://localhost:%3$d/   -> 407 token-missing
                    java -jar proxy/target/sekisho.jar audit shadow-it %6$s --from "$(date +%%F)" --to "$(date -d tomorrow +%%F)"

                 Edit the config file while this runs to change the policy too: each edit becomes a version.
                 Press Ctrl-C to stop.
                """.formatted(ports.proxy(), issuer, ports.upstream(), ports.management(), configFile,
                dataDir.resolve("audit"), records, dataDir.resolve(DemoDevices.KEY_FILE),
                DemoDevices.ISSUER, dataDir.resolve(DemoDevices.RECORDS_FILE), zeimu, ports.admin(),
                ports.forwardProxy());
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
