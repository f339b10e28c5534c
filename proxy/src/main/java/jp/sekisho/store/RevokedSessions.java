package jp.sekisho.store;

import java.time.Instant;
import java.util.Map;

/**
 * Every revocation in force.
 *
 * @param sessions session id → until when the revocation must be remembered (the session's latest expiry)
 * @param users    user key ({@code issuer|subject}) → sessions begun at or before this are ended
 */
public record RevokedSessions(Map<String, Instant> sessions, Map<String, Instant> users) {

    public RevokedSessions {
        sessions = Map.copyOf(sessions);
        users = Map.copyOf(users);
    }

    public static RevokedSessions none() {
        return new RevokedSessions(Map.of(), Map.of());
    }
}
