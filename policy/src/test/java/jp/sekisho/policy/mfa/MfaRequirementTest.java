package jp.sekisho.policy.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strength and freshness, with the time given, never read from a clock. */
class MfaRequirementTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    /** 顔認証 within 15 minutes, or OTP within 5 (the resident-records app). */
    private static final MfaRequirement RECORDS = new MfaRequirement(Set.of("face", "otp"), 0,
            Optional.of(Duration.ofMinutes(15)), Map.of("otp", Duration.ofMinutes(5)), Optional.empty());
    /** Two factor classes within 8 hours (groupware). */
    private static final MfaRequirement GROUPWARE = new MfaRequirement(Set.of(), 2,
            Optional.of(Duration.ofHours(8)), Map.of(), Optional.empty());

    private static Identity identity(String methods, Long minutesAgo) {
        Set<String> set = methods.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(methods.split(" ")));
        return new Identity("https://idp", "s", "u", Set.of(), List.copyOf(set), set, Optional.empty(),
                minutesAgo == null ? Optional.empty() : Optional.of(NOW.minus(Duration.ofMinutes(minutesAgo))),
                NOW.plusSeconds(600));
    }

    @ParameterizedTest(name = "{index}: records, methods=[{0}] {1} min ago -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            face      | 1   | ok
            face      | 15  | ok
            face      | 16  | mfa-too-old
            otp       | 5   | ok
            otp       | 6   | mfa-too-old
            face otp  | 10  | ok
            pwd otp   | 4   | ok
            pwd       | 1   | mfa-method-missing
            mfa       | 1   | mfa-method-missing
            ''        | 1   | mfa-method-missing
            face      | -   | mfa-auth-time-missing
            otp       | -   | mfa-auth-time-missing
            """)
    void faceWithinFifteenMinutesOrOtpWithinFive(String methods, Long minutesAgo, String expected) {
        Optional<Reason> shortfall = RECORDS.shortfall(identity(methods, minutesAgo), NOW);
        assertEquals(expected, shortfall.map(Reason::code).orElse("ok"));
    }

    @ParameterizedTest(name = "{index}: groupware, methods=[{0}] {1} min ago -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            pwd otp   | 60  | ok
            pwd face  | 479 | ok
            pwd otp   | 481 | mfa-too-old
            mfa       | 10  | ok
            pwd       | 10  | mfa-factors-insufficient
            otp sms   | 10  | mfa-factors-insufficient
            pwd otp   | -   | mfa-auth-time-missing
            """)
    void twoFactorClassesWithinEightHours(String methods, Long minutesAgo, String expected) {
        Optional<Reason> shortfall = GROUPWARE.shortfall(identity(methods, minutesAgo), NOW);
        assertEquals(expected, shortfall.map(Reason::code).orElse("ok"));
    }

    @ParameterizedTest
    @CsvSource({"pwd", "''"})
    void noRequirementAcceptsAnyAuthentication(String methods) {
        assertEquals(Optional.empty(), MfaRequirement.NONE.shortfall(identity(methods, null), NOW));
    }
}
