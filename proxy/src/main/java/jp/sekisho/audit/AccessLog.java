package jp.sekisho.audit;

/** Where the pipeline and the operators' actions leave their audit records. */
public interface AccessLog {

    /** A request's record. Never blocks: when the writer cannot keep up the record is dropped and counted. */
    void append(AccessRecord record);

    /** A forward-proxy tunnel's or request's record. Never blocks, like {@link #append(AccessRecord)}. */
    void append(BreakoutRecord record);

    /**
     * An operator's action. May wait a few seconds for room rather than drop it: call it off
     * the event loop. Dropped (and counted) only if the writer stays stuck.
     */
    void append(AdminRecord record);

    /**
     * Strict mode: writes an allowed request's decision and completes, on the caller's context,
     * once it is on the disk; fails when it cannot be made durable (then nothing is forwarded).
     */
    io.vertx.core.Future<Void> durable(DecisionRecord record);

    /** True when allowed requests wait for {@link #durable} before they are forwarded. */
    boolean durableBeforeForwarding();
}
