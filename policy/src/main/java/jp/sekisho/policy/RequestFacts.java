package jp.sekisho.policy;

import java.util.Objects;
import java.util.Optional;
import jp.sekisho.posture.DevicePosture;

/**
 * Everything the pipeline gathered about one request before the decision: no I/O is left
 * to do once these exist.
 *
 * @param app            the app the request was routed to
 * @param authentication the verified identity, or why there is none
 * @param device         the device's posture
 * @param method         the HTTP method
 * @param path           the canonical path in the form routes and rules match (compatibility-folded);
 *                       rules compare it without regard to case
 * @param quarantine     which operator holds apply to this request's device and user
 * @param corsPreflight  an {@code OPTIONS} request with {@code Origin} and
 *                       {@code Access-Control-Request-Method}, and no credentials or body
 * @param segment        the network segment the request came from; empty when in none
 * @param source         the address the request came from (behind a trusted proxy, the one it names)
 */
public record RequestFacts(App app, Authentication authentication, DevicePosture device, String method,
                           String path, Quarantine quarantine, boolean corsPreflight, Optional<String> segment,
                           Optional<String> source) {

    public RequestFacts(App app, Authentication authentication, DevicePosture device, String method, String path,
                        Quarantine quarantine, boolean corsPreflight, Optional<String> segment) {
        this(app, authentication, device, method, path, quarantine, corsPreflight, segment, Optional.empty());
    }

    public RequestFacts(App app, Authentication authentication, DevicePosture device, String method, String path,
                        Quarantine quarantine, boolean corsPreflight) {
        this(app, authentication, device, method, path, quarantine, corsPreflight, Optional.empty());
    }

    public RequestFacts {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(source, "source");
    }

    public RequestFacts(App app, Authentication authentication, DevicePosture device, String method, String path,
                        Quarantine quarantine) {
        this(app, authentication, device, method, path, quarantine, false);
    }

    public RequestFacts(App app, Authentication authentication, DevicePosture device, String method, String path) {
        this(app, authentication, device, method, path, Quarantine.NONE, false);
    }

    /**
     * The operator holds found for this request, looked up before the decision.
     *
     * @param device the request's device is quarantined
     * @param user   the request's user is quarantined
     */
    public record Quarantine(boolean device, boolean user) {
        public static final Quarantine NONE = new Quarantine(false, false);
    }
}
