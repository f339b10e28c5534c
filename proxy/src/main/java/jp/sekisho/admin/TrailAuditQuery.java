package jp.sekisho.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.sekisho.audit.AuditFiles;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.audit.export.ExportRecord;

/** The audit query over this replica's own trail (one node, or no PostgreSQL sink). */
final class TrailAuditQuery implements AuditQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final Path trail;

    TrailAuditQuery(Vertx vertx, Path trail) {
        this.vertx = vertx;
        this.trail = trail;
    }

    @Override
    public Future<Page> find(ExportFilter filter, Optional<Set<String>> tenants, int limit) {
        return vertx.executeBlocking(() -> scan(filter, tenants, limit), false);
    }

    private Page scan(ExportFilter filter, Optional<Set<String>> tenants, int limit) throws IOException {
        JsonArray out = new JsonArray();
        if (!Files.exists(trail)) {
            return new Page(out, false, "trail");
        }
        try (Stream<String> lines = AuditFiles.lines(trail)) {
            for (String line : (Iterable<String>) lines::iterator) {
                ExportRecord record;
                try {
                    record = ExportRecord.of(JSON.readTree(line));
                } catch (IOException | IllegalArgumentException e) {
                    continue; // a torn last line after a crash; verify reports it
                }
                // Access, breakout and admin records, as the PostgreSQL query answers (decisions are a step of an access)
                if (record == null || ExportRecord.DECISION.equals(record.kind()) || !filter.test(record)
                        || !visible(record, tenants)) {
                    continue;
                }
                if (out.size() == limit) {
                    return new Page(out, true, "trail");
                }
                out.add(new JsonObject(line));
            }
        }
        return new Page(out, false, "trail");
    }

    /** Requests and tunnels of the reader's tenants; operators' actions only for those who see all. */
    private static boolean visible(ExportRecord record, Optional<Set<String>> tenants) {
        if (tenants.isEmpty()) {
            return true;
        }
        return record.request() != null && record.tenant() != null && tenants.get().contains(record.tenant());
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
