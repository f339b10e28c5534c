package jp.sekisho.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --from and --to as people type them: dates and times in JST unless they carry an offset. */
class ExportFilterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2026-11-23,                 2026-11-22T15:00:00Z
            2026-11-23T09:00,           2026-11-23T00:00:00Z
            2026-11-23T09:00:30.5,      2026-11-23T00:00:30.500Z
            2026-11-23T09:00:00+09:00,  2026-11-23T00:00:00Z
            2026-11-23T09:00:00Z,       2026-11-23T09:00:00Z
            2026-11-23T09:00:00-05:00,  2026-11-23T14:00:00Z
            """)
    void instants(String typed, String instant) {
        assertEquals(Instant.parse(instant), ExportFilter.instant("--from", typed, ExportFilter.DEFAULT_ZONE));
    }

    @Test
    void somethingElseNamesTheOptionAndTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportFilter.instant("--to", "23/11/2026", ExportFilter.DEFAULT_ZONE));
        assertEquals("--to '23/11/2026' is not a date (2026-11-23) or a date and time (2026-11-23T09:00, "
                + "2026-11-23T09:00:00+09:00)", e.getMessage());
    }

    @Test
    void aTenantKeepsOnlyTheRecordsOfThatMunicipality() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String line = "{\"schema\":1,\"kind\":\"access\",\"seq\":3,\"requestId\":\"r1\",\"time\":"
                + "\"2026-11-24T09:00:00+09:00\",\"source\":\"10.0.0.1\",\"tenant\":\"131016\",\"app\":\"records\","
                + "\"decision\":\"allow\"}";
        ExportRecord record = ExportRecord.of(json.readTree(line));
        ExportFilter chiyoda = new ExportFilter(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of("131016"));
        ExportFilter hachioji = new ExportFilter(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of("132012"));
        assertEquals(true, chiyoda.test(record));
        assertEquals(false, hachioji.test(record));
        assertEquals(true, ExportFilter.ALL.test(record));
    }
}
