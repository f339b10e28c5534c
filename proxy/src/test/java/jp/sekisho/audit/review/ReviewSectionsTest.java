package jp.sekisho.audit.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each section of the review finds exactly what the known trail holds for it. */
class ReviewSectionsTest {

    @TempDir
    static Path root;

    static ReviewTrail trail;
    static Review office;
    static Review policy;

    @BeforeAll
    static void writeTrail() throws Exception {
        trail = ReviewTrail.write(root);
        office = trail.review(BusinessHours.officeHours());
        policy = trail.review(BusinessHours.fromConfig(trail.config(), Optional.empty()));
    }

    @Test
    void countsEveryRequestOfThePeriodOnceAndNoneBeforeIt() {
        Review.Totals totals = office.totals();
        assertEquals(1 + 3 + 500 + 25 + 1 + 1 + 30 + 3 + 3, totals.requests());
        assertEquals(34, totals.denied(), "20 unauthenticated, 10 + 3 by eve, 1 mfa-method-missing");
        assertEquals(2, totals.stepUp());
    }

    @Test
    void outsideOfficeHoursAreTheEarlyTheLateTheSaturdayAndTheHostileRequestNotTheWeekdayMorning() {
        Map<String, List<String>> examples = office.outsideHours().stream()
                .collect(Collectors.toMap(Review.OutsideHours::user, Review.OutsideHours::examples));
        assertEquals(Map.of("alice", List.of("early"), "bob", List.of("late"), "carol", List.of("saturday"),
                ReviewTrail.HOSTILE, List.of("hostile")), examples);
        assertEquals(4, office.totals().outsideHours());
        assertEquals(4, office.totals().outsideHoursAllowed());
        assertEquals(BusinessHours.Origin.DEFAULT, office.hours().origin());
    }

    @Test
    void withThePolicysHolidaysTheHolidayRequestIsOutsideBusinessHoursToo() {
        assertEquals(BusinessHours.Origin.POLICY, policy.hours().origin());
        List<String> ids = policy.outsideHours().stream().flatMap(o -> o.examples().stream()).sorted().toList();
        assertEquals(List.of("early", "holiday", "hostile", "late", "saturday"), ids);
        assertFalse(ids.contains("day"));
    }

    @Test
    void flagsOnlyTheUserWithFiveHundredRequestsAgainstTheAppsTypicalUser() {
        assertEquals(List.of(new Review.UserVolume("heavy", "juminhyo", 500, 6, 100)), office.heavyUsers());
        Review.AppVolume juminhyo = office.apps().stream().filter(a -> a.app().equals("juminhyo")).findFirst()
                .orElseThrow();
        assertEquals(7, juminhyo.users(), "alice bob dave eve frank heavy and the hostile name");
        assertEquals(6.0, juminhyo.medianPerUser());
    }

    @Test
    void flagsOnlyTheDayOfTheDenialSpike() {
        List<Review.DenialDay> spikes = office.denialDays().stream().filter(Review.DenialDay::spike).toList();
        assertEquals(1, spikes.size());
        Review.DenialDay spike = spikes.get(0);
        assertEquals(LocalDate.of(2026, 11, 9), spike.day());
        assertEquals(10, spike.denied());
        assertEquals(20, spike.unauthenticated());
        assertEquals(10.0, spike.threshold(), "median 0 over the days with requests: the floor of 10 applies");
        assertEquals(new Review.ReasonCount("user-not-allowed", 33), office.denialReasons().get(0));
        assertTrue(office.denialReasons().contains(new Review.ReasonCount("mfa-method-missing", 1)));
    }

    @Test
    void countsStepUpsAndMfaFailuresByAppAndReason() {
        assertEquals(List.of(new Review.MfaCount("juminhyo", "deny", "mfa-method-missing", 1),
                new Review.MfaCount("zeimu", "step-up", "mfa-too-old", 2)), office.mfa());
    }

    @Test
    void listsQuarantinesAndPolicyChangesWithTheirOperators() {
        assertEquals(List.of("quarantine dev-9 soc-tanaka EDR alert", "release dev-9 soc-tanaka reimaged"),
                office.quarantines().stream().map(a -> a.action() + " " + a.target() + " " + a.operator() + " "
                        + a.reason()).toList());
        assertEquals(List.of("policy-apply v43 v42", "policy-refuse v43 /apps/0/upstream: not a URL"),
                office.policyChanges().stream().map(a -> a.action() + " " + a.target() + " " + a.reason()).toList());
        assertEquals("file sekisho.yaml", office.policyChanges().get(0).operator());
    }

    @Test
    void reportsTheCutOfATornRecordAfterACrash() {
        Review.Health health = office.health();
        assertEquals(1, health.recoveries().size());
        Review.Recovery recovery = health.recoveries().get(0);
        assertEquals("torn-record", recovery.reason());
        assertEquals("{\"seq\":99999,\"prev\":\"00".length(), recovery.cutBytes());
        assertEquals(ReviewTrail.jst("2026-11-20T12:00"), recovery.time().toInstant());
        assertEquals(0, health.unreadable());
        assertEquals(0, health.incomplete());
        assertTrue(health.purges().isEmpty());
    }

    @Test
    void aConfigurationWithoutABusinessHoursWindowKeepsOfficeHoursWithItsHolidays() throws Exception {
        Path config = java.nio.file.Files.writeString(root.resolve("no-window.yaml"),
                "holidays: [2026-11-03]\n");
        BusinessHours hours = BusinessHours.fromConfig(config, Optional.empty());
        assertEquals(BusinessHours.Origin.DEFAULT_WITH_POLICY_CALENDAR, hours.origin());
        assertFalse(hours.contains(ReviewTrail.jst("2026-11-03T10:00")), "a holiday");
        assertTrue(hours.contains(ReviewTrail.jst("2026-11-04T18:00")), "office hours run to 18:15");
    }
}
