package jp.sekisho.audit;

/** Where the pipeline and the operators' actions leave their audit records. Must never block. */
public interface AccessLog {

    void append(AccessRecord record);

    void append(AdminRecord record);
}
