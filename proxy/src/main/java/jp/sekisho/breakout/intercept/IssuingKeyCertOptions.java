package jp.sekisho.breakout.intercept;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;

/**
 * The interceptor listener's certificates: one per SNI name, issued by the interception CA.
 *
 * <p>Vert.x (with SNI on) calls {@link #keyManagerFactoryMapper} for each server name a client
 * indicates, and keeps the resulting TLS context per name for the listener's life. Only names
 * of currently open intercepted tunnels get a key manager, so a client cannot make the proxy
 * mint certificates (or grow that per-name map) for names of its choosing; any other name, and
 * a handshake without one, falls to the default key manager, which has no certificate.
 */
final class IssuingKeyCertOptions implements KeyCertOptions {

    private final InterceptionCa ca;
    private final Predicate<String> intercepted;

    /** @param intercepted whether a (lower-case) name is the host of an open intercepted tunnel */
    IssuingKeyCertOptions(InterceptionCa ca, Predicate<String> intercepted) {
        this.ca = ca;
        this.intercepted = intercepted;
    }

    @Override
    public KeyCertOptions copy() {
        return this; // immutable
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
        return KeyManagerFactories.of(IssuingKeyManager.NONE);
    }

    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
        return serverName -> {
            String name = serverName.toLowerCase(Locale.ROOT);
            return intercepted.test(name) ? KeyManagerFactories.of(new IssuingKeyManager(ca, name)) : null;
        };
    }
}
