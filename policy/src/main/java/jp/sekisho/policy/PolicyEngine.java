package jp.sekisho.policy;

import java.time.Instant;

/**
 * Decides one request. Pure: the same facts, snapshot and instant always give the same
 * decision; no I/O, no clock, no logging. Everything asynchronous happened before.
 */
public final class PolicyEngine {

    private PolicyEngine() {
    }

    public static Decision decide(RequestFacts facts, PolicySnapshot snapshot, Instant now) {
        String version = snapshot.version();
        if (facts.authentication() instanceof Authentication.Unauthenticated failed) {
            return Decision.unauthenticated(failed.reason(), version);
        }
        Identity identity = ((Authentication.Authenticated) facts.authentication()).identity();
        // A cached identity may outlive its token by a moment; the decision never does.
        if (!now.isBefore(identity.expiresAt())) {
            return Decision.unauthenticated(Reason.TOKEN_EXPIRED, version);
        }
        if (!facts.app().issuers().isEmpty() && !facts.app().issuers().contains(identity.issuer())) {
            return Decision.unauthenticated(Reason.ISSUER_NOT_ACCEPTED, version);
        }
        for (AllowRule rule : facts.app().rules()) {
            Reason reason = rule.admits(identity);
            if (reason != null) {
                // Admitted: now the app's authentication strength. Deny wins over step-up, so
                // a user no rule admits is never sent to re-authenticate for nothing.
                var shortfall = facts.app().mfa().shortfall(identity, now);
                if (shortfall.isPresent()) {
                    return Decision.stepUp(shortfall.get(), rule.id(), version);
                }
                return Decision.allow(reason, rule.id(), version);
            }
        }
        return Decision.deny(Reason.USER_NOT_ALLOWED, version);
    }
}
