package jp.sekisho.policy.breakout;

import java.util.Optional;

/** Reads and normalises destination host names. */
final class DestinationNames {

    private DestinationNames() {
    }

    static Optional<Destination> normalise(String host, int port) {
        throw new UnsupportedOperationException("to be written");
    }

    static Optional<Destination> parseAuthority(String authority) {
        throw new UnsupportedOperationException("to be written");
    }
}
