package jp.sekisho.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.audit.TestTrail;
import jp.sekisho.audit.export.ExportFilter;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit query over one replica's trail answers for forward-proxy tunnels as for app requests. */
class TrailAuditQueryTest {

    private static final Instant T = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;
    private Vertx vertx;

    @BeforeEach
    void trail() throws Exception {
        vertx = Vertx.vertx();
        TestTrail.open(dir.resolve("audit"), dir.resolve("keys"), new MutableClock(T))
                .write(TestTrail.request("r-1", T, "sato", "records", "/", Outcome.ALLOW, 200))
                .write(TestTrail.breakout("b-1", T.plusSeconds(1), "sato", Set.of("shimin-ka"), "lgwan", null,
                        "www.dropbox.com", 443, Outcome.DENY, Reason.DESTINATION_NOT_ALLOWED))
                .write(TestTrail.breakout("b-2", T.plusSeconds(2), "suzuki", Set.of("soumu-ka"), "lgwan", "LG-PC-0001",
                        "outlook.office.com", 443, Outcome.ALLOW, Reason.BREAKOUT_ALLOWED));
    }

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private List<String> ids(ExportFilter filter, Optional<Set<String>> tenants) {
        return new TrailAuditQuery(vertx, dir.resolve("audit")).find(filter, tenants, 10).await().records().stream()
                .map(o -> ((JsonObject) o).getString("requestId")).toList();
    }

    @Test
    void breakoutRecordsAreFoundBesideRequestsAndLeftOutByAnAppFilter() {
        assertEquals(List.of("r-1", "b-1", "b-2"), ids(ExportFilter.ALL, Optional.empty()));
        assertEquals(List.of("b-1"), ids(new ExportFilter(Optional.empty(), Optional.empty(), Optional.of("sato"),
                Optional.empty(), Optional.of("deny")), Optional.empty()));
        assertEquals(List.of("r-1"), ids(new ExportFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("records"), Optional.empty()), Optional.empty()));
        assertEquals(List.of("b-2"), ids(new ExportFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("lg-pc-0001")),
                Optional.empty()), "a device's records, its id matched without regard to case");
        assertEquals(List.of(), ids(ExportFilter.ALL, Optional.of(Set.of("131016"))),
                "a tenant's reader sees only records filed under that tenant");
    }
}
