package jp.sekisho.audit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;

/**
 * A record's time as ISO 8601 with the zone's offset, to the millisecond, exactly as
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it ({@code 2026-11-24T17:44:03.12+09:00};
 * no fraction on a whole second). Written digit by digit: a record carries several times (its
 * own, the sign-in's, the token's expiry, the device's observations) and the general formatter
 * cost more than the rest of the record. Years outside 0000–9999 go to the general formatter.
 */
final class RecordTime {

    private final ZoneId zone;
    private final ZoneRules rules;

    RecordTime(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    String format(Instant instant) {
        ZoneOffset offset = rules.getOffset(instant);
        LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            return OffsetDateTime.ofInstant(instant, zone).withNano(instant.getNano() / 1_000_000 * 1_000_000)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        StringBuilder out = new StringBuilder(32);
        digits(out, year, 4).append('-');
        digits(out, local.getMonthValue(), 2).append('-');
        digits(out, local.getDayOfMonth(), 2).append('T');
        digits(out, local.getHour(), 2).append(':');
        digits(out, local.getMinute(), 2).append(':');
        digits(out, local.getSecond(), 2);
        int millis = instant.getNano() / 1_000_000;
        if (millis != 0) { // the fraction without its trailing zeros, as the ISO formatter writes it
            out.append('.').append((char) ('0' + millis / 100));
            int rest = millis % 100;
            if (rest != 0) {
                out.append((char) ('0' + rest / 10));
                if (rest % 10 != 0) {
                    out.append((char) ('0' + rest % 10));
                }
            }
        }
        return out.append(offset.getId()).toString(); // "Z" for UTC, as the ISO formatter writes it
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int divisor = width == 4 ? 1000 : 10; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
        return out;
    }
}
