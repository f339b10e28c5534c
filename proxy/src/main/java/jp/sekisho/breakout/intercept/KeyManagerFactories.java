package jp.sekisho.breakout.intercept;

import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;

/**
 * A {@link KeyManagerFactory} around one ready key manager: what Vert.x's SNI mapping returns
 * (its own wrapper is not public).
 */
final class KeyManagerFactories {

    private static final Provider PROVIDER = new Provider("sekisho-intercept", "1.0", "interception CA leaves") {
    };

    private KeyManagerFactories() {
    }

    static KeyManagerFactory of(KeyManager keyManager) {
        return new Single(keyManager);
    }

    private static final class Single extends KeyManagerFactory {
        Single(KeyManager keyManager) {
            super(new Spi(keyManager), PROVIDER, "sekisho-intercept");
        }
    }

    private static final class Spi extends KeyManagerFactorySpi {
        private final KeyManager keyManager;

        Spi(KeyManager keyManager) {
            this.keyManager = keyManager;
        }

        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {
            // ready as built
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // ready as built
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            return new KeyManager[] {keyManager};
        }
    }
}
