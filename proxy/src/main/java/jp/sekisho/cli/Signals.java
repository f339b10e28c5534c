package jp.sekisho.cli;

import java.util.logging.Logger;

/** SIGHUP reloads the configuration and SIGTERM or Ctrl-C stops gracefully, as operators expect of a Unix daemon. */
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

    /** SIGTERM and SIGINT run {@code action}; where signals cannot be handled the JVM's shutdown hook still stops. */
    @SuppressWarnings("removal")
    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("SIG" + name + ": stopping");
                    action.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                LOG.fine("SIG" + name + " is not handled here; the shutdown hook stops instead");
            }
        }
    }
}
