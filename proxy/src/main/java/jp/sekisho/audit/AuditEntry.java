package jp.sekisho.audit;

/** One line of the audit trail: a request, an allowed request's decision before forwarding, or an operator's action. */
public sealed interface AuditEntry permits AccessRecord, AdminRecord, DecisionRecord {

    /** The id that names this entry in the trail and in support conversations. */
    String id();
}
