package jp.sekisho.session;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jp.sekisho.store.PolicyStore;
import jp.sekisho.store.RevokedSessions;
import jp.sekisho.store.StoreTopic;

/**
 * Sessions an administrator ended: single sessions by id, and every session of a user begun
 * before a moment. Checked on every request against this replica's copy; kept in the
 * {@link PolicyStore store}, so a restart does not bring them back and every replica learns of
 * them within a second.
 */
public final class Revocations {

    private final PolicyStore store;
    private volatile RevokedSessions current = RevokedSessions.none();

    public Revocations(PolicyStore store) {
        this.store = store;
    }

    /** Reads the revocations now, and again whenever the store says they changed. */
    public Future<Void> follow() {
        store.onChange(topic -> {
            if (topic == StoreTopic.REVOCATIONS) {
                refresh();
            }
        });
        return refresh();
    }

    private Future<Void> refresh() {
        return store.revocations().map(revoked -> {
            current = revoked;
            return null;
        });
    }

    public boolean isRevoked(Session session) {
        RevokedSessions revoked = current;
        if (revoked.sessions().containsKey(session.id())) {
            return true;
        }
        Instant cutoff = revoked.users().get(userKey(session.identity().issuer(), session.identity().subject()));
        return cutoff != null && !session.issuedAt().isAfter(cutoff);
    }

    /**
     * Ends one session, remembered until {@code until}: in force on this replica at once (a
     * revocation only ever tightens), on the others once stored.
     */
    public Future<Void> revokeSession(String sessionId, Instant until) {
        Map<String, Instant> sessions = new HashMap<>(current.sessions());
        sessions.put(sessionId, until);
        current = new RevokedSessions(sessions, current.users());
        return store.revokeSession(sessionId, until);
    }

    /** Ends every session of the user that began at or before {@code now}; here at once, elsewhere once stored. */
    public Future<Void> revokeUser(String issuer, String subject, Instant now) {
        String key = userKey(issuer, subject);
        Map<String, Instant> users = new HashMap<>(current.users());
        users.merge(key, now, (a, b) -> a.isAfter(b) ? a : b);
        current = new RevokedSessions(current.sessions(), users);
        return store.revokeUser(key, now);
    }

    public static String userKey(String issuer, String subject) {
        return issuer + "|" + subject;
    }
}
