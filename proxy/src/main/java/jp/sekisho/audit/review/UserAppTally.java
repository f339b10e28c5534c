package jp.sekisho.audit.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Requests counted per (user, app), in total and outside business hours, with the first few
 * outside-hours request ids. Memory grows with the distinct users × apps, not with the records.
 */
final class UserAppTally {

    /** A user (username, else subject) and an app; either may be null when the trail named none. */
    private record Key(String user, String app) {
    }

    private static final class Counts {
        long requests;
        long outside;
        long outsideAllowed;
        final List<String> examples = new ArrayList<>(3);
    }

    private static final Comparator<String> NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());

    private final Map<Key, Counts> counts = new HashMap<>();
    private final Review.Rules rules;

    UserAppTally(Review.Rules rules) {
        this.rules = rules;
    }

    void add(String user, String app, String requestId, boolean allowed, boolean outsideHours) {
        Counts c = counts.computeIfAbsent(new Key(user, app), k -> new Counts());
        c.requests++;
        if (outsideHours) {
            c.outside++;
            if (allowed) {
                c.outsideAllowed++;
            }
            if (c.examples.size() < rules.examples() && requestId != null) {
                c.examples.add(requestId);
            }
        }
    }

    /** Outside-hours rows: most allowed first, then most requests, then by user and app. */
    List<Review.OutsideHours> outsideHours() {
        List<Review.OutsideHours> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            if (c.outside > 0) {
                rows.add(new Review.OutsideHours(key.user(), key.app(), c.outside, c.outsideAllowed, c.examples));
            }
        });
        rows.sort(Comparator.comparingLong(Review.OutsideHours::allowed).reversed()
                .thenComparing(Comparator.comparingLong(Review.OutsideHours::requests).reversed())
                .thenComparing(Review.OutsideHours::user, NULLS_LAST)
                .thenComparing(Review.OutsideHours::app, NULLS_LAST));
        return rows;
    }

    /** Each app with a known user: its users, requests, median user and threshold; by app id. */
    List<Review.AppVolume> apps() {
        List<Review.AppVolume> rows = new ArrayList<>();
        perApp().forEach((app, perUser) -> {
            double median = median(perUser);
            rows.add(new Review.AppVolume(app, perUser.length, Arrays.stream(perUser).sum(), median,
                    rules.volumeThreshold(median)));
        });
        rows.sort(Comparator.comparing(Review.AppVolume::app, NULLS_LAST));
        return rows;
    }

    /** Users above their app's threshold, most requests first. */
    List<Review.UserVolume> heavyUsers() {
        Map<String, Double> medians = new HashMap<>();
        perApp().forEach((app, perUser) -> medians.put(app, median(perUser)));
        List<Review.UserVolume> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            if (key.user() == null) {
                return;
            }
            double median = medians.get(key.app());
            double threshold = rules.volumeThreshold(median);
            if (c.requests > threshold) {
                rows.add(new Review.UserVolume(key.user(), key.app(), c.requests, median, threshold));
            }
        });
        rows.sort(Comparator.comparingLong(Review.UserVolume::requests).reversed()
                .thenComparing(Review.UserVolume::user).thenComparing(Review.UserVolume::app, NULLS_LAST));
        return rows;
    }

    /** Each app's per-user counts, sorted; requests without a user are not anyone's and are left out. */
    private Map<String, long[]> perApp() {
        Map<String, List<Long>> lists = new HashMap<>();
        counts.forEach((key, c) -> {
            if (key.user() != null) {
                lists.computeIfAbsent(key.app(), a -> new ArrayList<>()).add(c.requests);
            }
        });
        Map<String, long[]> sorted = new HashMap<>();
        lists.forEach((app, list) -> sorted.put(app, list.stream().mapToLong(Long::longValue).sorted().toArray()));
        return sorted;
    }

    /** The median of sorted counts (the mean of the middle two when there is an even number). */
    static double median(long[] sorted) {
        Objects.requireNonNull(sorted);
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
