package jp.sekisho.policy;

import java.util.Objects;
import jp.sekisho.posture.DevicePosture;

/**
 * Everything the pipeline gathered about one request before the decision: no I/O is left
 * to do once these exist.
 *
 * @param app            the app the request was routed to
 * @param authentication the verified identity, or why there is none
 * @param device         the device's posture
 * @param method         the HTTP method
 * @param path           the canonical (normalised) path
 */
public record RequestFacts(App app, Authentication authentication, DevicePosture device, String method,
                           String path) {

    public RequestFacts {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }
}
