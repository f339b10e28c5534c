package jp.sekisho.policy.lint;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.IsmapRegistration;

/**
 * Findings on the local-breakout allowlist (reported under the app name {@code breakout}, the
 * entry as the rule): ISMAP registrations about to lapse or lapsed, and tenant restrictions on
 * a login host that staff cannot reach directly.
 */
final class BreakoutLint {

    static final String APP = "breakout";

    /** How far ahead a lapsing ISMAP registration is reported. */
    static final int EXPIRY_NOTICE_DAYS = 60;

    private BreakoutLint() {
    }

    static void check(BreakoutPolicy policy, Instant now, List<Finding> findings) {
        LocalDate today = LocalDate.ofInstant(now, policy.zone());
        for (BreakoutEntry entry : policy.entries()) {
            entry.ismap().ifPresent(ismap -> ismap(policy, entry, ismap, now, today, findings));
        }
        for (String host : policy.tenantRestrictions().hosts()) {
            if (policy.match(new Destination(host, 443, false)).isEmpty()) {
                findings.add(new Finding("B003", Finding.Severity.INFO, APP, Optional.empty(), "tenant restrictions"
                        + " name " + host + ", which no allowlist entry lists: staff reach it only through a parent"
                        + " proxy, if at all; add it to an entry (port 443)"));
            }
        }
    }

    /** B001 (lapsing soon) and B002 (lapsed). */
    private static void ismap(BreakoutPolicy policy, BreakoutEntry entry, IsmapRegistration ismap, Instant now,
                              LocalDate today, List<Finding> findings) {
        Optional<String> rule = Optional.of(entry.id());
        if (ismap.expiredAt(now, policy.zone())) {
            if (policy.ismapMode() == BreakoutPolicy.IsmapMode.ENFORCE) {
                findings.add(new Finding("B002", Finding.Severity.ERROR, APP, rule, "ISMAP registration "
                        + ismap.id() + " expired on " + ismap.validUntil() + ": the entry refuses everyone; renew"
                        + " the registration's dates or remove the entry"));
            } else {
                findings.add(new Finding("B002", Finding.Severity.WARNING, APP, rule, "ISMAP registration "
                        + ismap.id() + " expired on " + ismap.validUntil() + ": still allowed because ismapExpired"
                        + " is warn"));
            }
            return;
        }
        long days = ChronoUnit.DAYS.between(today, ismap.validUntil());
        if (days <= EXPIRY_NOTICE_DAYS) {
            String when = days == 0 ? "today" : days == 1 ? "in 1 day" : "in " + days + " days";
            findings.add(new Finding("B001", Finding.Severity.WARNING, APP, rule, "ISMAP registration " + ismap.id()
                    + " expires on " + ismap.validUntil() + " (" + when + "): renew it or plan to remove the entry"));
        }
    }
}
