package jp.sekisho.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;

/**
 * One request as the audit trail remembers it. Built on the event loop from facts already in
 * hand (no formatting there); encoded to JSON on the writer thread.
 *
 * @param requestId     the id also sent upstream and shown to the user
 * @param time          when the request arrived
 * @param sourceAddress the TCP peer (or the client named by a trusted proxy)
 * @param method        HTTP method
 * @param host          the request's host, as routed
 * @param path          the canonical path (the query string is never recorded)
 * @param app           the app id, empty when no app matched
 * @param issuer        the identity's issuer, when authenticated
 * @param subject       the identity's subject, when authenticated
 * @param username      the identity's username, when authenticated
 * @param amr           authentication methods as the issuer wrote them, when authenticated
 * @param methods       the canonical methods those prove (RFC 8176 names), when authenticated
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
 * @param claims        further claims the issuer keeps (a staff id, a department), when authenticated
 * @param query         the raw query string (without {@code ?}), empty when none: never written as is,
 *                      only with its values masked when {@code audit.queryString} is {@code names}
 */
public record AccessRecord(String requestId, Instant time, String sourceAddress, String method, String host,
                           String path, Optional<String> app, Optional<String> issuer, Optional<String> subject,
                           Optional<String> username, List<String> amr, List<String> methods, Outcome outcome, List<Reason> reasons,
                           Optional<String> ruleId, String policyVersion, int status, long bytesIn, long bytesOut,
                           long durationNanos, Device device, Optional<String> segment, Optional<FileSeen> file,
                           String traceId, Map<String, List<String>> claims, String query)
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
        amr = List.copyOf(amr);
        methods = List.copyOf(methods);
        reasons = List.copyOf(reasons);
        claims = Map.copyOf(claims);
    }

    @Override
    public String id() {
        return requestId;
    }

    /**
     * The device side of a request.
     *
     * @param id       the device id from its certificate or posture token, when one was proved
     * @param evidence {@code certificate} and/or {@code token}
     * @param result   {@code passed}, {@code failed}, or {@code not-required} when the app demands nothing
     * @param failed   the posture checks that failed (reason codes), when the result is {@code failed}
     */
    public record Device(Optional<String> id, List<String> evidence, String result, List<String> failed) {
        public static final Device NONE = new Device(Optional.empty(), List.of(), "not-required", List.of());

        public Device {
            evidence = List.copyOf(evidence);
            failed = List.copyOf(failed);
        }
    }
}
