package jp.sekisho.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids that are unique across replicas and cheap to make: a random per-process prefix
 * and a counter. They identify, they do not authorise, so they need not be unpredictable.
 */
public final class RequestIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public RequestIds() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random);
    }

    public String next() {
        return prefix + HexFormat.of().toHexDigits(counter.incrementAndGet());
    }
}
