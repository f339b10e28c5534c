package jp.sekisho.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DeviceFacts;

/**
 * One request as the audit trail remembers it. Built on the event loop from facts already in
 * hand (no formatting there); encoded to JSON on the writer thread.
 *
 * <p>It keeps every fact the decision was made on (who, with which groups and how fresh a
 * sign-in, from which device in what state, from where, whether a CORS preflight), so that a
 * draft policy can be replayed against the trail ({@code sekisho policy replay}).
 *
 * @param requestId     the id also sent upstream and shown to the user
 * @param time          when the request arrived
 * @param sourceAddress the TCP peer (or the client named by a trusted proxy)
 * @param method        HTTP method
 * @param host          the request's host, as routed
 * @param path          the canonical path (the query string is never recorded)
 * @param corsPreflight the request was a CORS preflight (decided without credentials when the app allows)
 * @param app           the app id, empty when no app matched
 * @param user          the verified identity the decision saw, when authenticated
 * @param outcome       allow, deny or unauthenticated
 * @param reasons       reason codes
 * @param ruleId        the rule that decided, if any
 * @param policyVersion the policy version that decided
 * @param status        the HTTP status sent to the client
 * @param bytesIn       request bytes read
 * @param bytesOut      response bytes written
 * @param durationNanos time to finish the response
 * @param device        what the request proved about its device, and how it fared against the app's demands
 * @param segment       the network segment the request came from, when it is in one
 * @param file          a file a file control looked at (a download, or an inspected upload)
 * @param traceId       the W3C trace id the request belongs to (the caller's, or one Sekisho started)
 * @param tenant        the 団体コード of the app's owner, when the app names one (else the deployment's is written)
 * @param query         the raw query string (without {@code ?}), empty when none: never written as is,
 *                      only with its values masked when {@code audit.queryString} is {@code names}
 */
public record AccessRecord(String requestId, Instant time, String sourceAddress, String method, String host,
                           String path, boolean corsPreflight, Optional<String> app, Optional<String> tenant,
                           Optional<Identity> user,
                           Outcome outcome, List<Reason> reasons, Optional<String> ruleId, String policyVersion,
                           int status, long bytesIn, long bytesOut, long durationNanos, Device device,
                           Optional<String> segment, Optional<FileSeen> file, String traceId, String query)
        implements AuditEntry {

    /**
     * A file in a request or response: which way it went, its name when one was given, and for
     * an inspected upload its size and (when it passed whole) its SHA-256.
     */
    public record FileSeen(String direction, Optional<String> name, Optional<Long> bytes, Optional<String> sha256) {
    }

    /** The version of the record's JSON form; raised when a field changes meaning. */
    public static final int SCHEMA = 1;

    public AccessRecord {
        Objects.requireNonNull(user, "user");
        reasons = List.copyOf(reasons);
    }

    @Override
    public String id() {
        return requestId;
    }

    /**
     * The device side of a request.
     *
     * @param id           the device id from its certificate or posture token, when one was proved
     * @param evidence     {@code certificate} and/or {@code token}
     * @param result       {@code passed}, {@code failed}, or {@code not-required} when the app demands nothing
     * @param failed       the posture checks that failed (reason codes), when the result is {@code failed}
     * @param facts        what a valid posture token said about the device, whatever the app demanded
     * @param tokenProblem why a posture token that was presented was refused (a reason code), if it was
     */
    public record Device(Optional<String> id, List<String> evidence, String result, List<String> failed,
                         Optional<DeviceFacts> facts, Optional<String> tokenProblem) {
        public static final Device NONE = new Device(Optional.empty(), List.of(), "not-required", List.of(),
                Optional.empty(), Optional.empty());

        /**
         * The record of a device's evidence and its posture result.
         *
         * @param result {@code passed}, {@code failed} or {@code not-required}
         * @param failed the unmet checks' codes
         */
        public static Device of(jp.sekisho.posture.DevicePosture device, String result, List<String> failed) {
            List<String> evidence = new java.util.ArrayList<>(2);
            if (device.hasCertificate()) {
                evidence.add("certificate");
            }
            if (device.facts().isPresent()) {
                evidence.add("token");
            }
            return new Device(device.deviceId(), evidence, result, failed, device.facts(),
                    device.tokenProblem().map(jp.sekisho.posture.PostureFailure::code));
        }

        public Device {
            Objects.requireNonNull(id, "id");
            evidence = List.copyOf(evidence);
            failed = List.copyOf(failed);
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(tokenProblem, "tokenProblem");
        }
    }
}
