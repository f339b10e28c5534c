package jp.sekisho.posture;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an app demands of the device a request comes from. Every field left at its default
 * demands nothing; {@link #NONE} demands nothing at all.
 *
 * @param certificateRequired a device certificate from the device CA must be presented
 * @param managed             the device must be managed
 * @param compliant           the management system must call it compliant
 * @param edrRunning          an EDR agent must be running
 * @param edrMaxRisk          the EDR's risk verdict must be at most this
 * @param diskEncrypted       the system disk must be encrypted
 * @param screenLock          a screen lock must be enforced
 * @param minOsVersion        per platform, the lowest version allowed; a platform not listed is refused
 *                            when the map is not empty
 * @param maxPatchAgeDays     the newest security update must be at most this many days old
 * @param maxObservationAge   each source must have seen the device within this long
 */
public record PostureRequirement(boolean certificateRequired, boolean managed, boolean compliant, boolean edrRunning,
                                 Optional<DeviceFacts.Risk> edrMaxRisk, boolean diskEncrypted, boolean screenLock,
                                 Map<String, OsVersion> minOsVersion, Optional<Integer> maxPatchAgeDays,
                                 Optional<Duration> maxObservationAge) {

    public static final PostureRequirement NONE = new PostureRequirement(false, false, false, false,
            Optional.empty(), false, false, Map.of(), Optional.empty(), Optional.empty());

    public PostureRequirement {
        Objects.requireNonNull(edrMaxRisk, "edrMaxRisk");
        minOsVersion = Map.copyOf(minOsVersion);
        Objects.requireNonNull(maxPatchAgeDays, "maxPatchAgeDays");
        Objects.requireNonNull(maxObservationAge, "maxObservationAge");
    }

    /** True when any fact from a posture token is needed. */
    public boolean needsFacts() {
        return managed || compliant || edrRunning || edrMaxRisk.isPresent() || diskEncrypted || screenLock
                || !minOsVersion.isEmpty() || maxPatchAgeDays.isPresent() || maxObservationAge.isPresent();
    }

    /** True when this requirement demands anything of the device. */
    public boolean demandsAnything() {
        return certificateRequired || needsFacts();
    }
}
