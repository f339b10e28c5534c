package jp.sekisho.policy.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.posture.DevicePosture;

/**
 * A request described by an administrator rather than read off the wire: where it goes, who
 * sends it, from where, when, and from what device.
 *
 * @param host        the host it is sent to
 * @param path        its canonical path
 * @param method      its method
 * @param user        the username, or empty for a request without sign-in
 * @param groups      the user's groups
 * @param methods     the authentication methods the user proved (RFC 8176 names: face, otp, pwd, …)
 * @param authAge     how long ago the user authenticated, when known
 * @param from        the source address (an IP literal); its segment follows from the policy
 * @param at          when it is sent
 * @param device      what the request proves about its device
 * @param claims      further claims of the user that rules may name (such as a department)
 */
public record SimulatedRequest(String host, String path, String method, Optional<String> user, Set<String> groups,
                               List<String> methods, Optional<Duration> authAge, Optional<String> from, Instant at,
                               DevicePosture device, Map<String, List<String>> claims) {

    public SimulatedRequest(String host, String path, String method, Optional<String> user, Set<String> groups,
                            List<String> methods, Optional<Duration> authAge, Optional<String> from, Instant at,
                            DevicePosture device) {
        this(host, path, method, user, groups, methods, authAge, from, at, device, Map.of());
    }

    public SimulatedRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(method, "method");
        groups = Set.copyOf(groups);
        methods = List.copyOf(methods);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(device, "device");
        claims = Map.copyOf(claims);
    }
}
