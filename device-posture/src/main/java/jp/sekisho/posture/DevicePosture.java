package jp.sekisho.posture;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the proxy knows about the device a request came from, as one immutable fact.
 *
 * <p>Until a request presents evidence (a signed posture token or a device certificate) the
 * device is {@link #unknown()}: nothing about it may be taken on trust, so every posture
 * requirement treats an unknown device as failing.
 *
 * @param deviceId    the device's identity from its evidence, empty when none was presented
 * @param evidence    what the facts were learned from
 * @param observedAt  when the evidence was produced, empty when there is none
 */
public record DevicePosture(Optional<String> deviceId, Evidence evidence, Optional<Instant> observedAt) {

    private static final DevicePosture UNKNOWN =
            new DevicePosture(Optional.empty(), Evidence.NONE, Optional.empty());

    /** Where the posture facts came from. */
    public enum Evidence {
        /** No evidence was presented. */
        NONE,
        /** A short-lived posture token signed by a posture service the municipality trusts. */
        POSTURE_TOKEN,
        /** A device certificate presented over mutual TLS. */
        DEVICE_CERTIFICATE
    }

    public DevicePosture {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(observedAt, "observedAt");
        if (evidence == Evidence.NONE && deviceId.isPresent()) {
            throw new IllegalArgumentException("a device id needs evidence");
        }
    }

    /** The posture of a request that presented no device evidence. */
    public static DevicePosture unknown() {
        return UNKNOWN;
    }

    /** True when the request presented evidence that identified its device. */
    public boolean isKnown() {
        return evidence != Evidence.NONE;
    }
}
