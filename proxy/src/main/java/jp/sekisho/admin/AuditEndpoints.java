package jp.sekisho.admin;

import java.util.Set;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.config.PolicyReloader;

/**
 * The audit query API for auditors and audit readers: by period, user, app, decision and tenant,
 * limited to the records of the reader's tenants, from this replica's trail or (with the
 * PostgreSQL sink) every replica's. Each query is itself recorded.
 */
public final class AuditEndpoints implements Endpoints {

    private static final int MAX_LIMIT = 10_000;

    private final AuditQuery query;
    private final PolicyReloader policy;
    private AdminApi api;

    AuditEndpoints(AuditQuery query, PolicyReloader policy) {
        this.query = query;
        this.policy = policy;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        this.api = api;
        router.get("/api/v1/audit/records").handler(api.as(AdminRole.AUDIT_READER, this::records));
    }

    private void records(RoutingContext ctx, Administrator admin) {
        ExportFilter filter;
        int limit;
        try {
            filter = new ExportFilter(time(ctx, "from"), time(ctx, "to"), param(ctx, "user"), param(ctx, "app"),
                    param(ctx, "decision"), param(ctx, "tenant"), Optional.empty(), param(ctx, "device"));
            limit = param(ctx, "limit").map(Integer::parseInt).orElse(1000);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT);
            }
        } catch (IllegalArgumentException e) {
            AdminReply.error(ctx, 400, "bad-request", e.getMessage());
            return;
        }
        query.find(filter, reach(admin), limit).onComplete(ar -> {
            if (ar.failed()) {
                AdminReply.error(ctx, 503, "audit-unreadable", "the audit records cannot be read now: "
                        + ar.cause().getMessage());
                return;
            }
            AuditQuery.Page page = ar.result();
            api.record(admin, ctx, "audit-query", "audit", "records", ctx.request().query() == null ? ""
                    : ctx.request().query());
            AdminReply.json(ctx, 200, new JsonObject().put("records", page.records())
                    .put("truncated", page.truncated()).put("source", page.source()));
        });
    }

    /**
     * Whose records the reader may see: every record for a global administrator, and in a
     * deployment without tenants for every administrator; otherwise the records of the reader's
     * tenants (each record carries its app's 団体コード).
     */
    private Optional<Set<String>> reach(Administrator admin) {
        if (admin.global()) {
            return Optional.empty();
        }
        if (admin.tenants().isEmpty() && noAppHasATenant()) {
            return Optional.empty();
        }
        return Optional.of(admin.tenants());
    }

    private boolean noAppHasATenant() {
        return policy.get().apps().stream().allMatch(app -> app.tenant().isEmpty());
    }

    private static Optional<java.time.Instant> time(RoutingContext ctx, String name) {
        return param(ctx, name).map(t -> ExportFilter.instant(name, t, ExportFilter.DEFAULT_ZONE));
    }

    private static Optional<String> param(RoutingContext ctx, String name) {
        return Optional.ofNullable(ctx.request().getParam(name)).filter(v -> !v.isBlank());
    }
}
