package jp.sekisho.breakout;

import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.BreakoutRecord;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.breakout.BreakoutDecision;
import jp.sekisho.posture.DevicePosture;

/** What one forward-proxy request gathered on its way, until its audit record is written. */
final class Attempt {

    final HttpServerRequest request;
    final String requestId;
    final Instant receivedAt;
    final long startNanos;
    final String source;
    String host;
    int port;
    Optional<String> segment = Optional.empty();
    Authentication authentication;
    DevicePosture device;
    BreakoutDecision decision;
    String policyVersion = "-";
    String address;
    boolean intercepted;

    Attempt(HttpServerRequest request, String requestId, Instant receivedAt, long startNanos, String source,
            String host, int port) {
        this.request = request;
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.source = source;
        this.host = host;
        this.port = port;
    }

    String category() {
        return decision == null ? BreakoutDecision.UNLISTED : decision.category();
    }

    String entryLabel() {
        return decision == null ? "-" : decision.entry().map(e -> e.id())
                .or(() -> decision.parent().map(p -> "parent:" + p.id())).orElse("-");
    }

    /** The record of this attempt: refused with {@code outcome} and {@code reasons}, or allowed and finished. */
    BreakoutRecord record(Outcome outcome, List<Reason> reasons, int status, long bytesUp, long bytesDown,
                          long endNanos, Optional<String> closedBy) {
        Optional<Identity> user = authentication instanceof Authentication.Authenticated a
                ? Optional.of(a.identity()) : Optional.empty();
        Decision decided = decision == null ? null : decision.decision();
        return new BreakoutRecord(requestId, receivedAt, source, segment, user, deviceRecord(),
                request.method().name(), host, port, category(),
                decision == null ? Optional.empty() : decision.entry().map(e -> e.id()),
                decision == null ? Optional.empty() : decision.parent().map(p -> p.id()),
                Optional.ofNullable(address), intercepted, outcome, reasons,
                decided == null ? Optional.empty() : decided.ruleId(), policyVersion, status, bytesUp, bytesDown,
                endNanos - startNanos, closedBy);
    }

    private AccessRecord.Device deviceRecord() {
        if (device == null) {
            return AccessRecord.Device.NONE;
        }
        boolean demanded = decision != null && decision.entry().isPresent()
                && decision.entry().get().posture().demandsAnything();
        List<String> failed = new ArrayList<>();
        if (decision != null) {
            for (Reason reason : decision.decision().reasons()) {
                if (reason.isPostureCheck()) {
                    failed.add(reason.code());
                }
            }
        }
        String result = !demanded ? "not-required" : failed.isEmpty() ? "passed" : "failed";
        return AccessRecord.Device.of(device, result, failed);
    }
}
