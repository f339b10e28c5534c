package jp.sekisho.posture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges a device's posture against an app's requirement. Pure and allocation-light: the
 * common case (nothing required, or everything met) returns the shared empty list.
 *
 * <p>Every unmet check is reported, not just the first, so the user and the audit see all
 * that must be fixed.
 */
public final class PostureCheck {

    private PostureCheck() {
    }

    public static List<PostureFailure> failures(DevicePosture posture, PostureRequirement requirement, Instant now) {
        if (!requirement.demandsAnything()) {
            return List.of();
        }
        List<PostureFailure> failures = new ArrayList<>(2);
        if (requirement.certificateRequired() && !posture.hasCertificate()) {
            failures.add(PostureFailure.DEVICE_CERTIFICATE_REQUIRED);
        }
        if (!requirement.needsFacts()) {
            return failures;
        }
        if (posture.facts().isEmpty()) {
            // Say why there are no facts: a refused token is more useful to hear than "missing".
            failures.add(posture.tokenProblem().orElse(posture.isKnown()
                    ? PostureFailure.DEVICE_POSTURE_MISSING : PostureFailure.DEVICE_UNKNOWN));
            return failures;
        }
        DeviceFacts facts = posture.facts().get();
        if (requirement.managed() && !facts.managed().orElse(false)) {
            failures.add(PostureFailure.DEVICE_NOT_MANAGED);
        }
        if (requirement.compliant() && facts.compliance() != DeviceFacts.Compliance.COMPLIANT) {
            failures.add(PostureFailure.DEVICE_NOT_COMPLIANT);
        }
        checkEdr(facts, requirement, failures);
        if (requirement.diskEncrypted() && !facts.diskEncrypted().orElse(false)) {
            failures.add(PostureFailure.DEVICE_DISK_NOT_ENCRYPTED);
        }
        if (requirement.screenLock() && !facts.screenLock().orElse(false)) {
            failures.add(PostureFailure.DEVICE_SCREEN_LOCK_OFF);
        }
        checkOs(facts, requirement, failures);
        if (requirement.maxObservationAge().isPresent() && isStale(facts, requirement.maxObservationAge().get(), now)) {
            failures.add(PostureFailure.DEVICE_POSTURE_STALE);
        }
        return failures;
    }

    private static void checkEdr(DeviceFacts facts, PostureRequirement requirement, List<PostureFailure> failures) {
        if (requirement.edrRunning() && !facts.edr().map(DeviceFacts.Edr::running).orElse(false)) {
            failures.add(PostureFailure.DEVICE_EDR_NOT_RUNNING);
        }
        if (requirement.edrMaxRisk().isPresent()) {
            DeviceFacts.Risk risk = facts.edr().map(DeviceFacts.Edr::risk).orElse(DeviceFacts.Risk.UNKNOWN);
            if (!risk.atMost(requirement.edrMaxRisk().get())) {
                failures.add(PostureFailure.DEVICE_EDR_RISK_TOO_HIGH);
            }
        }
    }

    private static void checkOs(DeviceFacts facts, PostureRequirement requirement, List<PostureFailure> failures) {
        Map<String, OsVersion> minimums = requirement.minOsVersion();
        if (!minimums.isEmpty()) {
            OsVersion minimum = facts.os().map(os -> minimums.get(os.platform())).orElse(null);
            if (minimum == null || facts.os().get().version().compareTo(minimum) < 0) {
                failures.add(PostureFailure.DEVICE_OS_TOO_OLD);
            }
        }
        if (requirement.maxPatchAgeDays().isPresent()) {
            int limit = requirement.maxPatchAgeDays().get();
            Integer age = facts.os().flatMap(DeviceFacts.OperatingSystem::patchAgeDays).orElse(null);
            if (age == null || age > limit) {
                failures.add(PostureFailure.DEVICE_PATCH_TOO_OLD);
            }
        }
    }

    /** Stale when no source reported, or any source's observation is older than the limit. */
    static boolean isStale(DeviceFacts facts, Duration maxAge, Instant now) {
        if (facts.observedAt().isEmpty()) {
            return true;
        }
        Instant oldestAllowed = now.minus(maxAge);
        for (Instant observed : facts.observedAt().values()) {
            if (observed.isBefore(oldestAllowed)) {
                return true;
            }
        }
        return false;
    }
}
