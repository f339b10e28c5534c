package jp.sekisho.audit;

/** Where the pipeline and the operators' actions leave their audit records. */
public interface AccessLog {

    /** A request's record. Never blocks: when the writer cannot keep up the record is dropped and counted. */
    void append(AccessRecord record);

    /**
     * An operator's action. May wait a few seconds for room rather than drop it: call it off
     * the event loop. Dropped (and counted) only if the writer stays stuck.
     */
    void append(AdminRecord record);
}
