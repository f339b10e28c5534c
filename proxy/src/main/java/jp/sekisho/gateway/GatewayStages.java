package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.posture.DevicePosture;

/**
 * The stages a request passes between being read and being forwarded. Each may throw, fail or
 * never answer; {@link GatewayHandler} turns every one of those into a refusal with a reason
 * and an audit record, and nothing reaches the upstream. Being interfaces, they are also the
 * seams where tests put such failures.
 */
public record GatewayStages(Authenticator authenticator, DeviceLookup devices, Decider decider,
                            AssertionSource assertions, UpstreamOpener upstreams) {

    /** Who sent the request, from its {@code Authorization} header (null when absent). */
    @FunctionalInterface
    public interface Authenticator {
        Future<Authentication> authenticate(String authorization);
    }

    /** What the request proves about its device. */
    @FunctionalInterface
    public interface DeviceLookup {
        Future<DevicePosture> of(HttpServerRequest request);
    }

    /** The policy's verdict; {@link PolicyEngine#decide} in production. */
    @FunctionalInterface
    public interface Decider {
        Decision decide(RequestFacts facts, PolicySnapshot snapshot, Instant now);
    }

    /** The signed identity assertion the upstream receives. */
    @FunctionalInterface
    public interface AssertionSource {
        Future<String> assertionFor(Identity identity, String appId, String requestId);
    }

    /** A request to the app's upstream, for the canonical path. */
    @FunctionalInterface
    public interface UpstreamOpener {
        Future<HttpClientRequest> open(App app, HttpMethod method, String pathAndQuery);
    }

    /** This stages record with one stage replaced; for tests that inject failures. */
    public GatewayStages withAuthenticator(Authenticator replacement) {
        return new GatewayStages(replacement, devices, decider, assertions, upstreams);
    }

    public GatewayStages withDevices(DeviceLookup replacement) {
        return new GatewayStages(authenticator, replacement, decider, assertions, upstreams);
    }

    public GatewayStages withDecider(Decider replacement) {
        return new GatewayStages(authenticator, devices, replacement, assertions, upstreams);
    }

    public GatewayStages withAssertions(AssertionSource replacement) {
        return new GatewayStages(authenticator, devices, decider, replacement, upstreams);
    }

    public GatewayStages withUpstreams(UpstreamOpener replacement) {
        return new GatewayStages(authenticator, devices, decider, assertions, replacement);
    }
}
