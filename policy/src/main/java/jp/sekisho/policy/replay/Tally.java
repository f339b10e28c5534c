package jp.sekisho.policy.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The running counts of one replay; read out once as a {@link ReplayReport}. */
final class Tally {

    private final int examplesPerChange;
    private long total;
    private long replayed;
    private long unchanged;
    private final long[] notReplayable = new long[NotReplayable.values().length];
    private final long[] changes = new long[Change.values().length];
    private final Counts byApp = new Counts();
    private final Counts byUser = new Counts();
    private final Counts byReason = new Counts();
    private final Counts versions = new Counts();
    private final Map<Change, List<ReplayExample>> examples = new EnumMap<>(Change.class);
    private Instant first;
    private Instant last;

    Tally(int examplesPerChange) {
        this.examplesPerChange = examplesPerChange;
    }

    /** A request in scope, whatever becomes of it. */
    void inScope(RecordedRequest request) {
        total++;
        versions.add(request.policyVersion());
        Instant time = request.time();
        if (first == null || time.isBefore(first)) {
            first = time;
        }
        if (last == null || time.isAfter(last)) {
            last = time;
        }
    }

    void notReplayable(NotReplayable why) {
        notReplayable[why.ordinal()]++;
    }

    void replayed(RecordedRequest request, Verdict before, Verdict after) {
        replayed++;
        if (before.outcome() == after.outcome() && before.reasons().equals(after.reasons())
                && before.rule().equals(after.rule()) && before.app().equals(after.app())) {
            unchanged++;
            return;
        }
        Change change = change(before, after);
        changes[change.ordinal()]++;
        String user = request.who();
        byApp.add(after.app().or(before::app).orElse(ReplayReport.NO_APP));
        byUser.add(user);
        byReason.add(after.reasons().get(0).code());
        List<ReplayExample> kept = examples.computeIfAbsent(change, c -> new ArrayList<>());
        if (kept.size() < examplesPerChange) {
            kept.add(new ReplayExample(request.requestId(), request.time(), user, request.method(), request.host(),
                    request.path(), before, after));
        }
    }

    private static Change change(Verdict before, Verdict after) {
        boolean wasAllowed = before.outcome() == jp.sekisho.policy.Outcome.ALLOW;
        boolean isAllowed = after.outcome() == jp.sekisho.policy.Outcome.ALLOW;
        if (wasAllowed != isAllowed) {
            return wasAllowed ? Change.ALLOW_TO_DENY : Change.DENY_TO_ALLOW;
        }
        return before.outcome() != after.outcome() ? Change.REFUSAL_CHANGED : Change.REASON_CHANGED;
    }

    ReplayReport report(String draftVersion) {
        Map<NotReplayable, Long> whyNot = new EnumMap<>(NotReplayable.class);
        for (NotReplayable why : NotReplayable.values()) {
            if (notReplayable[why.ordinal()] > 0) {
                whyNot.put(why, notReplayable[why.ordinal()]);
            }
        }
        Map<Change, Long> changed = new EnumMap<>(Change.class);
        long changedTotal = 0;
        for (Change change : Change.values()) {
            if (changes[change.ordinal()] > 0) {
                changed.put(change, changes[change.ordinal()]);
                changedTotal += changes[change.ordinal()];
            }
        }
        Map<Change, List<ReplayExample>> kept = new EnumMap<>(Change.class);
        examples.forEach((change, list) -> kept.put(change, List.copyOf(list)));
        return new ReplayReport(draftVersion, total, replayed, unchanged, changedTotal,
                Collections.unmodifiableMap(whyNot), Collections.unmodifiableMap(changed), byApp.mostFirst(),
                byUser.mostFirst(), byReason.mostFirst(), Collections.unmodifiableMap(kept), versions.mostFirst(),
                Optional.ofNullable(first), Optional.ofNullable(last));
    }
}
