package jp.sekisho.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.sekisho.posture.PostureCheck;
import jp.sekisho.posture.PostureFailure;

/**
 * Decides one request. Pure: the same facts, snapshot and instant always give the same
 * decision; no I/O, no clock, no logging. Everything asynchronous happened before.
 *
 * <p>The order is the order of what a user can do about it: an operator's quarantine first
 * (nothing helps), then who the user is, whether any rule admits them, whether their device
 * qualifies, and last whether their sign-in is strong and fresh enough (a step-up helps). A
 * refusal never turns into a step-up, so nobody re-authenticates for nothing.
 */
public final class PolicyEngine {

    /** The rule id of a preflight let through by the app's {@code cors.anonymousPreflight}. */
    public static final String ANONYMOUS_PREFLIGHT_RULE = "cors-anonymous-preflight";

    private PolicyEngine() {
    }

    public static Decision decide(RequestFacts facts, PolicySnapshot snapshot, Instant now) {
        String version = snapshot.version();
        if (facts.quarantine().device()) {
            return Decision.deny(Reason.DEVICE_QUARANTINED, version);
        }
        if (facts.corsPreflight() && facts.app().anonymousPreflight()) {
            return Decision.allow(Reason.ANONYMOUS_PREFLIGHT, ANONYMOUS_PREFLIGHT_RULE, version);
        }
        if (facts.authentication() instanceof Authentication.Unauthenticated failed) {
            return Decision.unauthenticated(failed.reason(), version);
        }
        Identity identity = ((Authentication.Authenticated) facts.authentication()).identity();
        // A cached identity may outlive its token by a moment; the decision never does.
        if (!now.isBefore(identity.expiresAt())) {
            return Decision.unauthenticated(Reason.TOKEN_EXPIRED, version);
        }
        if (facts.quarantine().user()) {
            return Decision.deny(Reason.USER_QUARANTINED, version);
        }
        App app = facts.app();
        if (!app.issuers().isEmpty() && !app.issuers().contains(identity.issuer())) {
            return Decision.unauthenticated(Reason.ISSUER_NOT_ACCEPTED, version);
        }
        for (DenyRule rule : app.denyRules()) {
            if (rule.applies(identity, facts, now)) {
                return Decision.deny(List.of(Reason.DENIED_BY_RULE), rule.id(), version);
            }
        }
        // When no rule admits, say the nearest miss: this user, but not from here / not now / not this request.
        Reason miss = Reason.USER_NOT_ALLOWED;
        for (AllowRule rule : app.rules()) {
            Reason reason = rule.admits(identity);
            if (reason == null) {
                continue;
            }
            if (!rule.where().segmentMatches(facts)) {
                miss = Reason.SEGMENT_NOT_ALLOWED;
                continue;
            }
            if (!rule.where().timeMatches(now)) {
                if (miss != Reason.SEGMENT_NOT_ALLOWED) {
                    miss = Reason.TIME_NOT_ALLOWED;
                }
                continue;
            }
            if (!rule.where().requestMatches(facts)) {
                if (miss == Reason.USER_NOT_ALLOWED) {
                    miss = Reason.REQUEST_NOT_ALLOWED;
                }
                continue;
            }
            List<PostureFailure> failures = PostureCheck.failures(facts.device(), app.posture(), now);
            if (!failures.isEmpty()) {
                return Decision.deny(reasons(failures), rule.id(), version);
            }
            var shortfall = app.mfa().shortfall(identity, now);
            if (shortfall.isPresent()) {
                return Decision.stepUp(shortfall.get(), rule.id(), version);
            }
            return Decision.allow(reason, rule.id(), version);
        }
        return Decision.deny(miss, version);
    }

    private static List<Reason> reasons(List<PostureFailure> failures) {
        List<Reason> reasons = new ArrayList<>(failures.size());
        for (PostureFailure failure : failures) {
            reasons.add(Reason.of(failure));
        }
        return reasons;
    }
}
