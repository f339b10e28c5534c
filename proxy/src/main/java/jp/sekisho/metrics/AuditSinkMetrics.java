package jp.sekisho.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/**
 * The series of one audit sink ({@code sink} label from a closed list). Registered at 0 when
 * Sekisho starts, whether or not the sink is configured, so that the lag alert and the
 * dashboard see a series from the first scrape; a running sink then reports through
 * {@link #track}.
 */
public final class AuditSinkMetrics {

    private final Counter delivered;
    private final Counter errors;
    private volatile LongSupplier lag = () -> 0;
    private volatile boolean connected;

    AuditSinkMetrics(MeterRegistry registry, String sink) {
        this.delivered = Counter.builder("sekisho_audit_sink_delivered_records")
                .description("Audit records delivered to a live sink (written and flushed to its connection)")
                .tag("sink", sink).register(registry);
        this.errors = Counter.builder("sekisho_audit_sink_errors")
                .description("Connection, TLS and write failures of a live audit sink; each is followed by a retry")
                .tag("sink", sink).register(registry);
        Gauge.builder("sekisho_audit_sink_lag_records", () -> lag.getAsLong())
                .description("Audit records written to the trail but not yet delivered to a live sink (0 without the sink)")
                .tag("sink", sink).register(registry);
        Gauge.builder("sekisho_audit_sink_connected", () -> connected ? 1 : 0)
                .description("1 while a live audit sink is connected to its receiver")
                .tag("sink", sink).register(registry);
    }

    /** Reads the lag from the running sink on every scrape. */
    public void track(LongSupplier lagRecords) {
        this.lag = lagRecords;
    }

    public void delivered(long records) {
        delivered.increment(records);
    }

    public void error() {
        errors.increment();
    }

    public void connected(boolean connected) {
        this.connected = connected;
    }
}
