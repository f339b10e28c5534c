package jp.sekisho.audit.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A periodic review of the audit trail: what a 情報システム課 hands its CISO for one period.
 * Plain values, in the order the report shows them; a user or app the trail did not name is null.
 *
 * @param trail         the audit directory read
 * @param period        the period covered
 * @param generated     when the review was made
 * @param hours         the business hours requests were judged against
 * @param rules         the thresholds behind every flag
 * @param totals        the period's requests at a glance
 * @param outsideHours  requests outside business hours, by user and app, most allowed first
 * @param apps          each app's requests and its typical user's count
 * @param heavyUsers    users whose requests to an app are far above that app's typical user
 * @param denialDays    denials by day (in the period's zone), each day with a request
 * @param denialReasons denials by reason code, most first
 * @param mfa           step-up decisions and MFA failures by app, decision and reason
 * @param quarantines   operators' holds and releases of devices and users, in trail order
 * @param policyChanges policy versions applied and refused, in trail order
 * @param health        the trail's own records in the period, and what could not be read
 */
public record Review(String trail, ReviewPeriod period, Instant generated, BusinessHours hours, Rules rules,
                     Totals totals, List<OutsideHours> outsideHours, List<AppVolume> apps, List<UserVolume> heavyUsers,
                     List<DenialDay> denialDays, List<ReasonCount> denialReasons, List<MfaCount> mfa,
                     List<AdminAction> quarantines, List<AdminAction> policyChanges, Health health) {

    public Review {
        outsideHours = List.copyOf(outsideHours);
        apps = List.copyOf(apps);
        heavyUsers = List.copyOf(heavyUsers);
        denialDays = List.copyOf(denialDays);
        denialReasons = List.copyOf(denialReasons);
        mfa = List.copyOf(mfa);
        quarantines = List.copyOf(quarantines);
        policyChanges = List.copyOf(policyChanges);
    }

    /**
     * The rules behind the flags: a user is flagged for an app above
     * max({@code volumeFactor} × the app's median user count, {@code volumeFloor}); a day above
     * max({@code spikeFactor} × the median daily denials, {@code spikeFloor}); the first
     * {@code examples} request ids are kept as examples.
     */
    public record Rules(int volumeFactor, long volumeFloor, int spikeFactor, long spikeFloor, int examples) {
        public static final Rules DEFAULT = new Rules(3, 100, 3, 10, 3);

        public double volumeThreshold(double median) {
            return Math.max(volumeFactor * median, volumeFloor);
        }

        public double spikeThreshold(double median) {
            return Math.max(spikeFactor * median, spikeFloor);
        }
    }

    /** Requests in the period; denied counts {@code deny} and {@code unauthenticated}. */
    public record Totals(long requests, long allowed, long denied, long stepUp, long outsideHours,
                         long outsideHoursAllowed) {
    }

    /** One user's requests to one app outside business hours, with the first few request ids. */
    public record OutsideHours(String user, String app, long requests, long allowed, List<String> examples) {
        public OutsideHours {
            examples = List.copyOf(examples);
        }
    }

    /** One app: how many users, how many requests, its median user's count, and the count above which a user is flagged. */
    public record AppVolume(String app, int users, long requests, double medianPerUser, double threshold) {
    }

    /** A user whose requests to an app passed the app's threshold. */
    public record UserVolume(String user, String app, long requests, double appMedian, double threshold) {
    }

    /** One day's requests and denials; a spike when its denials pass {@code threshold}. */
    public record DenialDay(LocalDate day, long requests, long denied, long unauthenticated, double threshold) {
        public long denials() {
            return denied + unauthenticated;
        }

        public boolean spike() {
            return denials() > threshold;
        }
    }

    /** Denials that carried one reason code. */
    public record ReasonCount(String reason, long count) {
    }

    /** Requests to one app with one decision that carried one reason (null: none recorded). */
    public record MfaCount(String app, String decision, String reason, long count) {
    }

    /** An operator's action (the target is a device, a user, or a policy version). */
    public record AdminAction(OffsetDateTime time, String id, String operator, String source, String action,
                              String targetKind, String target, String reason) {
    }

    /** A torn last record cut at a start after a crash. */
    public record Recovery(OffsetDateTime time, long seq, String segment, long cutBytes, String reason) {
    }

    /** Segments deleted for retention, through sequence number {@code throughSeq}. */
    public record Purge(OffsetDateTime time, long seq, List<String> segments, long throughSeq, long retentionDays) {
        public Purge {
            segments = List.copyOf(segments);
        }
    }

    /**
     * The trail in the period.
     *
     * @param linesRead  every line read, whatever its time
     * @param unreadable lines that were not a record (a torn line, or damage: {@code audit verify} says which)
     * @param incomplete requests with a decision but no access record (the process stopped during them)
     */
    public record Health(List<Recovery> recoveries, List<Purge> purges, long linesRead, long unreadable,
                         long incomplete) {
        public Health {
            recoveries = List.copyOf(recoveries);
            purges = List.copyOf(purges);
        }
    }
}
