package jp.sekisho.policy;

import java.util.Objects;

/** The outcome of establishing who made a request: an identity, or why there is none. */
public sealed interface Authentication {

    record Authenticated(Identity identity) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    record Unauthenticated(Reason reason) implements Authentication {
        public Unauthenticated {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Authentication of(Identity identity) {
        return new Authenticated(identity);
    }

    static Authentication failed(Reason reason) {
        return new Unauthenticated(reason);
    }
}
