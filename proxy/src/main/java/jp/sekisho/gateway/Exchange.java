package jp.sekisho.gateway;

import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureFailure;
import jp.sekisho.session.Session;

/**
 * What the pipeline learns about one request as it travels, and the single place that turns
 * it into the request's one audit record and one set of metrics. Confined to the request's
 * event loop.
 */
final class Exchange {

    final HttpServerRequest request;
    final String requestId;
    final Instant receivedAt;
    final long startNanos;
    final String clientAddress;
    final String policyVersion;
    /** Where the request sits in a W3C trace; Sekisho's span is the upstream's parent. */
    final TraceContext trace;

    String host = "";
    String path = "";
    /** The path as routes and rules match it (NFKC-folded); see {@link PathNormalizer#routingForm}. */
    String routingPath = "";
    App app;
    Authentication authentication;
    /** The browser session the identity came from, when it came from one. */
    Session session;
    /** What the identity was asked of: {@code bearer}, {@code session} or {@code none}. */
    String credential = "none";
    /** When the request was sent upstream, and how long the upstream took to answer its head; -1 until then. */
    long upstreamSentNanos = -1;
    long upstreamNanos = -1;
    String pathAndQuery = "";
    Decision decision;
    /** What the request proved about its device; null when it was refused before that was looked at. */
    DevicePosture device;
    /** The app's posture checks this device failed, judged with the decision; null before that. */
    List<PostureFailure> postureFailures;
    /** The request is a CORS preflight, as the decision judged it; false until then. */
    boolean corsPreflight;
    /** The network segment the request came from; empty when in none, or not yet looked up. */
    Optional<String> segment = Optional.empty();
    /** "download" or "upload" when a file control looked at a file; null otherwise. */
    String fileDirection;
    /** The file's name, when a Content-Disposition gave one. */
    Optional<String> fileName = Optional.empty();
    /** An inspected upload's size, and its SHA-256 when it passed whole; -1 and empty otherwise. */
    long fileBytes = -1;
    Optional<String> fileSha256 = Optional.empty();
    /** The client closed the connection or reset the stream before the answer was complete. */
    boolean clientGone;
    /** The stage under way, for the log when one fails. */
    String stage = "routing";
    /** Set when the request was refused before a decision, or failed after one. */
    Reason failure;
    private boolean finished;

    Exchange(HttpServerRequest request, String requestId, Instant receivedAt, long startNanos, String clientAddress,
             String policyVersion) {
        this.request = request;
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.clientAddress = clientAddress;
        this.policyVersion = policyVersion;
        this.trace = TraceContext.from(request.getHeader(TraceContext.TRACEPARENT));
    }

    Outcome outcome() {
        if (decision != null) {
            return decision.outcome();
        }
        return Outcome.DENY;
    }

    /** The reason shown in metrics: what finally happened to the request. */
    Reason finalReason() {
        if (failure != null) {
            return failure;
        }
        return decision != null ? decision.primaryReason() : Reason.INTERNAL_ERROR;
    }

    /** Builds the audit record once; later calls (close after end) return null. */
    AccessRecord finish(long endNanos) {
        if (finished) {
            return null;
        }
        finished = true;
        return record(endNanos);
    }

    /** The record of what is known so far: in strict audit mode, the decision before forwarding. */
    AccessRecord record(long endNanos) {
        List<Reason> reasons = new ArrayList<>(2);
        if (decision != null) {
            reasons.addAll(decision.reasons());
        }
        if (failure != null && !reasons.contains(failure)) {
            reasons.add(failure);
        }
        if (reasons.isEmpty()) {
            reasons.add(Reason.INTERNAL_ERROR);
        }
        Optional<Identity> user = authentication instanceof Authentication.Authenticated a
                ? Optional.of(a.identity()) : Optional.empty();
        return new AccessRecord(requestId, receivedAt, clientAddress, request.method().name(), host, path,
                corsPreflight, app == null ? Optional.empty() : Optional.of(app.id()),
                app == null ? Optional.empty() : app.tenant(), user, outcome(), reasons,
                decision == null ? Optional.empty() : decision.ruleId(),
                decision == null ? policyVersion : decision.policyVersion(),
                request.response().getStatusCode(), request.bytesRead(), request.response().bytesWritten(),
                endNanos - startNanos, deviceRecord(), segment,
                fileDirection == null ? Optional.empty() : Optional.of(new AccessRecord.FileSeen(fileDirection, fileName,
                        fileBytes < 0 ? Optional.empty() : Optional.of(fileBytes), fileSha256)),
                trace.traceId(), query());
    }

    /** The query string as received, without its {@code ?}; empty when there is none. */
    private String query() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? "" : pathAndQuery.substring(q + 1);
    }

    /** The device side of the record: evidence, and the posture result against the app's demands. */
    private AccessRecord.Device deviceRecord() {
        if (device == null) {
            return AccessRecord.Device.NONE;
        }
        return AccessRecord.Device.of(device, postureResult(), postureFailureCodes());
    }

    /** {@code not-required}, {@code passed} or {@code failed}: how the device fared against the app's demands. */
    String postureResult() {
        if (app == null || postureFailures == null || !app.posture().demandsAnything()) {
            return "not-required";
        }
        return postureFailures.isEmpty() ? "passed" : "failed";
    }

    private List<String> postureFailureCodes() {
        if (postureFailures == null) {
            return List.of();
        }
        return postureFailures.stream().map(PostureFailure::code).toList();
    }
}
