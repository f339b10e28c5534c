package jp.sekisho.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import jp.sekisho.config.ConfigLoader;
import jp.sekisho.config.LoadedConfig;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.metrics.ProxyMetrics;
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
        ProxyMetrics metrics = new ProxyMetrics();
        Vertx vertx = metrics.createVertx();
        SekishoServer server = SekishoServer.start(vertx, metrics, loaded, Clock.systemUTC(), eventLoops);
        Signals.onHangup(() -> {
            server.policy().checkNow();
            server.reloadCertificates();
        });
        SekishoConfig.Shutdown shutdown = loaded.settings().shutdown();
        awaitShutdown(() -> {
            LOG.info("stopping: draining requests under way (delay " + shutdown.delaySeconds() + " s, drain up to "
                    + shutdown.drainSeconds() + " s)");
            server.stop(Duration.ofSeconds(shutdown.delaySeconds()), Duration.ofSeconds(shutdown.drainSeconds()));
            vertx.close().await();
            LOG.info("stopped");
        });
        return 0;
    }

    /**
     * Blocks until the process is asked to stop (SIGTERM, Ctrl-C), running {@code onStop} first,
     * once. The signals are handled before the JVM begins exiting, so the drain can still log;
     * the shutdown hook covers every other way out.
     */
    static void awaitShutdown(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean started = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (started.compareAndSet(false, true)) {
                try {
                    onStop.run();
                } finally {
                    stopped.countDown();
                }
            }
        };
        Signals.onTerminate(() -> new Thread(stopOnce, "sekisho-stop").start());
        Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "sekisho-shutdown"));
        stopped.await();
    }
}
