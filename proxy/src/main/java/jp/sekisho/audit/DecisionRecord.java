package jp.sekisho.audit;

/**
 * In strict mode, an allowed request's record written (and synced) before it is forwarded: who,
 * from where, to which app, and the decision. Its {@link AccessRecord} follows when the request
 * ends; a decision record without one means the process stopped while the request was under way.
 */
public record DecisionRecord(AccessRecord decided) implements AuditEntry {

    @Override
    public String id() {
        return decided.requestId();
    }
}
