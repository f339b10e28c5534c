package jp.sekisho.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import jp.sekisho.audit.PostgresSink;
import jp.sekisho.config.SekishoConfig;

/** Opens the store the settings name. */
public final class PolicyStores {

    private PolicyStores() {
    }

    /**
     * @param configFile the configuration file (relative paths start at its folder)
     * @param dataDir    the data directory (the embedded store's home)
     */
    public static Future<PolicyStore> open(Vertx vertx, SekishoConfig.PolicyStore settings, Path configFile,
                                           Path dataDir, Clock clock) {
        if (!settings.shared()) {
            return vertx.executeBlocking(() -> EmbeddedPolicyStore.open(vertx, dataDir, clock), false);
        }
        return vertx.executeBlocking(() -> PostgresSink.connectOptions(settings.url(),
                        settings.passwordFile() == null ? null : SekishoConfig.resolve(configFile, settings.passwordFile()),
                        PostgresPolicyStore.APPLICATION_NAME), false)
                .compose(options -> PostgresPolicyStore.open(vertx, options, clock))
                .map(store -> (PolicyStore) store)
                .recover(e -> Future.failedFuture(new IllegalStateException("the policy store at " + settings.url()
                        + " cannot be opened: " + e.getMessage() + ". A replica starts only with its store; once"
                        + " started, it keeps serving its last good policy through a database outage.", e)));
    }
}
