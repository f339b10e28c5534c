package jp.sekisho.policy.breakout;

import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.posture.DevicePosture;

/**
 * Everything the forward proxy gathered about one tunnel or request before the decision.
 *
 * @param destination    where the client asked to go
 * @param authentication the verified identity, or why there is none
 * @param device         the device's posture
 * @param quarantine     the operator holds on this device and user
 * @param segment        the network segment the client is in
 * @param source         the client's address
 */
public record BreakoutRequest(Destination destination, Authentication authentication, DevicePosture device,
                              RequestFacts.Quarantine quarantine, Optional<String> segment, Optional<String> source) {

    public BreakoutRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(source, "source");
    }
}
