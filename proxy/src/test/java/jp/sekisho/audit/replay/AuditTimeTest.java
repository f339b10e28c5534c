package jp.sekisho.audit.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trail's times read quickly, and exactly as the ISO parser reads them. */
class AuditTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T10:00:00+09:00", "2026-11-24T10:00:00.123+09:00", "2026-11-24T10:00:00.1Z",
            "2026-11-24T01:00:00.123456789Z", "2024-02-29T23:59:59-05:30", "1970-01-01T00:00:00Z",
            "2026-11-24T10:00+09:00", "2026-12-31T23:59:59.999+14:00", "+12026-11-24T10:00:00Z",
            "2026-11-24T10:00:00.+09:00"})
    void agreesWithTheIsoParser(String text) {
        assertEquals(OffsetDateTime.parse(text).toInstant(), AuditTime.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T10:00:00+09:00", "2026-11-24T24:00:00Z", "2026-11-24T10:00:00", "yesterday",
            "2026-11-24T10:00:00+9:00", "2026-11-24T10:00:00.1234567891Z"})
    void refusesWhatTheIsoParserRefuses(String text) {
        assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text));
        assertThrows(DateTimeParseException.class, () -> AuditTime.parse(text));
    }
}
