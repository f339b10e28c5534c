package jp.sekisho.admin;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.identity.BearerAuthenticator;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.mfa.MfaRequirement;

/**
 * Who is calling the admin API: a bearer token from a configured issuer, for the admin
 * audience, with at least one admin role, from a sign-in strong and fresh enough for the admin
 * policy. Anything less is refused with a reason code; nothing is answered from a half-checked
 * caller.
 */
public final class AdminAuthenticator {

    /** The outcome: an administrator, or the HTTP status and reason code to refuse with. */
    public sealed interface Result {
    }

    public record Admitted(Administrator administrator) implements Result {
    }

    /**
     * @param status 401 (no or bad token, or MFA short: the client can fix it by signing in again) or 403
     * @param reason a reason code
     * @param mfa    set when the sign-in was not strong or fresh enough (RFC 9470 challenge)
     */
    public record Refused(int status, String reason, Optional<MfaRequirement> mfa) implements Result {
    }

    private final BearerAuthenticator tokens;
    private final SekishoConfig.Admin settings;
    private final MfaRequirement mfa;
    private final Clock clock;

    /** @param tokens verifies tokens for the admin audiences, keeping the roles and tenant claims */
    public AdminAuthenticator(BearerAuthenticator tokens, SekishoConfig.Admin settings, Clock clock) {
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
        this.mfa = new MfaRequirement(Set.copyOf(settings.mfa().anyOf()), 0,
                Optional.of(Duration.ofSeconds(settings.mfa().maxAgeSeconds())), java.util.Map.of(), Optional.empty());
    }

    public MfaRequirement mfa() {
        return mfa;
    }

    public Future<Result> authenticate(String authorization) {
        return tokens.authenticate(authorization).map(this::admit);
    }

    private Result admit(Authentication authentication) {
        if (authentication instanceof Authentication.Unauthenticated missing) {
            return new Refused(401, missing.reason().code(), Optional.empty());
        }
        Identity identity = ((Authentication.Authenticated) authentication).identity();
        Set<AdminRole> roles = EnumSet.noneOf(AdminRole.class);
        for (String value : identity.claims().getOrDefault(settings.rolesClaim(), List.of())) {
            AdminRole.parse(value).ifPresent(roles::add);
        }
        if (roles.isEmpty()) {
            return new Refused(403, "not-an-administrator", Optional.empty());
        }
        Optional<Reason> shortfall = mfa.shortfall(identity, clock.instant());
        if (shortfall.isPresent()) {
            return new Refused(401, shortfall.get().code(), Optional.of(mfa));
        }
        Set<String> tenants = new HashSet<>(identity.claims().getOrDefault(settings.tenantClaim(), List.of()));
        return new Admitted(new Administrator(identity, roles, tenants));
    }
}
