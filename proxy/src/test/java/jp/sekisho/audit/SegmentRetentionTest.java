package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by tenant: a segment is deleted whole, when the longest-kept record in it may go. */
class SegmentRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    private static final Map<String, Duration> CHIYODA_FIVE_YEARS = Map.of("131016", Duration.ofDays(5 * 365));

    @TempDir
    Path dir;

    private Path segment(String name, String tenant, Instant closedAt) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"schema\":1,\"kind\":\"access\",\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\","
                + "\"tenant\":\"" + tenant + "\",\"app\":\"x\"}\n"
                + "{\"kind\":\"checkpoint\",\"closing\":true,\"time\":\"" + closedAt + "\"}\n");
        return file;
    }

    @Test
    void aTenantWithALongerRetentionKeepsItsSegmentsAndEveryLaterOne() throws IOException {
        Path chiyoda = segment("000001.jsonl", "131016", NOW.minus(Duration.ofDays(400)));
        Path hachioji = segment("000002.jsonl", "132012", NOW.minus(Duration.ofDays(400)));
        Path open = segment("000003.jsonl", "132012", NOW);
        List<Path> segments = List.of(chiyoda, hachioji, open);

        assertEquals(List.of(chiyoda, hachioji), SegmentRetention.expired(segments, NOW, Duration.ofDays(366), Map.of()),
                "without tenant retention, a year decides");
        assertEquals(List.of(), SegmentRetention.expired(segments, NOW, Duration.ofDays(366), CHIYODA_FIVE_YEARS),
                "Chiyoda's five years keep its segment, and the trail stays contiguous after it");
        assertEquals(List.of(chiyoda, hachioji), SegmentRetention.expired(segments,
                NOW.plus(Duration.ofDays(5 * 365)), Duration.ofDays(366), CHIYODA_FIVE_YEARS));
    }

    @Test
    void segmentsOfOtherTenantsBeforeTheKeptOneGoOnTime() throws IOException {
        Path hachioji = segment("000001.jsonl", "132012", NOW.minus(Duration.ofDays(400)));
        Path chiyoda = segment("000002.jsonl", "131016", NOW.minus(Duration.ofDays(400)));
        Path open = segment("000003.jsonl", "131016", NOW);
        assertEquals(List.of(hachioji), SegmentRetention.expired(List.of(hachioji, chiyoda, open), NOW,
                Duration.ofDays(366), CHIYODA_FIVE_YEARS));
    }

    @Test
    void aTenantRetentionNeverShortensTheDefault() throws IOException {
        Path chiyoda = segment("000001.jsonl", "131016", NOW.minus(Duration.ofDays(100)));
        Path open = segment("000002.jsonl", "131016", NOW);
        assertEquals(List.of(), SegmentRetention.expired(List.of(chiyoda, open), NOW, Duration.ofDays(366),
                Map.of("131016", Duration.ofDays(30))));
    }
}
