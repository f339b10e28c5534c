package jp.sekisho.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.audit.export.ExportFilter;

/** Where the audit query API reads: this replica's trail, or the PostgreSQL table every replica feeds. */
interface AuditQuery {

    /**
     * A page of records.
     *
     * @param records   the records as the trail holds them (oldest first)
     * @param truncated more matched than the limit
     * @param source    {@code trail} or {@code postgresql}
     */
    record Page(JsonArray records, boolean truncated, String source) {
    }

    /**
     * The records that pass {@code filter}, at most {@code limit}.
     *
     * @param tenants the 団体コード whose records the reader may see; empty: every record
     *                (operators' actions included), for readers who see all
     */
    Future<Page> find(ExportFilter filter, Optional<Set<String>> tenants, int limit);

    Future<Void> close();
}
