package jp.sekisho.policy.breakout;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A cloud service's ISMAP (政府情報システムのためのセキュリティ評価制度) registration, as the
 * allowlist entry for it records it.
 *
 * @param id         the registration number, such as {@code C21-0006-1}
 * @param validFrom  the first day it is valid, when known
 * @param validUntil the last day it is valid (inclusive, in the policy's time zone)
 */
public record IsmapRegistration(String id, Optional<LocalDate> validFrom, LocalDate validUntil) {

    public IsmapRegistration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /** True after the end of {@code validUntil} in {@code zone}. */
    public boolean expiredAt(Instant now, ZoneId zone) {
        return !now.isBefore(validUntil.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /** True before the start of {@code validFrom} in {@code zone}. */
    public boolean notYetValidAt(Instant now, ZoneId zone) {
        return validFrom.isPresent() && now.isBefore(validFrom.get().atStartOfDay(zone).toInstant());
    }

    /** The instant the registration stops being valid: the start of the day after {@code validUntil}. */
    public Instant endsAt(ZoneId zone) {
        return validUntil.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
