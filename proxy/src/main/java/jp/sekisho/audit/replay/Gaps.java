package jp.sekisho.audit.replay;

import jp.sekisho.policy.replay.NotReplayable;

/** What one line lacks for a replay: the first gap found, which the whole record is then counted under. */
final class Gaps {

    private NotReplayable first;

    void note(NotReplayable why) {
        if (first == null) {
            first = why;
        }
    }

    NotReplayable first() {
        return first;
    }
}
