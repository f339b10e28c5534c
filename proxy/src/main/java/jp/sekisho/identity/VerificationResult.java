package jp.sekisho.identity;

import java.time.Instant;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;

/** What checking one token found. */
public sealed interface VerificationResult {

    /** The token is genuine and valid now. */
    record Verified(Identity identity) implements VerificationResult {
    }

    /**
     * The token is refused.
     *
     * @param cacheUntil how long the same token may be refused without checking again (its
     *                   signature or claims cannot change); null when a retry could succeed
     */
    record Refused(Reason reason, Instant cacheUntil) implements VerificationResult {
    }

    /** The token names a key the issuer's current key set lacks: fetch the keys and retry. */
    record UnknownKey(String issuerId) implements VerificationResult {
    }
}
