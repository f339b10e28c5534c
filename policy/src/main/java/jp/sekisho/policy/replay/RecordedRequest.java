package jp.sekisho.policy.replay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Identity;
import jp.sekisho.posture.DevicePosture;

/**
 * One request as the audit trail recorded it: the facts the gateway decided on, and what it
 * decided. Operator holds and why a request without identity was refused are not fields: the
 * replay reads them off the recorded reasons, the one place the trail keeps them.
 *
 * @param requestId     the request's id
 * @param time          when it arrived: the instant it is decided at again (MFA and posture
 *                      freshness, time windows)
 * @param host          the host, lower case, as routed
 * @param path          the path in the form routes and rules match (the gateway's routing form)
 * @param method        the HTTP method
 * @param source        the client's address, which the draft's segments place; empty when unknown
 * @param corsPreflight the request was a CORS preflight
 * @param user          the verified identity, when the request had one
 * @param device        what the request proved about its device
 * @param recorded      what the gateway did: app, outcome, every recorded reason, rule
 * @param policyVersion the policy version that decided it
 * @param notReplayable why the record cannot be decided again (it lacks facts), if it cannot
 */
public record RecordedRequest(String requestId, Instant time, String host, String path, String method,
                              Optional<String> source, boolean corsPreflight, Optional<Identity> user,
                              DevicePosture device, Verdict recorded, String policyVersion,
                              Optional<NotReplayable> notReplayable) {

    public RecordedRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(recorded, "recorded");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(notReplayable, "notReplayable");
    }

    /** A request whose facts are all here. */
    public static RecordedRequest of(String requestId, Instant time, String host, String path, String method,
                                     Optional<String> source, boolean corsPreflight, Optional<Identity> user,
                                     DevicePosture device, Verdict recorded, String policyVersion) {
        return new RecordedRequest(requestId, time, host, path, method, source, corsPreflight, user, device, recorded,
                policyVersion, Optional.empty());
    }

    /** Who sent it, for people: the username, else the subject, else that nobody signed in. */
    public String who() {
        return user.isPresent() ? user.get().username().isEmpty() ? user.get().subject() : user.get().username()
                : ReplayReport.NOBODY;
    }
}
