package jp.sekisho.cli;

import java.util.logging.Logger;

/** SIGHUP reloads the configuration, as operators expect of a Unix daemon. */
final class Signals {

    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    private Signals() {
    }

    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: checking the configuration");
                action.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warning("SIGHUP reload is not available on this platform; the file is still checked periodically");
        }
    }
}
