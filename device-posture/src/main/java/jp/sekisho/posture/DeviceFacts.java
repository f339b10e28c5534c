package jp.sekisho.posture;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a posture service the municipality trusts says about one device: the facts a device
 * record holds and a device posture token carries. Unknown facts are empty, never guessed: a
 * requirement on an unknown fact fails.
 *
 * @param deviceId      the device's id (the token's {@code sub})
 * @param managed       enrolled in the municipality's device management
 * @param compliance    the management system's compliance verdict
 * @param edr           the endpoint detection and response agent, when one reported
 * @param diskEncrypted the system disk is encrypted
 * @param screenLock    a screen lock with a timeout is enforced
 * @param os            operating system, version and patch age
 * @param observedAt    for each source (e.g. {@code mdm}, {@code edr}) when it last saw the device
 */
public record DeviceFacts(String deviceId, Optional<Boolean> managed, Compliance compliance, Optional<Edr> edr,
                          Optional<Boolean> diskEncrypted, Optional<Boolean> screenLock,
                          Optional<OperatingSystem> os, Map<String, Instant> observedAt) {

    public DeviceFacts {
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("a device id must not be blank");
        }
        Objects.requireNonNull(managed, "managed");
        Objects.requireNonNull(compliance, "compliance");
        Objects.requireNonNull(edr, "edr");
        Objects.requireNonNull(diskEncrypted, "diskEncrypted");
        Objects.requireNonNull(screenLock, "screenLock");
        Objects.requireNonNull(os, "os");
        observedAt = Map.copyOf(observedAt);
    }

    /** A device nothing is known about except its id. */
    public static DeviceFacts unknown(String deviceId) {
        return new DeviceFacts(deviceId, Optional.empty(), Compliance.UNKNOWN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
    }

    /** The oldest observation among the sources, empty when no source reported. */
    public Optional<Instant> oldestObservation() {
        return observedAt.values().stream().min(Instant::compareTo);
    }

    /** The observations in a stable order, for records and tokens. */
    public Map<String, Instant> observedAtSorted() {
        return new TreeMap<>(observedAt);
    }

    /** The management system's compliance verdict. */
    public enum Compliance {
        COMPLIANT("compliant"),
        NONCOMPLIANT("noncompliant"),
        /** Non-compliant, but within the grace period the management system allows. */
        IN_GRACE_PERIOD("in-grace-period"),
        UNKNOWN("unknown");

        private final String code;

        Compliance(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Compliance> fromCode(String code) {
            for (Compliance c : values()) {
                if (c.code.equals(code)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The EDR agent.
     *
     * @param vendor  product name, for people
     * @param running the agent is installed, running and reporting
     * @param risk    the agent's current risk verdict for the device
     */
    public record Edr(String vendor, boolean running, Risk risk) {
        public Edr {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(risk, "risk");
        }
    }

    /** An EDR risk verdict, ordered from none to high; {@link #UNKNOWN} exceeds every limit. */
    public enum Risk {
        NONE("none"), INFORMATIONAL("informational"), LOW("low"), MEDIUM("medium"), HIGH("high"),
        UNKNOWN("unknown");

        private final String code;

        Risk(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** True when this risk is at most {@code limit}; an unknown risk never is. */
        public boolean atMost(Risk limit) {
            return this != UNKNOWN && limit != UNKNOWN && ordinal() <= limit.ordinal();
        }

        public static Optional<Risk> fromCode(String code) {
            for (Risk r : values()) {
                if (r.code.equals(code)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The operating system.
     *
     * @param platform       {@code windows}, {@code macos}, {@code ios}, {@code android}, {@code linux} or
     *                       {@code chromeos}
     * @param version        the dotted version, e.g. {@code 10.0.22631.4460}
     * @param patchAgeDays   days since the newest security update installed, when known
     */
    public record OperatingSystem(String platform, OsVersion version, Optional<Integer> patchAgeDays) {
        public OperatingSystem {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(patchAgeDays, "patchAgeDays");
        }
    }
}
