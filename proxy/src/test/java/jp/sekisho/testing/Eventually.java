package jp.sekisho.testing;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something the system under test does on its own thread (a sink delivering, a
 * listener closing): polls until it happens, failing after a generous bound. It waits for an
 * event; it never asserts how long the event took.
 */
public final class Eventually {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} if it never does. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        value(what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** The first value {@code probe} finds; fails naming {@code what} if it never finds one. */
    public static <T> T value(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(10);
        }
    }
}
