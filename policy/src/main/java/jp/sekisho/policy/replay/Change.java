package jp.sekisho.policy.replay;

/** How a request's verdict under the draft differs from the recorded one. */
public enum Change {

    /** Allowed when recorded; refused under the draft (denied, asked to step up, or to sign in). */
    ALLOW_TO_DENY("allow-to-deny", "allow → deny"),
    /** Refused when recorded; allowed under the draft. */
    DENY_TO_ALLOW("deny-to-allow", "deny → allow"),
    /** Refused both times, but differently: deny where it was step-up, unauthenticated where it was deny, … */
    REFUSAL_CHANGED("refusal-changed", "refused otherwise"),
    /** The same outcome, for another reason, by another rule, or in another app. */
    REASON_CHANGED("reason-changed", "same outcome, other reason");

    private final String code;
    private final String label;

    Change(String code, String label) {
        this.code = code;
        this.label = label;
    }

    /** Stable kebab-case code, for the JSON report. */
    public String code() {
        return code;
    }

    /** A short label, for the text report. */
    public String label() {
        return label;
    }
}
