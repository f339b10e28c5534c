package jp.sekisho.policy.mfa;

/** The three kinds of proof: something you know, have, or are. */
public enum FactorClass {
    KNOWLEDGE,
    POSSESSION,
    INHERENCE
}
