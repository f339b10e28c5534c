package jp.sekisho.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;

/**
 * A named weekly window of time in one time zone, such as business hours on weekdays. A
 * window whose end is not after its start runs across midnight and belongs to the day it
 * starts on: "22:00-06:00" on Monday covers Monday 22:00 to Tuesday 06:00. Holidays close
 * the window on that day unless it is open on holidays.
 *
 * @param id         the name rules use
 * @param zone       the time zone the hours are in (Asia/Tokyo unless configured)
 * @param days       the days the window opens on
 * @param start      opening time, inclusive
 * @param end        closing time, exclusive
 * @param holidays   dates on which the window does not open
 * @param onHolidays open on holidays too
 */
public record TimeWindow(String id, ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end,
                         Set<LocalDate> holidays, boolean onHolidays) {

    public TimeWindow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        days = Set.copyOf(days);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        holidays = Set.copyOf(holidays);
    }

    /** True when {@code instant} falls inside the window. */
    public boolean contains(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        LocalDate day = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        if (start.isBefore(end)) {
            return opensOn(day) && !time.isBefore(start) && time.isBefore(end);
        }
        // across midnight: the evening part of today's window, or the morning part of yesterday's
        return opensOn(day) && !time.isBefore(start) || opensOn(day.minusDays(1)) && time.isBefore(end);
    }

    private boolean opensOn(LocalDate day) {
        return days.contains(day.getDayOfWeek()) && (onHolidays || !holidays.contains(day));
    }
}
