package jp.sekisho.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.export.ExportRecord;
import jp.sekisho.config.PolicyReloader;
import jp.sekisho.policy.edit.PolicyText;
import jp.sekisho.policy.source.ConfigException;

/**
 * The audit query API for auditors and audit readers: this replica's trail, by period, user,
 * app and decision, limited to the apps of the reader's tenants. Each query is itself recorded.
 */
public final class AuditEndpoints implements Endpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 10_000;

    private final Vertx vertx;
    private final Path trail;
    private final PolicyReloader policy;
    private AdminApi api;

    public AuditEndpoints(Vertx vertx, Path trail, PolicyReloader policy) {
        this.vertx = vertx;
        this.trail = trail;
        this.policy = policy;
    }

    @Override
    public void mount(Router router, AdminApi api) {
        this.api = api;
        router.get("/api/v1/audit/records").handler(api.as(AdminRole.AUDIT_READER, this::records));
    }

    private record Page(JsonArray records, boolean truncated, long scanned) {
    }

    private void records(RoutingContext ctx, Administrator admin) {
        ExportFilter filter;
        int limit;
        try {
            filter = new ExportFilter(param(ctx, "from").map(t -> ExportFilter.instant("from", t, ExportFilter.DEFAULT_ZONE)),
                    param(ctx, "to").map(t -> ExportFilter.instant("to", t, ExportFilter.DEFAULT_ZONE)),
                    param(ctx, "user"), param(ctx, "app"), param(ctx, "decision"));
            limit = param(ctx, "limit").map(Integer::parseInt).orElse(1000);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT);
            }
        } catch (IllegalArgumentException e) {
            AdminReply.error(ctx, 400, "bad-request", e.getMessage());
            return;
        }
        Map<String, Optional<String>> tenants = appTenants();
        boolean seesAll = admin.global() || (admin.tenants().isEmpty()
                && tenants.values().stream().allMatch(Optional::isEmpty));
        int max = limit;
        vertx.executeBlocking(() -> scan(filter, max, record -> reaches(admin, seesAll, tenants, record)), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        AdminReply.error(ctx, 503, "audit-unreadable", "the audit trail cannot be read now: "
                                + ar.cause().getMessage());
                        return;
                    }
                    Page page = ar.result();
                    api.record(admin, ctx, "audit-query", "audit", "records", ctx.request().query() == null ? ""
                            : ctx.request().query());
                    AdminReply.json(ctx, 200, new JsonObject().put("records", page.records())
                            .put("truncated", page.truncated()).put("scanned", page.scanned()));
                });
    }

    private Page scan(ExportFilter filter, int limit, java.util.function.Predicate<ExportRecord> visible)
            throws IOException {
        JsonArray out = new JsonArray();
        long scanned = 0;
        boolean truncated = false;
        if (!Files.exists(trail)) {
            return new Page(out, false, 0);
        }
        try (Stream<String> lines = AuditFiles.lines(trail)) {
            for (String line : (Iterable<String>) lines::iterator) {
                scanned++;
                ExportRecord record;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                    record = ExportRecord.of(node);
                } catch (IOException | IllegalArgumentException e) {
                    continue; // a torn last line after a crash; verify reports it
                }
                if (record == null || !filter.test(record) || !visible.test(record)) {
                    continue;
                }
                if (out.size() == limit) {
                    truncated = true;
                    break;
                }
                out.add(new JsonObject(line));
            }
        }
        return new Page(out, truncated, scanned);
    }

    /** Access records of apps in reach; operators' records and requests that matched no app only for those who see all. */
    private static boolean reaches(Administrator admin, boolean seesAll, Map<String, Optional<String>> tenants,
                                   ExportRecord record) {
        if (seesAll) {
            return true;
        }
        if (record.request() == null || record.request().app() == null || record.request().app().isEmpty()) {
            return false;
        }
        Optional<String> tenant = tenants.get(record.request().app());
        return tenant != null && admin.reaches(tenant);
    }

    /** Each app's tenant in the serving policy. */
    private Map<String, Optional<String>> appTenants() {
        Map<String, Optional<String>> tenants = new HashMap<>();
        try {
            for (PolicyText.AppEntry app : PolicyText.parse("policy", policy.serving().version().text()).apps()) {
                tenants.put(app.id(), app.tenant());
            }
        } catch (ConfigException e) {
            // the serving version compiled, so it parses
        }
        return tenants;
    }

    private static Optional<String> param(RoutingContext ctx, String name) {
        return Optional.ofNullable(ctx.request().getParam(name)).filter(v -> !v.isBlank());
    }
}
