package jp.sekisho.policy.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a draft policy would have done to recorded traffic. Counts by app, user and reason are
 * of changed requests only; maps are ordered most first.
 *
 * @param draftVersion     the draft's policy version
 * @param total            recorded requests in scope (the period and app asked for)
 * @param replayed         those decided again under the draft
 * @param unchanged        replayed with the verdict they had
 * @param changed          replayed with another verdict
 * @param notReplayable    in scope but not decided again, by why
 * @param changes          changed requests by how they changed
 * @param changedByApp     changed requests by app (the draft's, else the recorded one)
 * @param changedByUser    changed requests by user
 * @param changedByReason  changed requests by the draft's first reason
 * @param examples         up to the asked number of changed requests of each kind, in the order replayed
 * @param recordedVersions requests in scope by the policy version that decided them
 * @param first            the earliest request in scope
 * @param last             the latest request in scope
 */
public record ReplayReport(String draftVersion, long total, long replayed, long unchanged, long changed,
                           Map<NotReplayable, Long> notReplayable, Map<Change, Long> changes,
                           Map<String, Long> changedByApp, Map<String, Long> changedByUser,
                           Map<String, Long> changedByReason, Map<Change, List<ReplayExample>> examples,
                           Map<String, Long> recordedVersions, Optional<Instant> first, Optional<Instant> last) {

    /** How a request nobody signed in to is named in counts and examples. */
    public static final String NOBODY = "(nobody)";
    /** How a request no app served is named in counts. */
    public static final String NO_APP = "(no app)";

    /** True when some request would fare differently under the draft, if only for another reason. */
    public boolean anyChanged() {
        return changed > 0;
    }

    /** Requests whose outcome would change: allowed where they were refused, or the reverse, or refused otherwise. */
    public long outcomesChanged() {
        return changed - changes.getOrDefault(Change.REASON_CHANGED, 0L);
    }

    /** Requests in scope not decided again. */
    public long notReplayed() {
        return total - replayed;
    }
}
