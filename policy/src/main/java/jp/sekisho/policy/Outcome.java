package jp.sekisho.policy;

import java.util.Optional;

/** What the proxy does with a request. */
public enum Outcome {
    /** Forward to the upstream with a signed identity assertion. */
    ALLOW,
    /** Who the user is could not be established: log in again (HTTP 401). */
    UNAUTHENTICATED,
    /** The user may pass after authenticating more strongly or more recently (step-up). */
    STEP_UP,
    /** The user is known but the app's policy does not let them in (HTTP 403). */
    DENY;

    /** Stable lower-case label for audit records and metrics. */
    public String code() {
        return switch (this) {
            case ALLOW -> "allow";
            case UNAUTHENTICATED -> "unauthenticated";
            case STEP_UP -> "step-up";
            case DENY -> "deny";
        };
    }

    /** The outcome with this {@link #code()}, as audit records write it. */
    public static Optional<Outcome> fromCode(String code) {
        for (Outcome outcome : values()) {
            if (outcome.code().equals(code)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
