package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import jp.sekisho.breakout.intercept.InterceptionCa;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Reason;

/**
 * Starts tenant-restriction interception when the forward proxy has an interception CA, and
 * adapts it to the handler's {@link Interceptor}. The CA's key is read here and goes nowhere but
 * into the signer.
 */
public final class Interception {

    private Interception() {
    }

    /** The running interceptor, counted in {@code sekisho_breakout_intercepted_requests_total}. Blocking (reads the CA). */
    public static TenantRestrictionInterceptor start(Vertx vertx, SekishoConfig.ForwardProxy settings, Path configFile,
                                                     List<Path> upstreamCaFiles, Clock clock, ProxyMetrics metrics)
            throws IOException {
        SekishoConfig.InterceptionCa files = settings.interceptionCa();
        InterceptionCa ca = InterceptionCa.load(SekishoConfig.resolve(configFile, files.certificateFile()),
                SekishoConfig.resolve(configFile, files.keyFile()), clock);
        metrics.certificateExpiry("interception-ca", "0", () -> ca.certificate().getNotAfter().toInstant().getEpochSecond());
        X509TrustManager trust = jp.sekisho.tls.UpstreamTrust.of(upstreamCaFiles);
        SekishoConfig.Tunnels tunnels = settings.tunnels();
        return TenantRestrictionInterceptor.start(vertx, ca, trust, new TenantRestrictionInterceptor.Settings(
                (int) Duration.ofSeconds(tunnels.connectTimeoutSeconds()).toMillis(), tunnels.idleTimeoutSeconds()))
                .await();
    }

    /** The handler's view of a running interceptor. */
    public static Interceptor adapter(TenantRestrictionInterceptor interceptor, ProxyMetrics metrics) {
        TenantRestrictionInterceptor.TunnelObserver observer = new TenantRestrictionInterceptor.TunnelObserver() {
            @Override
            public void requestForwarded(int status) {
                metrics.breakout().intercepted("forwarded");
            }

            @Override
            public void requestRefused(String why) {
                metrics.breakout().intercepted(why);
            }

            @Override
            public void requestFailed(Reason reason) {
                metrics.breakout().intercepted(reason.code());
            }
        };
        return (host, port, address, headers) -> interceptor.open(
                new TenantRestrictionInterceptor.Target(host, port, address, headers), observer);
    }

}
