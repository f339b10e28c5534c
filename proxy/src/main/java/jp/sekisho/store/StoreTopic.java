package jp.sekisho.store;

/** What changed in the store, for listeners that reload only what concerns them. */
public enum StoreTopic {
    /** A new policy version. */
    POLICY,
    /** Quarantine holds placed or lifted. */
    HOLDS,
    /** Browser sessions revoked. */
    REVOCATIONS
}
