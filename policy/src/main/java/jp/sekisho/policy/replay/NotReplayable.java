package jp.sekisho.policy.replay;

/** Why a recorded request was counted but not decided again under the draft. */
public enum NotReplayable {

    /** Refused before routing (a malformed request, a limit), or the sign-in flow or the proxy's keys: no policy decides these. */
    OUTSIDE_POLICY("outside-policy", "never reached the policy (refused before routing, the sign-in flow, the proxy's keys)"),
    /** Routed to an app but refused before its policy decided: a stage too slow or failed, the app's upload limit. */
    NO_DECISION("no-decision", "routed, but refused before the policy decided (a stage too slow or failed, an upload limit)"),
    /**
     * No app served it when recorded, so the gateway never asked who sent it; the draft routes it
     * to an app, whose decision would turn on that identity.
     */
    IDENTITY_NEVER_CHECKED("identity-never-checked",
            "no app served it when recorded; the draft routes it to one, but who sent it was never checked"),
    /** Written before records carried the user's groups, acr and auth time, and the device's posture facts. */
    FACTS_NOT_RECORDED("facts-not-recorded",
            "written before records carried groups, acr, auth time and device posture facts"),
    /** Names a decision, reason or fact this version does not know (written by a later version). */
    UNKNOWN_CODE("unknown-code", "names a decision, reason or fact this version does not know");

    private final String code;
    private final String description;

    NotReplayable(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** Stable kebab-case code, for the JSON report. */
    public String code() {
        return code;
    }

    /** What it means, for people. */
    public String description() {
        return description;
    }
}
