package jp.sekisho.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.sekisho.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho demo}: everything on loopback, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a self-contained demo: a demo IdP, an echo app and Sekisho in front of it (loopback only).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", description = "proxy port (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--management-port", description = "metrics and health port (default ${DEFAULT-VALUE})")
    int managementPort = 9090;

    @Option(names = "--issuer-port", description = "demo issuer port (default ${DEFAULT-VALUE})")
    int issuerPort = 8081;

    @Option(names = "--upstream-port", description = "echo app port (default ${DEFAULT-VALUE})")
    int upstreamPort = 8082;

    @Option(names = "--admin-port", description = "admin API port (default ${DEFAULT-VALUE})")
    int adminPort = 9443;

    @Option(names = "--forward-proxy-port", description = "forward proxy (local breakout) port (default ${DEFAULT-VALUE})")
    int forwardProxyPort = 3128;

    @Option(names = "--parent-proxy-port", description = "the demo security cloud's parent proxy port (default ${DEFAULT-VALUE})")
    int parentProxyPort = 3129;

    @Option(names = "--data-dir", description = "where the demo keeps its config, keys and audit log"
            + " (default: sekisho-demo in the temporary directory)")
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "sekisho-demo");

    @Option(names = "--https", description = "serve the proxy over HTTPS with a demo CA made on first start")
    boolean https;

    @Override
    public Integer call() throws Exception {
        Demo.Ports ports = new Demo.Ports(port, managementPort, issuerPort, upstreamPort, adminPort, forwardProxyPort,
                parentProxyPort);
        Demo demo = Demo.start(dataDir.toAbsolutePath(), ports, https);
        Signals.onHangup(() -> {
            demo.server().policy().checkNow();
            demo.server().reloadCertificates();
        });
        System.out.println(Demo.banner(ports, demo.configFile(), https));
        RunCommand.awaitShutdown(demo::stop);
        return 0;
    }
}
