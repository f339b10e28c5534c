package jp.sekisho.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;

/**
 * One forward-proxy tunnel or request (local breakout), in the same chain as app access: who,
 * from which device and segment, to which destination, by which allowlist entry, what was
 * decided, and how many bytes went each way for how long.
 *
 * @param requestId     the id shown to the user in a refusal
 * @param time          when the request arrived
 * @param sourceAddress the client's address
 * @param segment       the client's network segment, when it is in one
 * @param user          the verified identity, when there was one
 * @param device        what the client proved about its device
 * @param method        {@code CONNECT}, or the method of an absolute-form HTTP request
 * @param host          the destination host as normalised (or as sent, when it could not be read)
 * @param port          the destination port (0 when it could not be read)
 * @param category      the allowlist entry's category, or {@code unlisted}
 * @param entry         the allowlist entry that matched
 * @param parent        the parent proxy the request was chained to
 * @param address       the address actually connected to (after the DNS-rebinding check)
 * @param intercepted   TLS was opened for tenant restrictions
 * @param outcome       allow, deny, unauthenticated or step-up
 * @param reasons       reason codes
 * @param ruleId        the entry's allow rule that admitted
 * @param policyVersion the policy version that decided
 * @param status        the HTTP status answered (200 for an established tunnel)
 * @param bytesUp       bytes from the client to the destination
 * @param bytesDown     bytes from the destination to the client
 * @param durationNanos from the request to the end of the tunnel or response
 * @param closedBy      how an established tunnel ended: client, destination, idle-timeout, max-duration,
 *                      quarantine, error
 */
public record BreakoutRecord(String requestId, Instant time, String sourceAddress, Optional<String> segment,
                             Optional<Identity> user, AccessRecord.Device device, String method, String host,
                             int port, String category, Optional<String> entry, Optional<String> parent,
                             Optional<String> address, boolean intercepted, Outcome outcome, List<Reason> reasons,
                             Optional<String> ruleId, String policyVersion, int status, long bytesUp,
                             long bytesDown, long durationNanos, Optional<String> closedBy) implements AuditEntry {

    public BreakoutRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(device, "device");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(closedBy, "closedBy");
    }

    @Override
    public String id() {
        return requestId;
    }
}
