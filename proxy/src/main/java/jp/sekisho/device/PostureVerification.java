package jp.sekisho.device;

import java.time.Instant;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.PostureFailure;

/** What checking one device posture token concluded. */
public sealed interface PostureVerification {

    /**
     * The token is genuine and current.
     *
     * @param facts      the device's facts
     * @param until      when the token stops being accepted
     * @param thumbprint the certificate it is bound to ({@code cnf.x5t#S256}), if bound
     * @param issuerId   the posture issuer whose key verified it
     * @param keysGeneration which reading of that issuer's keys verified it: a later reading (a
     *                   key removed after a compromise) must verify it again
     */
    record Verified(DeviceFacts facts, Instant until, Optional<String> thumbprint, String issuerId,
                    long keysGeneration) implements PostureVerification {
    }

    /** The token is refused; remembered until {@code until}. */
    record Refused(PostureFailure failure, Instant until) implements PostureVerification {
    }

    /** The token names a key of a known issuer that is not (yet) known, in reading {@code keysGeneration}. */
    record UnknownKey(String issuerId, long keysGeneration) implements PostureVerification {
    }
}
