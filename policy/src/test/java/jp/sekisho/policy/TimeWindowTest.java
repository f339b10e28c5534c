package jp.sekisho.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final Set<LocalDate> HOLIDAYS = Set.of(LocalDate.parse("2026-11-23")); // 勤労感謝の日 (Monday)
    private static final TimeWindow BUSINESS = new TimeWindow("business-hours", JST,
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 30), LocalTime.of(17, 15), HOLIDAYS,
            false);
    private static final TimeWindow NIGHT = new TimeWindow("night-batch", JST, EnumSet.of(DayOfWeek.FRIDAY),
            LocalTime.of(22, 0), LocalTime.of(6, 0), HOLIDAYS, false);

    /** Instants are written in JST (+09:00) so the table reads as a clerk's clock would. */
    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            business-hours | 2026-11-24T08:29:59+09:00 | false
            business-hours | 2026-11-24T08:30:00+09:00 | true
            business-hours | 2026-11-24T17:14:59+09:00 | true
            business-hours | 2026-11-24T17:15:00+09:00 | false
            business-hours | 2026-11-23T10:00:00+09:00 | false
            business-hours | 2026-11-28T10:00:00+09:00 | false
            business-hours | 2026-11-24T01:00:00Z      | true
            business-hours | 2026-11-23T23:59:00Z      | true
            night-batch    | 2026-11-27T21:59:59+09:00 | false
            night-batch    | 2026-11-27T22:00:00+09:00 | true
            night-batch    | 2026-11-28T05:59:59+09:00 | true
            night-batch    | 2026-11-28T06:00:00+09:00 | false
            night-batch    | 2026-11-28T23:00:00+09:00 | false
            night-batch    | 2026-11-27T02:00:00+09:00 | false
            """)
    void windowsInJapanTimeAcrossMidnightAndHolidays(String window, String at, boolean open) {
        TimeWindow w = window.equals("night-batch") ? NIGHT : BUSINESS;
        assertEquals(open, w.contains(java.time.OffsetDateTime.parse(at).toInstant()));
    }

    @ParameterizedTest
    @CsvSource({"false, false", "true, true"})
    void aWindowOpenOnHolidaysOpensOnThem(boolean onHolidays, boolean open) {
        TimeWindow window = new TimeWindow("counter", JST, EnumSet.allOf(DayOfWeek.class), LocalTime.of(9, 0),
                LocalTime.of(12, 0), HOLIDAYS, onHolidays);
        assertEquals(open, window.contains(Instant.parse("2026-11-23T01:00:00Z"))); // 10:00 JST on the holiday
    }
}
