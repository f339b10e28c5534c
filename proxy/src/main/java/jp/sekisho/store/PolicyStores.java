package jp.sekisho.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
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
        return Future.failedFuture(new UnsupportedOperationException("policyStore.type postgresql"));
    }
}
