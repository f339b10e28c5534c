package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecordTimeTest {

    private static String expected(Instant instant, ZoneId zone) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), zone)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    @Test
    void writesWhatTheIsoFormatterWritesForEveryMillisecondOfASecond() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        RecordTime times = new RecordTime(tokyo);
        Instant second = Instant.parse("2026-11-24T08:44:03Z");
        for (int millis = 0; millis < 1000; millis++) {
            Instant instant = second.plusMillis(millis).plusNanos(999_999); // below a millisecond is dropped
            assertEquals(expected(instant, tokyo), times.format(instant));
        }
        assertEquals("2026-11-24T17:44:03+09:00", times.format(second));
        assertEquals("2026-11-24T17:44:03.12+09:00", times.format(second.plusMillis(120)));
        assertEquals("2026-11-24T17:44:03.007+09:00", times.format(second.plusMillis(7)));
    }

    @Test
    void followsTheOffsetAcrossADaylightSavingChangeAndBackwardsInTime() {
        ZoneId newYork = ZoneId.of("America/New_York");
        RecordTime times = new RecordTime(newYork);
        Instant change = Instant.parse("2026-11-01T06:00:00Z"); // 02:00 EDT becomes 01:00 EST
        for (long ms = -3_000; ms <= 3_000; ms += 250) {
            Instant instant = change.plusMillis(ms);
            assertEquals(expected(instant, newYork), times.format(instant));
        }
        Instant earlier = change.minus(400, ChronoUnit.DAYS);
        assertEquals(expected(earlier, newYork), times.format(earlier));
    }

    @Test
    void aYearBeyondFourDigitsIsWrittenAsTheIsoFormatterWritesIt() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Instant far = Instant.parse("+12026-01-02T03:04:05.678Z");
        assertEquals(expected(far, tokyo), new RecordTime(tokyo).format(far));
        assertEquals("2026-11-24T08:44:03.5Z", new RecordTime(ZoneId.of("UTC")).format(
                Instant.parse("2026-11-24T08:44:03.500Z")));
    }

    @Test
    void agreesWithTheIsoFormatterOnRandomInstantsInUtcAndTokyo() {
        SplittableRandom random = new SplittableRandom(20261124);
        for (ZoneId zone : new ZoneId[] {ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo")}) {
            RecordTime times = new RecordTime(zone);
            for (int i = 0; i < 10_000; i++) {
                Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
                assertEquals(expected(instant, zone), times.format(instant));
            }
        }
    }
}
