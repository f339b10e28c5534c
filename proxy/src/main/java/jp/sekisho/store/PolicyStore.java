package jp.sekisho.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import jp.sekisho.device.Quarantine;

/**
 * Where the administrators' state lives: the versioned policy, and the operator actions every
 * replica must enforce (quarantine holds, session revocations). One node keeps it in its data
 * directory ({@link EmbeddedPolicyStore}); several replicas share PostgreSQL
 * ({@link PostgresPolicyStore}) and learn of each other's changes within a second.
 *
 * <p>Every method is asynchronous and never blocks the calling event loop. Versions are
 * immutable: a rollback is a new version whose text equals an old one.
 */
public interface PolicyStore {

    /** The newest version; empty when nothing was stored yet. */
    Future<Optional<PolicyVersion>> latest();

    /** One version by number; empty when there is no such version. */
    Future<Optional<PolicyVersion>> version(long number);

    /** Versions, newest first, at most {@code limit}. */
    Future<List<PolicyVersion>> history(int limit);

    /**
     * Stores {@code change} as version {@code expectedLatest + 1}, if {@code expectedLatest} is
     * still the newest (0 when the store is empty); otherwise fails with {@link VersionConflict}
     * and stores nothing. Completes once the version is durable, after which every replica is told.
     */
    Future<PolicyVersion> append(long expectedLatest, NewVersion change);

    /** Every hold in force, oldest first. */
    Future<List<Quarantine.Hold>> holds();

    /** Places a hold, replacing one on the same kind and {@link Quarantine#key key}. */
    Future<Void> putHold(Quarantine.Hold hold);

    /** Lifts the hold on the kind and key; completes with false when there was none. */
    Future<Boolean> removeHold(Quarantine.Kind kind, String key);

    /** Every revocation in force. */
    Future<RevokedSessions> revocations();

    /** Ends one browser session, remembered until {@code until}. */
    Future<Void> revokeSession(String sessionId, Instant until);

    /** Ends every session of a user ({@code issuer|subject}) begun at or before {@code cutoff}. */
    Future<Void> revokeUser(String userKey, Instant cutoff);

    /**
     * Calls {@code listener} when something may have changed, here or on another replica (and,
     * for a shared store, after a reconnect, since notifications may have been missed). Listeners
     * re-read what concerns them; a spurious call is harmless.
     */
    void onChange(Consumer<StoreTopic> listener);

    StoreStatus status();

    /** Stops listening and closes connections. */
    Future<Void> close();
}
