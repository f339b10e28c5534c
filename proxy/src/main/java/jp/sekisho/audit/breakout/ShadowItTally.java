package jp.sekisho.audit.breakout;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.export.ExportRecord;
import jp.sekisho.audit.review.ReviewPeriod;
import jp.sekisho.policy.Reason;

/**
 * Reads the trail once, line by line, and counts the period's {@code breakout} records into a
 * {@link ShadowIt}. A refusal is "not on the allowlist" when the decision is {@code deny} and its
 * first reason says the destination, its port or its form (an IP literal) is not allowed; any
 * other {@code deny} is counted by its first reason only. Memory grows with the distinct
 * destinations × users refused, never with the records.
 */
public final class ShadowItTally {

    /** The first reasons of a refusal because the allowlist does not name the destination. */
    public static final Set<String> NOT_LISTED = Set.of(Reason.DESTINATION_NOT_ALLOWED.code(),
            Reason.DESTINATION_PORT_NOT_ALLOWED.code(), Reason.DESTINATION_IP_LITERAL.code());

    /** How many segments and groups a destination's row names. */
    public static final int SHARES = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String host, int port) {
    }

    /** One destination's refusals so far. */
    private static final class Seen {
        long refusals;
        final Set<String> users = new HashSet<>();
        final Set<String> devices = new HashSet<>();
        Instant first;
        Instant last;
        final Map<String, Long> segments = new HashMap<>();
        final Map<String, Long> groups = new HashMap<>();
    }

    /** One segment's or group's refusals so far. */
    private static final class Spread {
        long refusals;
        final Set<Key> destinations = new HashSet<>();
        final Set<String> users = new HashSet<>();
    }

    private final ReviewPeriod period;
    private final Optional<String> segment;
    private final Map<Key, Seen> destinations = new HashMap<>();
    private final Map<String, Spread> segments = new HashMap<>(); // a null key: no segment
    private final Map<String, Spread> groups = new HashMap<>();
    private final Map<String, Long> otherReasons = new HashMap<>();
    private long records;
    private long allowed;
    private long notListed;
    private long otherRefusals;
    private long unauthenticated;
    private long stepUp;
    private long linesRead;
    private long unreadable;

    /** Counts the breakout records in {@code period}, from {@code segment} only when one is given. */
    public ShadowItTally(ReviewPeriod period, Optional<String> segment) {
        this.period = period;
        this.segment = segment;
    }

    /** Reads every line of {@code lines} (the trail in chain order) and returns the report. */
    public static ShadowIt read(Stream<String> lines, String trail, ReviewPeriod period, Optional<String> segment,
                                int top, Instant generated) throws IOException {
        ShadowItTally tally = new ShadowItTally(period, segment);
        try {
            lines.forEach(tally::accept);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return tally.finish(trail, top, generated);
    }

    /** One line of the trail. */
    public void accept(String line) {
        linesRead++;
        ExportRecord record;
        try {
            record = ExportRecord.of(JSON.readTree(line));
        } catch (IOException | IllegalArgumentException e) {
            unreadable++; // a torn line after a crash, or damage; verify says which
            return;
        }
        if (record != null && record.breakout() != null && period.contains(record.time().toInstant())
                && (segment.isEmpty() || segment.get().equals(record.request().segment()))) {
            count(record);
        }
    }

    private void count(ExportRecord record) {
        ExportRecord.Request r = record.request();
        records++;
        switch (r.decision() == null ? "" : r.decision()) {
            case "allow" -> allowed++;
            case "unauthenticated" -> unauthenticated++;
            case "step-up" -> stepUp++;
            case "deny" -> {
                String first = r.reasons().isEmpty() ? null : r.reasons().get(0);
                if (first != null && NOT_LISTED.contains(first)) {
                    notListed++;
                    refused(record);
                } else {
                    otherRefusals++;
                    otherReasons.merge(first == null ? "" : first, 1L, Long::sum);
                }
            }
            default -> {
                // a decision a later version may add: counted among the records only
            }
        }
    }

    private void refused(ExportRecord record) {
        ExportRecord.Request r = record.request();
        Instant time = record.time().toInstant();
        Key key = new Key(r.host() == null ? "" : r.host().toLowerCase(Locale.ROOT),
                record.breakout().port() == null ? 0 : record.breakout().port());
        String user = r.username() != null ? r.username() : r.subject();
        Seen seen = destinations.computeIfAbsent(key, k -> new Seen());
        seen.refusals++;
        if (user != null) {
            seen.users.add(user);
        }
        if (r.deviceId() != null) {
            seen.devices.add(r.deviceId());
        }
        seen.first = seen.first == null || time.isBefore(seen.first) ? time : seen.first;
        seen.last = seen.last == null || time.isAfter(seen.last) ? time : seen.last;
        seen.segments.merge(r.segment(), 1L, Long::sum);
        spread(segments, r.segment(), key, user);
        for (String group : new HashSet<>(r.groups())) { // a user in several groups counts for each
            seen.groups.merge(group, 1L, Long::sum);
            spread(groups, group, key, user);
        }
    }

    private static void spread(Map<String, Spread> by, String name, Key key, String user) {
        Spread spread = by.computeIfAbsent(name, k -> new Spread());
        spread.refusals++;
        spread.destinations.add(key);
        if (user != null) {
            spread.users.add(user);
        }
    }

    /** The report of everything read: each ranked table cut to {@code top} rows. */
    public ShadowIt finish(String trail, int top, Instant generated) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, not " + top);
        }
        List<ShadowIt.Destination> rows = new ArrayList<>();
        destinations.forEach((key, seen) -> rows.add(new ShadowIt.Destination(key.host(), key.port(), seen.refusals,
                seen.users.size(), seen.devices.size(), seen.first, seen.last, shares(seen.segments),
                shares(seen.groups))));
        rows.sort(Comparator.comparingLong(ShadowIt.Destination::refusals).reversed()
                .thenComparing(Comparator.comparingInt(ShadowIt.Destination::users).reversed())
                .thenComparing(ShadowIt.Destination::label));
        List<ShadowIt.ReasonCount> reasons = new ArrayList<>();
        otherReasons.forEach((reason, count) -> reasons.add(new ShadowIt.ReasonCount(reason, count)));
        reasons.sort(Comparator.comparingLong(ShadowIt.ReasonCount::count).reversed()
                .thenComparing(ShadowIt.ReasonCount::reason));
        return new ShadowIt(trail, period, segment, top, generated,
                new ShadowIt.Totals(records, allowed, notListed, otherRefusals, unauthenticated, stepUp,
                        destinations.size(), segments.size(), groups.size()),
                rows.subList(0, Math.min(top, rows.size())), slices(segments, top), slices(groups, top), reasons,
                new ShadowIt.Reading(linesRead, unreadable));
    }

    private static List<ShadowIt.Share> shares(Map<String, Long> counts) {
        List<ShadowIt.Share> shares = new ArrayList<>();
        counts.forEach((name, count) -> shares.add(new ShadowIt.Share(name, count)));
        shares.sort(Comparator.comparingLong(ShadowIt.Share::refusals).reversed()
                .thenComparing(ShadowIt.Share::name, Comparator.nullsLast(Comparator.naturalOrder())));
        return shares.subList(0, Math.min(SHARES, shares.size()));
    }

    private static List<ShadowIt.Slice> slices(Map<String, Spread> by, int top) {
        List<ShadowIt.Slice> slices = new ArrayList<>();
        by.forEach((name, spread) -> slices.add(new ShadowIt.Slice(name, spread.refusals,
                spread.destinations.size(), spread.users.size())));
        slices.sort(Comparator.comparingLong(ShadowIt.Slice::refusals).reversed()
                .thenComparing(ShadowIt.Slice::name, Comparator.nullsLast(Comparator.naturalOrder())));
        return slices.subList(0, Math.min(top, slices.size()));
    }
}
