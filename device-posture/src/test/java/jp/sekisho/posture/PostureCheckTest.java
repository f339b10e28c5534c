package jp.sekisho.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostureCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    /** A healthy LGWAN terminal: every requirement below is met by it. */
    private static DeviceFacts healthy() {
        return new DeviceFacts("LG-PC-0001", Optional.of(true), DeviceFacts.Compliance.COMPLIANT,
                Optional.of(new DeviceFacts.Edr("Defender", true, DeviceFacts.Risk.LOW)), Optional.of(true),
                Optional.of(true), Optional.of(new DeviceFacts.OperatingSystem("windows",
                        OsVersion.parse("10.0.22631.4460").orElseThrow(), Optional.of(10))),
                Map.of("mdm", NOW.minusSeconds(3600), "edr", NOW.minusSeconds(60)));
    }

    private static PostureRequirement everything() {
        return new PostureRequirement(false, true, true, true, Optional.of(DeviceFacts.Risk.LOW), true, true,
                Map.of("windows", OsVersion.parse("10.0.19045").orElseThrow()), Optional.of(30),
                Optional.of(Duration.ofHours(24)));
    }

    private static List<String> codes(DevicePosture posture, PostureRequirement requirement) {
        return PostureCheck.failures(posture, requirement, NOW).stream().map(PostureFailure::code).toList();
    }

    @Test
    void aHealthyDeviceMeetsEveryRequirement() {
        assertEquals(List.of(), codes(DevicePosture.token(healthy(), true), everything()));
    }

    @Test
    void nothingRequiredAcceptsEvenAnUnknownDevice() {
        assertEquals(List.of(), codes(DevicePosture.unknown(), PostureRequirement.NONE));
    }

    /** One fact changed from healthy, one failure expected: each check is independent. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            not-managed         | device-not-managed
            managed-unknown     | device-not-managed
            noncompliant        | device-not-compliant
            in-grace-period     | device-not-compliant
            edr-stopped         | device-edr-not-running
            no-edr              | device-edr-not-running;device-edr-risk-too-high
            edr-risk-medium     | device-edr-risk-too-high
            edr-risk-unknown    | device-edr-risk-too-high
            disk-plain          | device-disk-not-encrypted
            disk-unknown        | device-disk-not-encrypted
            screen-lock-off     | device-screen-lock-off
            windows-too-old     | device-os-too-old
            windows-10-10-ok    | -
            platform-not-listed | device-os-too-old
            no-os               | device-os-too-old;device-patch-too-old
            patch-31-days       | device-patch-too-old
            patch-30-days       | -
            patch-unknown       | device-patch-too-old
            mdm-25h-old         | device-posture-stale
            no-observations     | device-posture-stale
            """)
    void eachRequirementFailsWithItsOwnCode(String change, String expected) {
        DeviceFacts h = healthy();
        DeviceFacts f = switch (change) {
            case "not-managed" -> with(h, Optional.of(false), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "managed-unknown" -> with(h, Optional.empty(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "noncompliant" -> with(h, h.managed(), DeviceFacts.Compliance.NONCOMPLIANT, h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "in-grace-period" -> with(h, h.managed(), DeviceFacts.Compliance.IN_GRACE_PERIOD, h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "edr-stopped" -> with(h, h.managed(), h.compliance(), edr(false, DeviceFacts.Risk.LOW), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "no-edr" -> with(h, h.managed(), h.compliance(), Optional.empty(), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "edr-risk-medium" -> with(h, h.managed(), h.compliance(), edr(true, DeviceFacts.Risk.MEDIUM), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "edr-risk-unknown" -> with(h, h.managed(), h.compliance(), edr(true, DeviceFacts.Risk.UNKNOWN), h.diskEncrypted(), h.screenLock(), h.os(), h.observedAt());
            case "disk-plain" -> with(h, h.managed(), h.compliance(), h.edr(), Optional.of(false), h.screenLock(), h.os(), h.observedAt());
            case "disk-unknown" -> with(h, h.managed(), h.compliance(), h.edr(), Optional.empty(), h.screenLock(), h.os(), h.observedAt());
            case "screen-lock-off" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), Optional.of(false), h.os(), h.observedAt());
            case "windows-too-old" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("windows", "10.0.19044.5000", 10), h.observedAt());
            case "windows-10-10-ok" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("windows", "10.10", 10), h.observedAt());
            case "platform-not-listed" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("linux", "99", 10), h.observedAt());
            case "no-os" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), Optional.empty(), h.observedAt());
            case "patch-31-days" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("windows", "10.0.22631", 31), h.observedAt());
            case "patch-30-days" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("windows", "10.0.22631", 30), h.observedAt());
            case "patch-unknown" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), os("windows", "10.0.22631", -1), h.observedAt());
            case "mdm-25h-old" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), Map.of("mdm", NOW.minus(Duration.ofHours(25)), "edr", NOW));
            case "no-observations" -> with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), h.os(), Map.of());
            default -> throw new IllegalArgumentException(change);
        };
        List<String> want = expected == null || expected.equals("-") ? List.of() : List.of(expected.split(";"));
        assertEquals(want, codes(DevicePosture.token(f, false), everything()));
    }

    @Test
    void observationExactlyAtTheLimitIsStillFresh() {
        DeviceFacts h = healthy();
        DeviceFacts atLimit = with(h, h.managed(), h.compliance(), h.edr(), h.diskEncrypted(), h.screenLock(), h.os(),
                Map.of("mdm", NOW.minus(Duration.ofHours(24))));
        assertEquals(List.of(), codes(DevicePosture.token(atLimit, false), everything()));
    }

    @Test
    void withoutAValidTokenTheCheckSaysWhyThereAreNoFacts() {
        assertEquals(List.of("device-unknown"), codes(DevicePosture.unknown(), everything()));
        assertEquals(List.of("device-posture-missing"), codes(DevicePosture.certificate("LG-PC-0001"), everything()));
        assertEquals(List.of("device-token-expired"), codes(DevicePosture.certificate("LG-PC-0001")
                .withTokenProblem(PostureFailure.DEVICE_TOKEN_EXPIRED), everything()));
    }

    @Test
    void certificateRequirementIsCheckedOnItsOwnAndWithFacts() {
        PostureRequirement certificateOnly = new PostureRequirement(true, false, false, false, Optional.empty(),
                false, false, Map.of(), Optional.empty(), Optional.empty());
        assertEquals(List.of(), codes(DevicePosture.certificate("LG-PC-0001"), certificateOnly));
        assertEquals(List.of("device-certificate-required"), codes(DevicePosture.token(healthy(), false),
                certificateOnly));
        assertEquals(List.of("device-certificate-required", "device-unknown"), codes(DevicePosture.unknown(),
                new PostureRequirement(true, true, false, false, Optional.empty(), false, false, Map.of(),
                        Optional.empty(), Optional.empty())));
    }

    private static Optional<DeviceFacts.Edr> edr(boolean running, DeviceFacts.Risk risk) {
        return Optional.of(new DeviceFacts.Edr("Defender", running, risk));
    }

    private static Optional<DeviceFacts.OperatingSystem> os(String platform, String version, int patchAge) {
        return Optional.of(new DeviceFacts.OperatingSystem(platform, OsVersion.parse(version).orElseThrow(),
                patchAge < 0 ? Optional.empty() : Optional.of(patchAge)));
    }

    private static DeviceFacts with(DeviceFacts h, Optional<Boolean> managed, DeviceFacts.Compliance compliance,
                                    Optional<DeviceFacts.Edr> edr, Optional<Boolean> disk, Optional<Boolean> lock,
                                    Optional<DeviceFacts.OperatingSystem> os, Map<String, Instant> observed) {
        return new DeviceFacts(h.deviceId(), managed, compliance, edr, disk, lock, os, observed);
    }
}
