package jp.sekisho.policy.breakout;

import java.time.Instant;

/**
 * Decides one forward-proxy destination. Pure, like {@code PolicyEngine}: the same request,
 * policy and instant always give the same decision.
 *
 * <p>The order: an operator's device hold; the allowlist entry (an IP literal no entry lists is
 * refused whoever asks); who the user is (a device-only entry admits a device's certificate);
 * the user's hold; unlisted destinations go to the segment's parent or are refused; the port;
 * the ISMAP registration; the entry's allow rules; device posture; MFA (a step-up).
 */
public final class BreakoutEngine {

    private BreakoutEngine() {
    }

    public static BreakoutDecision decide(BreakoutRequest request, BreakoutPolicy policy, String policyVersion,
                                          Instant now) {
        throw new UnsupportedOperationException("to be written");
    }
}
