package jp.sekisho.audit.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import jp.sekisho.audit.export.ExportFilter;

/**
 * The span a review covers: from (inclusive) to (exclusive), and the zone its days are counted
 * and its times shown in (Asia/Tokyo).
 */
public record ReviewPeriod(Instant from, Instant to, ZoneId zone) {

    public ReviewPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to
                    + ": the period is empty");
        }
    }

    /** A period from what a person typed, read as {@code audit export} reads it (Asia/Tokyo unless an offset is given). */
    public static ReviewPeriod parse(String from, String to) {
        return new ReviewPeriod(ExportFilter.instant("--from", from, ExportFilter.DEFAULT_ZONE),
                ExportFilter.instant("--to", to, ExportFilter.DEFAULT_ZONE), ExportFilter.DEFAULT_ZONE);
    }

    public boolean contains(Instant time) {
        return !time.isBefore(from) && time.isBefore(to);
    }

    /** The day {@code time} falls on in the period's zone. */
    public LocalDate day(Instant time) {
        return time.atZone(zone).toLocalDate();
    }

    public ZonedDateTime local(Instant time) {
        return time.atZone(zone);
    }
}
