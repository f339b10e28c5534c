package jp.sekisho.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A record's time as ISO 8601 with the zone's offset, to the millisecond, exactly as
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it ({@code 2026-11-24T17:44:03.12+09:00};
 * no fraction on a whole second). The date, time and offset of the last second are kept, since
 * records come many to a second and the full formatter costs more than the rest of a record.
 * Safe for several threads: the kept second is one immutable value.
 */
final class RecordTime {

    private record Second(long epochSecond, String dateTime, String offset) {
    }

    private final ZoneId zone;
    private Second last = new Second(Long.MIN_VALUE, "", "");

    RecordTime(ZoneId zone) {
        this.zone = zone;
    }

    String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        Second second = last;
        if (second.epochSecond != epochSecond) {
            // An offset changes only on a whole second, so one second has one offset.
            OffsetDateTime whole = OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
            String text = whole.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            int offsetStart = text.length() - whole.getOffset().getId().length();
            second = new Second(epochSecond, text.substring(0, offsetStart), text.substring(offsetStart));
            last = second;
        }
        int millis = instant.getNano() / 1_000_000;
        if (millis == 0) {
            return second.dateTime + second.offset;
        }
        StringBuilder out = new StringBuilder(second.dateTime.length() + 4 + second.offset.length());
        out.append(second.dateTime).append('.').append((char) ('0' + millis / 100));
        int rest = millis % 100;
        if (rest != 0) {
            out.append((char) ('0' + rest / 10));
            if (rest % 10 != 0) {
                out.append((char) ('0' + rest % 10));
            }
        }
        return out.append(second.offset).toString();
    }
}
