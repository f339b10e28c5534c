package jp.sekisho.device;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.store.PolicyStore;
import jp.sekisho.store.StoreTopic;

/**
 * What an operator can do about a device or user: hold it (every next request refused, its
 * open WebSockets closed now, on every replica) or release it. Each action is written to the
 * store first, then audited and counted.
 */
public final class QuarantineActions {

    /** The result of a hold: the hold, and how many open connections it closed. */
    public record Held(Quarantine.Hold hold, int closedConnections) {
    }

    private final PolicyStore store;
    private final Quarantine quarantine;
    private final OpenTunnels tunnels;
    private final AccessLog audit;
    private final ProxyMetrics metrics;
    private final Clock clock;

    public QuarantineActions(PolicyStore store, Quarantine quarantine, OpenTunnels tunnels, AccessLog audit,
                             ProxyMetrics metrics, Clock clock) {
        this.store = store;
        this.quarantine = quarantine;
        this.tunnels = tunnels;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        metrics.gauge("sekisho_quarantined_devices", "Devices held by an operator",
                () -> quarantine.count(Quarantine.Kind.DEVICE));
        metrics.gauge("sekisho_quarantined_users", "Users held by an operator",
                () -> quarantine.count(Quarantine.Kind.USER));
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    /**
     * Reads every hold from the store into this replica's view, and does so again whenever the
     * store says holds changed (on any replica): how a hold placed elsewhere reaches this one.
     */
    public Future<Void> follow() {
        store.onChange(topic -> {
            if (topic == StoreTopic.HOLDS) {
                refresh();
            }
        });
        return refresh();
    }

    private Future<Void> refresh() {
        return store.holds().map(holds -> {
            Set<String> before = heldKeys();
            quarantine.replaceAll(holds);
            // A hold placed on another replica closes this replica's open connections too.
            for (Quarantine.Hold hold : holds) {
                if (!before.contains(hold.kind().code() + "|" + Quarantine.key(hold.id()))) {
                    int closed = tunnels.closeAll(hold.kind(), hold.id());
                    if (closed > 0) {
                        metrics.tunnelsClosedByQuarantine(closed);
                    }
                }
            }
            return null;
        });
    }

    private Set<String> heldKeys() {
        Set<String> keys = new HashSet<>();
        quarantine.list().forEach(h -> keys.add(h.kind().code() + "|" + Quarantine.key(h.id())));
        return keys;
    }

    public Future<Held> hold(Quarantine.Kind kind, String id, String reason, String operator, String source) {
        return hold(kind, id, reason, operator, source, Optional.empty());
    }

    /** @param tenant the 団体コード of the administrator placing it (empty for none) */
    public Future<Held> hold(Quarantine.Kind kind, String id, String reason, String operator, String source,
                             Optional<String> tenant) {
        Quarantine.Hold hold = new Quarantine.Hold(kind, id.strip(), reason, operator, clock.instant(), tenant);
        // In force here before the store answers (a hold only tightens), so that the refresh the
        // store's own notification triggers sees it as known and leaves its connections to us.
        Optional<Quarantine.Hold> previous = quarantine.get(kind, id);
        quarantine.put(hold);
        return store.putHold(hold).onFailure(e -> {
            quarantine.remove(kind, id);
            previous.ifPresent(quarantine::put);
        }).map(stored -> {
            audit.append(new AdminRecord(UUID.randomUUID().toString(), hold.since(), operator, source,
                    "quarantine", kind.code(), hold.id(), reason));
            int closed = tunnels.closeAll(kind, id);
            metrics.quarantineAction("hold-" + kind.code());
            if (closed > 0) {
                metrics.tunnelsClosedByQuarantine(closed);
            }
            return new Held(hold, closed);
        });
    }

    /** Lifts a hold; empty when there was none (nothing is audited then). */
    public Future<Optional<Quarantine.Hold>> release(Quarantine.Kind kind, String id, String reason, String operator,
                                                     String source) {
        Optional<Quarantine.Hold> known = quarantine.get(kind, id);
        return store.removeHold(kind, Quarantine.key(id)).map(removed -> {
            if (!removed) {
                return Optional.<Quarantine.Hold>empty();
            }
            Quarantine.Hold hold = known.orElse(new Quarantine.Hold(kind, id.strip(), "", "", clock.instant()));
            quarantine.remove(kind, id);
            audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(), operator, source,
                    "release", kind.code(), hold.id(), reason));
            metrics.quarantineAction("release-" + kind.code());
            return Optional.of(hold);
        });
    }
}
