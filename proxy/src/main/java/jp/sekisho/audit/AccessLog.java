package jp.sekisho.audit;

/** Where the pipeline leaves each request's one access record. Must never block. */
public interface AccessLog {

    void append(AccessRecord record);
}
