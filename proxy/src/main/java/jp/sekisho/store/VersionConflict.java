package jp.sekisho.store;

/**
 * A change was based on a version that is no longer the newest: someone else applied one
 * first. Nothing was stored; the caller reads the newest and decides again (HTTP 412).
 */
public final class VersionConflict extends RuntimeException {

    private final long expected;
    private final long latest;

    public VersionConflict(long expected, long latest) {
        super("the change was based on version " + expected + ", but version " + latest + " is the newest now");
        this.expected = expected;
        this.latest = latest;
    }

    public long expected() {
        return expected;
    }

    public long latest() {
        return latest;
    }
}
