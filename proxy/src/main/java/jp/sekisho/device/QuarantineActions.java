package jp.sekisho.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AdminRecord;
import jp.sekisho.metrics.ProxyMetrics;

/**
 * What an operator can do about a device or user: hold it (every next request refused, its
 * open WebSockets closed now) or release it. Each action is written to the store first, then
 * audited and counted.
 */
public final class QuarantineActions {

    /** The result of a hold: the hold, and how many open connections it closed. */
    public record Held(Quarantine.Hold hold, int closedConnections) {
    }

    private final Vertx vertx;
    private final Quarantine quarantine;
    private final OpenTunnels tunnels;
    private final AccessLog audit;
    private final ProxyMetrics metrics;
    private final Clock clock;

    public QuarantineActions(Vertx vertx, Quarantine quarantine, OpenTunnels tunnels, AccessLog audit,
                             ProxyMetrics metrics, Clock clock) {
        this.vertx = vertx;
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

    public Future<Held> hold(Quarantine.Kind kind, String id, String reason, String operator, String source) {
        return vertx.executeBlocking(() -> {
            Quarantine.Hold hold = quarantine.hold(kind, id, reason, operator, clock.instant());
            audit.append(new AdminRecord(UUID.randomUUID().toString(), hold.since(), operator, source,
                    "quarantine", kind.code(), hold.id(), reason));
            return hold;
        }, false).map(hold -> {
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
        return vertx.executeBlocking(() -> {
            Optional<Quarantine.Hold> released = quarantine.release(kind, id);
            released.ifPresent(hold -> audit.append(new AdminRecord(UUID.randomUUID().toString(), clock.instant(),
                    operator, source, "release", kind.code(), hold.id(), reason)));
            return released;
        }, false).map(released -> {
            released.ifPresent(hold -> metrics.quarantineAction("release-" + kind.code()));
            return released;
        });
    }
}
