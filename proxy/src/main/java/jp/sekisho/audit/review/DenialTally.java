package jp.sekisho.audit.review;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Requests and denials per day, denials per reason, and step-up and MFA failures per app and reason. */
final class DenialTally {

    private static final class Day {
        long requests;
        long denied;
        long unauthenticated;
    }

    private record MfaKey(String app, String decision, String reason) {
    }

    private final Map<LocalDate, Day> days = new TreeMap<>();
    private final Map<String, Long> reasons = new HashMap<>();
    private final Map<MfaKey, Long> mfa = new HashMap<>();
    private final Review.Rules rules;

    DenialTally(Review.Rules rules) {
        this.rules = rules;
    }

    void add(LocalDate day, String app, String decision, List<String> reasonCodes) {
        Day d = days.computeIfAbsent(day, k -> new Day());
        d.requests++;
        boolean denied = "deny".equals(decision);
        boolean unauthenticated = "unauthenticated".equals(decision);
        if (denied) {
            d.denied++;
        } else if (unauthenticated) {
            d.unauthenticated++;
        }
        if (denied || unauthenticated) {
            for (String reason : reasonCodes) {
                reasons.merge(reason, 1L, Long::sum);
            }
        }
        boolean stepUp = "step-up".equals(decision);
        boolean anyMfa = false;
        for (String reason : reasonCodes) {
            if (stepUp || reason.startsWith("mfa-")) {
                mfa.merge(new MfaKey(app, decision, reason), 1L, Long::sum);
                anyMfa = true;
            }
        }
        if (stepUp && !anyMfa) {
            mfa.merge(new MfaKey(app, decision, null), 1L, Long::sum);
        }
    }

    /** Each day with a request, oldest first, judged against the median over those days. */
    List<Review.DenialDay> days() {
        long[] denials = days.values().stream().mapToLong(d -> d.denied + d.unauthenticated).sorted().toArray();
        double threshold = rules.spikeThreshold(UserAppTally.median(denials));
        List<Review.DenialDay> rows = new ArrayList<>();
        days.forEach((day, d) -> rows.add(new Review.DenialDay(day, d.requests, d.denied, d.unauthenticated,
                threshold)));
        return rows;
    }

    List<Review.ReasonCount> reasons() {
        List<Review.ReasonCount> rows = new ArrayList<>();
        reasons.forEach((reason, count) -> rows.add(new Review.ReasonCount(reason, count)));
        rows.sort(Comparator.comparingLong(Review.ReasonCount::count).reversed()
                .thenComparing(Review.ReasonCount::reason));
        return rows;
    }

    /** By app, then decision, then most first. */
    List<Review.MfaCount> mfa() {
        Comparator<String> nullsLast = Comparator.nullsLast(Comparator.naturalOrder());
        List<Review.MfaCount> rows = new ArrayList<>();
        mfa.forEach((key, count) -> rows.add(new Review.MfaCount(key.app(), key.decision(), key.reason(), count)));
        rows.sort(Comparator.comparing(Review.MfaCount::app, nullsLast)
                .thenComparing(Review.MfaCount::decision, nullsLast)
                .thenComparing(Comparator.comparingLong(Review.MfaCount::count).reversed())
                .thenComparing(Review.MfaCount::reason, nullsLast));
        return rows;
    }
}
