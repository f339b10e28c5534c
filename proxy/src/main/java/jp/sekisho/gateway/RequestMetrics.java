package jp.sekisho.gateway;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.mfa.MfaRequirement;

/**
 * Turns one finished request into its metrics: traffic, how its identity was established, its
 * MFA and device checks, and the upstream's time. Labels come from config ids and reason codes.
 */
final class RequestMetrics {

    private static final Set<Reason> MFA_SHORTFALLS = EnumSet.of(Reason.MFA_METHOD_MISSING,
            Reason.MFA_FACTORS_INSUFFICIENT, Reason.MFA_TOO_OLD, Reason.MFA_AUTH_TIME_MISSING);

    private final ProxyMetrics metrics;

    RequestMetrics(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    void record(Exchange exchange, AccessRecord record) {
        String app = exchange.app == null ? ProxyMetrics.NO_APP : exchange.app.id();
        metrics.request(app, record.outcome(), exchange.finalReason(), record.status(), record.durationNanos());
        if (exchange.authentication instanceof Authentication.Authenticated a) {
            metrics.authentication(a.identity().issuer(), exchange.credential, "authenticated");
        } else if (exchange.authentication instanceof Authentication.Unauthenticated u) {
            metrics.authentication(null, exchange.credential, u.reason().code());
        }
        if (exchange.app != null && exchange.decision != null) {
            if (exchange.device != null) {
                metrics.postureResult(app, record.device().failed().isEmpty()
                        ? record.device().result() : record.device().failed().get(0));
            }
            mfa(exchange, app);
        }
        if (exchange.upstreamNanos >= 0) {
            metrics.upstreamDuration(app, exchange.upstreamNanos);
        }
    }

    /** Counted only where the decision judged MFA: allowed, or refused for an MFA shortfall. */
    private void mfa(Exchange exchange, String app) {
        MfaRequirement required = exchange.app.mfa();
        if (required.isNone() || !(exchange.authentication instanceof Authentication.Authenticated a)) {
            return;
        }
        String result;
        if (exchange.decision.allowed()) {
            result = "passed";
        } else {
            Reason shortfall = exchange.decision.reasons().stream().filter(MFA_SHORTFALLS::contains).findFirst()
                    .orElse(null);
            if (shortfall == null) {
                return;
            }
            result = shortfall.code();
        }
        Set<String> proved = new TreeSet<>(a.identity().methods());
        if (!required.anyOf().isEmpty()) {
            proved.retainAll(required.anyOf()); // bounded by the app's configuration
        } else {
            proved.clear();
            proved.add("any");
        }
        metrics.mfaResult(app, proved.isEmpty() ? "none" : String.join("+", proved), result);
    }
}
