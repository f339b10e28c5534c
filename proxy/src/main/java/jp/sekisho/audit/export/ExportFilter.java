package jp.sekisho.audit.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Which records an export keeps: a period of {@code time} (from inclusive, to exclusive), a user
 * (username or subject; for an operator's action, the operator or a user it acted on), an app and
 * a decision, a tenant (the 団体コード the record carries), and a kind ({@code access},
 * {@code admin} or {@code breakout}). An operator's action has no app and no decision, so either
 * of those leaves it out; a breakout record has no app, so an app leaves it out.
 */
public record ExportFilter(Optional<Instant> from, Optional<Instant> to, Optional<String> user, Optional<String> app,
                           Optional<String> decision, Optional<String> tenant, Optional<String> kind,
                           Optional<String> device) {

    /** The zone of a bare date or a date-time without an offset. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Tokyo");

    /** The decisions a record can carry ({@code jp.sekisho.policy.Outcome} codes). */
    public static final Set<String> DECISIONS = Set.of("allow", "deny", "unauthenticated", "step-up");

    /** The kinds a person can ask for ({@link ExportRecord#filterKind()}). */
    public static final Set<String> KINDS = Set.of(ExportRecord.ACCESS, ExportRecord.ADMIN, ExportRecord.BREAKOUT);

    public static final ExportFilter ALL =
            new ExportFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());

    public ExportFilter(Optional<Instant> from, Optional<Instant> to, Optional<String> user, Optional<String> app,
                        Optional<String> decision) {
        this(from, to, user, app, decision, Optional.empty());
    }

    public ExportFilter(Optional<Instant> from, Optional<Instant> to, Optional<String> user, Optional<String> app,
                        Optional<String> decision, Optional<String> tenant) {
        this(from, to, user, app, decision, tenant, Optional.empty());
    }

    public ExportFilter(Optional<Instant> from, Optional<Instant> to, Optional<String> user, Optional<String> app,
                        Optional<String> decision, Optional<String> tenant, Optional<String> kind) {
        this(from, to, user, app, decision, tenant, kind, Optional.empty());
    }

    public ExportFilter {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " is not before --to " + to.get()
                    + ": nothing could match");
        }
        if (decision.isPresent() && !DECISIONS.contains(decision.get())) {
            throw new IllegalArgumentException("unknown decision '" + decision.get() + "': one of "
                    + String.join(", ", DECISIONS.stream().sorted().toList()));
        }
        if (kind.isPresent() && !KINDS.contains(kind.get())) {
            throw new IllegalArgumentException("unknown kind '" + kind.get() + "': one of "
                    + String.join(", ", KINDS.stream().sorted().toList()));
        }
    }

    /**
     * An instant from what a person typed: {@code 2026-11-23T09:00:00+09:00} (or {@code Z}) as is;
     * {@code 2026-11-23T09:00} and {@code 2026-11-23} (the day's start) in {@code zone}.
     *
     * @throws IllegalArgumentException naming the option and the forms it takes
     */
    public static Instant instant(String option, String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException(option + " '" + text + "' is not a date (2026-11-23) or a date "
                            + "and time (2026-11-23T09:00, 2026-11-23T09:00:00+09:00)");
                }
            }
        }
    }

    public boolean test(ExportRecord record) {
        Instant time = record.time().toInstant();
        if (from.isPresent() && time.isBefore(from.get()) || to.isPresent() && !time.isBefore(to.get())) {
            return false;
        }
        if (tenant.isPresent() && !tenant.get().equals(record.tenant())
                || kind.isPresent() && !kind.get().equals(record.filterKind())) {
            return false;
        }
        ExportRecord.Request request = record.request();
        if (device.isPresent() && (request == null || !device.get().equalsIgnoreCase(request.deviceId()))) {
            return false; // a device's records: its requests and tunnels (an operator's action names no device)
        }
        if (request == null) {
            ExportRecord.Admin admin = record.admin();
            return app.isEmpty() && decision.isEmpty() && (user.isEmpty() || user.get().equals(admin.operator())
                    || "user".equals(admin.targetKind()) && user.get().equals(admin.target()));
        }
        return (user.isEmpty() || user.get().equals(request.username()) || user.get().equals(request.subject()))
                && (app.isEmpty() || app.get().equals(request.app()))
                && (decision.isEmpty() || decision.get().equals(request.decision()));
    }
}
