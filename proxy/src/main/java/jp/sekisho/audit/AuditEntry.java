package jp.sekisho.audit;

/**
 * One line of the audit trail: a request, an allowed request's decision before forwarding, an
 * operator's action, or a forward-proxy (breakout) tunnel.
 */
public sealed interface AuditEntry permits AccessRecord, AdminRecord, DecisionRecord, BreakoutRecord {

    /** The id that names this entry in the trail and in support conversations. */
    String id();
}
