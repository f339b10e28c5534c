package jp.sekisho.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.server.SekishoServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho run}: the production entry point. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the proxy with a configuration file.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());

    @Option(names = {"-c", "--config"}, required = true, description = "the configuration file")
    Path config;

    @Option(names = "--event-loops", description = "event loops accepting staff connections (default: CPU count)")
    int eventLoops = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded;
        try {
            loaded = new ConfigLoader().load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            System.err.println("Sekisho did not start: fix the configuration (sekisho validate --config " + config + ")");
            return ValidateCommand.INVALID;
        }
        Vertx vertx = Vertx.vertx();
        SekishoServer server = SekishoServer.start(vertx, loaded, Clock.systemUTC(), eventLoops);
        Signals.onHangup(() -> {
            server.policy().checkNow();
            server.reloadCertificates();
        });
        awaitShutdown(() -> {
            LOG.info("stopping");
            server.stop();
            vertx.close().await();
        });
        return 0;
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), running {@code onStop} first. */
    static void awaitShutdown(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, "sekisho-shutdown"));
        stopped.await();
    }
}
