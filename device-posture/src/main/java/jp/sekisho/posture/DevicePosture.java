package jp.sekisho.posture;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the proxy knows about the device one request came from, gathered before the decision.
 *
 * <p>Until a request presents evidence (a signed posture token or a device certificate) the
 * device is {@link #unknown()}: nothing about it may be taken on trust, so every posture
 * requirement treats an unknown device as failing.
 *
 * @param deviceId     the device's id from its evidence, empty when none was presented
 * @param evidence     what the facts were learned from (a certificate, a token, or both)
 * @param facts        the facts of a valid posture token, empty without one
 * @param tokenProblem why a posture token that was presented was refused, if it was
 */
public record DevicePosture(Optional<String> deviceId, Set<Evidence> evidence, Optional<DeviceFacts> facts,
                            Optional<PostureFailure> tokenProblem) {

    private static final DevicePosture UNKNOWN =
            new DevicePosture(Optional.empty(), Set.of(), Optional.empty(), Optional.empty());

    /** Where the posture facts came from. */
    public enum Evidence {
        /** A short-lived posture token signed by a posture service the municipality trusts. */
        POSTURE_TOKEN,
        /** A device certificate from the municipality's device CA, presented over mutual TLS. */
        DEVICE_CERTIFICATE
    }

    public DevicePosture {
        Objects.requireNonNull(deviceId, "deviceId");
        evidence = evidence.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(evidence));
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(tokenProblem, "tokenProblem");
        if (evidence.isEmpty() && deviceId.isPresent()) {
            throw new IllegalArgumentException("a device id needs evidence");
        }
        if (facts.isPresent() != evidence.contains(Evidence.POSTURE_TOKEN)) {
            throw new IllegalArgumentException("facts come from a posture token, and only from one");
        }
    }

    /** The posture of a request that presented no device evidence. */
    public static DevicePosture unknown() {
        return UNKNOWN;
    }

    /** A device identified by its certificate alone. */
    public static DevicePosture certificate(String deviceId) {
        return new DevicePosture(Optional.of(deviceId), Set.of(Evidence.DEVICE_CERTIFICATE), Optional.empty(),
                Optional.empty());
    }

    /** A device described by a valid posture token, with or without a certificate. */
    public static DevicePosture token(DeviceFacts facts, boolean certificate) {
        Set<Evidence> evidence = certificate ? EnumSet.allOf(Evidence.class) : Set.of(Evidence.POSTURE_TOKEN);
        return new DevicePosture(Optional.of(facts.deviceId()), evidence, Optional.of(facts), Optional.empty());
    }

    /** This posture, noting that a posture token was presented and refused. */
    public DevicePosture withTokenProblem(PostureFailure problem) {
        return new DevicePosture(deviceId, evidence, Optional.empty(), Optional.of(problem));
    }

    /** True when the request presented evidence that identified its device. */
    public boolean isKnown() {
        return !evidence.isEmpty();
    }

    public boolean hasCertificate() {
        return evidence.contains(Evidence.DEVICE_CERTIFICATE);
    }
}
