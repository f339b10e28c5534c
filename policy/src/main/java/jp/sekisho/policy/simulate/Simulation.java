package jp.sekisho.policy.simulate;

import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;

/**
 * Answers "what would happen to this request, and which rule decided": the same routing and
 * the same {@link PolicyEngine#decide} the proxy runs, on facts an administrator describes.
 * Pure; nothing is sent anywhere.
 */
public final class Simulation {

    /** Where the request went and what was decided; {@code app} empty when no app serves it. */
    public record Result(Optional<String> app, Optional<String> segment, Decision decision) {
    }

    /** The issuer simulated identities come from; apps that accept only named issuers are told apart. */
    public static final String ISSUER = "sekisho-simulation";

    private Simulation() {
    }

    public static Result run(PolicySnapshot policy, SimulatedRequest request) {
        Optional<String> segment = request.from().flatMap(address -> policy.segments().of(address));
        Optional<App> app = policy.route(request.host().toLowerCase(java.util.Locale.ROOT), request.path());
        if (app.isEmpty()) {
            return new Result(Optional.empty(), segment, Decision.deny(Reason.APP_UNKNOWN, policy.version()));
        }
        Authentication authentication = request.user()
                .<Authentication>map(user -> Authentication.of(identity(request, user, app.get())))
                .orElse(Authentication.failed(Reason.TOKEN_MISSING));
        RequestFacts facts = new RequestFacts(app.get(), authentication, request.device(), request.method(),
                request.path(), RequestFacts.Quarantine.NONE, false, segment, request.from());
        return new Result(Optional.of(app.get().id()), segment, PolicyEngine.decide(facts, policy, request.at()));
    }

    private static Identity identity(SimulatedRequest request, String user, App app) {
        // From an issuer the app accepts, so that the simulation is about the rules, not the issuer list.
        String issuer = app.issuers().isEmpty() ? ISSUER : app.issuers().iterator().next();
        return new Identity(issuer, user, user, request.groups(), request.methods(), Set.copyOf(request.methods()),
                Optional.empty(), request.authAge().map(age -> request.at().minus(age)),
                request.at().plusSeconds(3600), request.claims());
    }
}
