package jp.sekisho.policy.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;

/**
 * Decides recorded requests again under a draft policy, as the gateway would have decided them
 * had the draft been in force: routed by host and path with the draft's routes, placed in the
 * draft's segments by their source address, and decided by {@link PolicyEngine#decide} at the
 * instant they were recorded (so MFA and posture freshness and time windows are judged then,
 * not now). Pure: no I/O, no clock.
 *
 * <p>What the gateway learned outside the policy is taken from the record as it was: who the
 * user was, what the device proved, which operator holds applied (read off the recorded
 * reasons), and why a request without identity was refused. Requests the policy never decided
 * (refused before routing, the sign-in flow) are counted, not replayed.
 *
 * <p>Either {@link #run} over an iterable, or {@link #of} then {@link #add} per request and
 * {@link #report} at the end, for callers that read records one at a time.
 */
public final class Replay {

    /** Sources seen more than this many times apart are looked up afresh each time (bounds memory). */
    private static final int MAX_CACHED_SOURCES = 100_000;

    /** What the gateway does with a request no app serves. */
    private static final Verdict NO_APP =
            new Verdict(Optional.empty(), Outcome.DENY, List.of(Reason.APP_UNKNOWN), Optional.empty());

    private final PolicySnapshot draft;
    private final ReplayOptions options;
    private final Tally tally;
    /** A trail repeats its client addresses; parsing one costs more than deciding. */
    private final Map<String, Optional<String>> segmentsBySource = new HashMap<>();

    private Replay(PolicySnapshot draft, ReplayOptions options) {
        this.draft = Objects.requireNonNull(draft, "draft");
        this.options = Objects.requireNonNull(options, "options");
        this.tally = new Tally(options.examples());
    }

    /** Replays every request of {@code records} under {@code draft}. */
    public static ReplayReport run(PolicySnapshot draft, Iterable<RecordedRequest> records, ReplayOptions options) {
        Replay replay = of(draft, options);
        for (RecordedRequest record : records) {
            replay.add(record);
        }
        return replay.report();
    }

    /** A replay to feed one request at a time. */
    public static Replay of(PolicySnapshot draft, ReplayOptions options) {
        return new Replay(draft, options);
    }

    /** Replays one request; one outside the options' period or app is left out of the report. */
    public void add(RecordedRequest request) {
        if (!options.inPeriod(request.time())) {
            return;
        }
        Optional<App> routed = draft.route(request.host(), request.path());
        Verdict recorded = request.recorded();
        if (options.app().isPresent() && !options.app().equals(recorded.app())
                && !(routed.isPresent() && routed.get().id().equals(options.app().get()))) {
            return;
        }
        tally.inScope(request);
        if (request.notReplayable().isPresent()) {
            tally.notReplayable(request.notReplayable().get());
            return;
        }
        List<Reason> reasons = recorded.reasons();
        Reason first = reasons.isEmpty() ? Reason.INTERNAL_ERROR : reasons.get(0);
        if (first == Reason.APP_UNKNOWN) {
            if (routed.isPresent()) {
                tally.notReplayable(NotReplayable.IDENTITY_NEVER_CHECKED);
            } else {
                tally.replayed(request, recorded, NO_APP);
            }
            return;
        }
        if (!DecisionReasons.givenByPolicy(first)) {
            tally.notReplayable(recorded.app().isPresent() ? NotReplayable.NO_DECISION : NotReplayable.OUTSIDE_POLICY);
            return;
        }
        Verdict before = DecisionReasons.decisionPart(recorded);
        if (routed.isEmpty()) {
            tally.replayed(request, before, NO_APP);
            return;
        }
        App app = routed.get();
        Decision decision = PolicyEngine.decide(new RequestFacts(app, authentication(request), request.device(),
                request.method(), request.path(), holds(reasons), request.corsPreflight(), segment(request.source()),
                request.source()), draft, request.time());
        tally.replayed(request, before, Verdict.of(app.id(), decision));
    }

    public ReplayReport report() {
        return tally.report(draft.version());
    }


    /**
     * The identity, or why there was none. Without one, a request refused as unauthenticated says
     * why in its first reason; any other (a quarantined device, an anonymous preflight) had no
     * credentials to check, which the gateway calls token-missing.
     */
    private static Authentication authentication(RecordedRequest request) {
        if (request.user().isPresent()) {
            return Authentication.of(request.user().get());
        }
        Verdict recorded = request.recorded();
        return Authentication.failed(recorded.outcome() == Outcome.UNAUTHENTICATED
                ? recorded.reasons().get(0) : Reason.TOKEN_MISSING);
    }

    /**
     * The operator holds, read off the recorded reasons. Exact where it matters: a device hold is
     * judged first, so its absence is known; for a known user, a user hold is judged after only
     * the token's expiry, which no draft changes, so its absence is known wherever it counts.
     */
    private static RequestFacts.Quarantine holds(List<Reason> reasons) {
        boolean device = reasons.contains(Reason.DEVICE_QUARANTINED);
        boolean user = reasons.contains(Reason.USER_QUARANTINED);
        return device || user ? new RequestFacts.Quarantine(device, user) : RequestFacts.Quarantine.NONE;
    }

    private Optional<String> segment(Optional<String> source) {
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> segment = segmentsBySource.get(source.get());
        if (segment == null) {
            segment = draft.segments().of(source.get());
            if (segmentsBySource.size() < MAX_CACHED_SOURCES) {
                segmentsBySource.put(source.get(), segment);
            }
        }
        return segment;
    }
}
