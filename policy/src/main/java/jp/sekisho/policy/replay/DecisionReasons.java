package jp.sekisho.policy.replay;

import java.util.EnumSet;
import java.util.Set;
import jp.sekisho.policy.Reason;

/**
 * Which recorded reasons the policy gave, and which the gateway gave around it. The gateway
 * writes the decision's reasons first and appends its own (an upstream timeout, a blocked
 * download); a request it refused before any decision carries only its own. Every reason is
 * in exactly one of the two sets, checked when the class loads, so a new reason cannot slip
 * through a replay unclassified.
 */
final class DecisionReasons {

    /** What {@code PolicyEngine.decide} can give, including the authentication failures it passes on. */
    private static final Set<Reason> POLICY = EnumSet.of(
            Reason.USER_ALLOWED, Reason.GROUP_ALLOWED, Reason.CLAIMS_ALLOWED, Reason.ANONYMOUS_PREFLIGHT,
            Reason.USER_NOT_ALLOWED, Reason.SEGMENT_NOT_ALLOWED, Reason.TIME_NOT_ALLOWED, Reason.REQUEST_NOT_ALLOWED,
            Reason.DENIED_BY_RULE, Reason.DEVICE_QUARANTINED, Reason.USER_QUARANTINED,
            Reason.DEVICE_UNKNOWN, Reason.DEVICE_CERTIFICATE_REQUIRED, Reason.DEVICE_POSTURE_MISSING,
            Reason.DEVICE_TOKEN_INVALID, Reason.DEVICE_TOKEN_EXPIRED, Reason.DEVICE_TOKEN_LIFETIME_TOO_LONG,
            Reason.DEVICE_TOKEN_AUDIENCE_MISMATCH, Reason.DEVICE_TOKEN_ISSUER_UNKNOWN,
            Reason.DEVICE_TOKEN_CERTIFICATE_MISMATCH, Reason.DEVICE_NOT_MANAGED, Reason.DEVICE_NOT_COMPLIANT,
            Reason.DEVICE_EDR_NOT_RUNNING, Reason.DEVICE_EDR_RISK_TOO_HIGH, Reason.DEVICE_DISK_NOT_ENCRYPTED,
            Reason.DEVICE_SCREEN_LOCK_OFF, Reason.DEVICE_OS_TOO_OLD, Reason.DEVICE_PATCH_TOO_OLD,
            Reason.DEVICE_POSTURE_STALE,
            Reason.MFA_METHOD_MISSING, Reason.MFA_FACTORS_INSUFFICIENT, Reason.MFA_TOO_OLD, Reason.MFA_AUTH_TIME_MISSING,
            Reason.TOKEN_MISSING, Reason.TOKEN_MALFORMED, Reason.TOKEN_TOO_LARGE, Reason.TOKEN_ALGORITHM_NOT_ALLOWED,
            Reason.TOKEN_TYPE_NOT_ALLOWED, Reason.TOKEN_ISSUER_UNKNOWN, Reason.ISSUER_NOT_ACCEPTED,
            Reason.TOKEN_KEY_UNKNOWN, Reason.TOKEN_SIGNATURE_INVALID, Reason.TOKEN_EXPIRED, Reason.TOKEN_NOT_YET_VALID,
            Reason.TOKEN_ISSUED_IN_FUTURE, Reason.TOKEN_AUDIENCE_MISMATCH, Reason.TOKEN_CLAIMS_INVALID,
            Reason.ISSUER_KEYS_UNAVAILABLE, Reason.SESSION_INVALID, Reason.SESSION_EXPIRED, Reason.SESSION_REVOKED);

    /** What the gateway gives by itself: before routing, between routing and the decision, or after it. */
    private static final Set<Reason> GATEWAY = EnumSet.of(
            Reason.PUBLIC_ENDPOINT, Reason.LOGIN_FLOW, Reason.LOGIN_FAILED, Reason.DOWNLOAD_BLOCKED,
            Reason.PERSONAL_DATA_DETECTED, Reason.APP_UNKNOWN, Reason.PATH_INVALID, Reason.REQUEST_INVALID,
            Reason.METHOD_NOT_ALLOWED, Reason.REQUEST_LINE_TOO_LONG, Reason.REQUEST_HEADERS_TOO_LARGE,
            Reason.REQUEST_BODY_TOO_LARGE, Reason.PROCESSING_TIMEOUT, Reason.AUDIT_UNAVAILABLE,
            Reason.TOO_MANY_CONNECTIONS, Reason.UPSTREAM_UNREACHABLE, Reason.UPSTREAM_TIMEOUT,
            Reason.UPSTREAM_TLS_FAILED, Reason.UPSTREAM_FAILED, Reason.INTERNAL_ERROR,
            // the forward proxy's: its records are breakout records, which replays do not read
            Reason.BREAKOUT_ALLOWED, Reason.BREAKOUT_CHAINED, Reason.DESTINATION_NOT_ALLOWED,
            Reason.DESTINATION_PORT_NOT_ALLOWED, Reason.DESTINATION_IP_LITERAL, Reason.DESTINATION_INVALID,
            Reason.DESTINATION_PRIVATE_ADDRESS, Reason.DESTINATION_UNRESOLVED, Reason.ISMAP_EXPIRED,
            Reason.ISMAP_NOT_YET_VALID, Reason.PARENT_PROXY_FAILED);

    static {
        for (Reason reason : Reason.values()) {
            if (POLICY.contains(reason) == GATEWAY.contains(reason)) {
                throw new ExceptionInInitializerError("reason " + reason.code()
                        + " must be either the policy's or the gateway's, for replays");
            }
        }
    }

    private DecisionReasons() {
    }

    static boolean givenByPolicy(Reason reason) {
        return POLICY.contains(reason);
    }

    /** The reasons of {@code recorded} the policy gave: the verdict to compare a replayed decision with. */
    static Verdict decisionPart(Verdict recorded) {
        int policyReasons = 0;
        for (Reason reason : recorded.reasons()) {
            if (POLICY.contains(reason)) {
                policyReasons++;
            }
        }
        if (policyReasons == recorded.reasons().size()) {
            return recorded; // the common case: nothing went wrong after the decision
        }
        Reason[] kept = new Reason[policyReasons];
        int i = 0;
        for (Reason reason : recorded.reasons()) {
            if (POLICY.contains(reason)) {
                kept[i++] = reason;
            }
        }
        return new Verdict(recorded.app(), recorded.outcome(), java.util.List.of(kept), recorded.rule());
    }
}
