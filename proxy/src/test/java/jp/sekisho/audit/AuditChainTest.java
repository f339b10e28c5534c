package jp.sekisho.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import jp.sekisho.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail is evidence: every kind of tampering an insider could try on the files is
 * found by {@code audit verify}, at the record where it happened, and a crash mid-write leaves
 * a trail that still verifies, with the cut recorded.
 */
class AuditChainTest {

    private static final ChainedSegments.Limits ONE_SEGMENT =
            new ChainedSegments.Limits(Long.MAX_VALUE, Duration.ofDays(365), Duration.ofMinutes(5));

    @TempDir
    Path data;
    Path dir;
    AuditKey key;
    MutableClock clock;

    @BeforeEach
    void setUp() throws IOException {
        dir = data.resolve("audit");
        key = AuditKey.loadOrCreate(Files.createDirectories(data.resolve("keys")));
        clock = new MutableClock(Instant.parse("2026-11-24T01:00:00Z"));
    }

    private static byte[] record(int n) {
        return ("{\"schema\":1,\"kind\":\"access\",\"requestId\":\"r" + n + "\",\"path\":\"/juminhyo/" + n + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code count} records, then closes (which signs a last checkpoint). */
    private void write(int count, ChainedSegments.Limits limits) throws IOException {
        ChainedSegments trail = ChainedSegments.open(dir, key, clock, ZoneId.of("Asia/Tokyo"), limits);
        for (int i = 1; i <= count; i++) {
            trail.append(record(i));
            trail.flush(false);
            clock.advance(Duration.ofSeconds(1));
        }
        trail.close();
    }

    private ChainVerifier.Report verify() throws IOException {
        return new ChainVerifier(key.publicJwk()).verify(dir);
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = ChainedSegments.segments(dir);
        assertEquals(1, segments.size());
        return segments.get(0);
    }

    private List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void rewrite(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private ChainVerifier.Finding problem() throws IOException {
        ChainVerifier.Report report = verify();
        assertFalse(report.ok(), "tampering went unnoticed");
        return report.problem().orElseThrow();
    }

    @Test
    void anUntouchedTrailVerifiesAndEndsWithASignedCheckpoint() throws IOException {
        write(5, ONE_SEGMENT);

        ChainVerifier.Report report = verify();

        assertTrue(report.ok(), String.valueOf(report.problem()));
        assertEquals(6, report.records(), "five records and the closing checkpoint");
        assertEquals(1, report.checkpoints());
        assertEquals(6, report.lastSigned());
        assertEquals(0, report.uncovered());
        List<String> lines = lines(onlySegment());
        assertTrue(lines.get(0).startsWith("{\"seq\":1,\"prev\":\"" + ChainFormat.GENESIS + "\",\"schema\":1"),
                lines.get(0));
    }

    @Test
    void oneChangedByteIsFoundAtItsRecord() throws IOException {
        write(5, ONE_SEGMENT);
        Path file = onlySegment();
        List<String> lines = lines(file);
        lines.set(2, lines.get(2).replace("/juminhyo/3", "/juminhyo/4")); // a different resident

        rewrite(file, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.ALTERED, finding.kind(), finding.toString());
        assertEquals(3, finding.line());
        assertEquals(3, finding.seq());
    }

    @Test
    void aDeletedRecordIsFoundWhereItWas() throws IOException {
        write(5, ONE_SEGMENT);
        Path file = onlySegment();
        List<String> lines = lines(file);
        lines.remove(1);

        rewrite(file, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.DELETED, finding.kind(), finding.toString());
        assertEquals(2, finding.line());
        assertEquals(3, finding.seq(), "the record now in its place");
    }

    @Test
    void swappedRecordsAreFoundAsReordered() throws IOException {
        write(5, ONE_SEGMENT);
        Path file = onlySegment();
        List<String> lines = lines(file);
        String second = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, second);

        rewrite(file, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.REORDERED, finding.kind(), finding.toString());
        assertEquals(2, finding.line());
    }

    @Test
    void aForgedRecordIsFoundWhereItWasInserted() throws IOException {
        write(5, ONE_SEGMENT);
        Path file = onlySegment();
        List<String> lines = lines(file);
        // A careful forger: the right next number, and the real hash of the record before.
        String prevHash = ChainFormat.hash(ChainFormat.sha256(), lines.get(1).getBytes(StandardCharsets.UTF_8), 0,
                lines.get(1).getBytes(StandardCharsets.UTF_8).length);
        lines.add(2, new String(ChainFormat.line(3, prevHash, record(99)), StandardCharsets.UTF_8));

        rewrite(file, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.INSERTED, finding.kind(), finding.toString());
        assertEquals(3, finding.line(), "the forged line, not the genuine one after it");
    }

    @Test
    void aTruncatedFileIsFound() throws IOException {
        write(5, ONE_SEGMENT);
        Path file = onlySegment();
        byte[] bytes = Files.readAllBytes(file);

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30));

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.TRUNCATED, finding.kind(), finding.toString());
        assertEquals(6, finding.line());
    }

    @Test
    void aForgedCheckpointSignatureIsFound() throws IOException {
        write(3, ONE_SEGMENT);
        Path file = onlySegment();
        List<String> lines = lines(file);
        String checkpoint = lines.get(3);
        JsonNode parsed = new ObjectMapper().readTree(checkpoint);
        String signature = parsed.path("signature").asText();
        String forged = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        lines.set(3, checkpoint.replace(signature, forged));

        rewrite(file, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.SIGNATURE_INVALID, finding.kind(), finding.toString());
        assertEquals(4, finding.line());
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsNotAccepted() throws IOException {
        write(3, ONE_SEGMENT);
        AuditKey other = AuditKey.loadOrCreate(Files.createDirectories(data.resolve("other-keys")));

        ChainVerifier.Report report = new ChainVerifier(other.publicJwk()).verify(dir);

        assertEquals(ChainVerifier.Problem.SIGNATURE_INVALID, report.problem().orElseThrow().kind());
    }

    @Test
    void rotatedSegmentsEachCloseWithACheckpointAndVerifyAsOneChain() throws IOException {
        write(10, new ChainedSegments.Limits(300, Duration.ofDays(1), Duration.ofMinutes(5)));

        List<Path> segments = ChainedSegments.segments(dir);
        ChainVerifier.Report report = verify();

        assertTrue(segments.size() >= 3, segments.toString());
        assertTrue(report.ok(), String.valueOf(report.problem()));
        assertEquals(segments.size(), report.checkpoints(), "one closing checkpoint per segment");
        for (Path segment : segments) {
            String first = lines(segment).get(0);
            long seq = ChainFormat.head(first).seq();
            assertEquals(ChainFormat.segmentName(seq), segment.getFileName().toString(), "named by its first record");
        }
    }

    @Test
    void aSegmentCutShortOfItsClosingCheckpointIsFound() throws IOException {
        write(10, new ChainedSegments.Limits(300, Duration.ofDays(1), Duration.ofMinutes(5)));
        Path first = ChainedSegments.segments(dir).get(0);
        List<String> lines = lines(first);
        lines.remove(lines.size() - 1);

        rewrite(first, lines);

        ChainVerifier.Finding finding = problem();
        assertEquals(first.getFileName().toString(), finding.file());
        assertEquals(ChainVerifier.Problem.TRUNCATED, finding.kind(), finding.toString());
    }

    @Test
    void segmentsPastTheRetentionArePurgedAndThePurgeIsInTheChain() throws IOException {
        ChainedSegments.Limits limits = new ChainedSegments.Limits(300, Duration.ofDays(1), Duration.ofMinutes(5),
                Duration.ofDays(30));
        write(10, limits);
        List<Path> before = ChainedSegments.segments(dir);
        clock.advance(Duration.ofDays(31));

        write(3, limits); // the next rotation purges what is older than 30 days

        List<Path> after = ChainedSegments.segments(dir);
        assertFalse(after.contains(before.get(0)), "the oldest segment is gone");
        ChainVerifier.Report report = verify();
        assertTrue(report.ok(), String.valueOf(report.problem()));
        assertTrue(AuditFiles.lines(dir).anyMatch(line -> line.contains("\"kind\":\"purge\"")
                && line.contains(before.get(0).getFileName().toString())));
    }

    @Test
    void oldSegmentsDeletedByHandAreNotTakenForAPurge() throws IOException {
        write(10, new ChainedSegments.Limits(300, Duration.ofDays(1), Duration.ofMinutes(5)));

        Files.delete(ChainedSegments.segments(dir).get(0));

        ChainVerifier.Finding finding = problem();
        assertEquals(ChainVerifier.Problem.DELETED, finding.kind(), finding.toString());
        assertEquals(1, finding.line());
    }

    @Test
    void checkpointsAreSignedEveryFewMinutesWhileRecordsArrive() throws IOException {
        ChainedSegments trail = ChainedSegments.open(dir, key, clock, ZoneId.of("Asia/Tokyo"), ONE_SEGMENT);
        trail.append(record(1));
        trail.checkpointIfDue();
        clock.advance(Duration.ofMinutes(5));
        trail.checkpointIfDue();
        trail.checkpointIfDue(); // nothing new since: no second one
        trail.append(record(2));
        trail.flush(true);

        List<String> lines = lines(onlySegment());
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).contains("\"kind\":\"checkpoint\""), lines.get(1));
        ChainVerifier.Report report = verify();
        assertTrue(report.ok());
        assertEquals(2, report.lastSigned());
        assertEquals(1, report.uncovered(), "the record after the checkpoint waits for the next one");
    }

    @Test
    void aRecordTornByACrashIsCutOnRestartAndTheCutIsRecorded() throws IOException {
        ChainedSegments trail = ChainedSegments.open(dir, key, clock, ZoneId.of("Asia/Tokyo"), ONE_SEGMENT);
        for (int i = 1; i <= 3; i++) {
            trail.append(record(i));
        }
        trail.flush(true); // then the process dies mid-write of the next record, without closing:
        byte[] torn = ChainFormat.line(4, "0".repeat(64), record(4));
        Files.write(onlySegment(), java.util.Arrays.copyOf(torn, 40), StandardOpenOption.APPEND);

        ChainedSegments restarted = ChainedSegments.open(dir, key, clock, ZoneId.of("Asia/Tokyo"), ONE_SEGMENT);
        restarted.append(record(5));
        restarted.close();

        ChainVerifier.Report report = verify();
        assertTrue(report.ok(), String.valueOf(report.problem()));
        List<String> lines = lines(onlySegment());
        JsonNode recovery = new ObjectMapper().readTree(lines.get(3));
        assertEquals("recovery", recovery.path("kind").asText());
        assertEquals(40, recovery.path("cutBytes").asLong());
        assertEquals(4, recovery.path("seq").asLong(), "the cut takes the torn record's place in the chain");
        assertTrue(lines.get(4).contains("\"kind\":\"checkpoint\""), "the crashed run's records are signed at once");
        assertTrue(lines.get(5).contains("\"requestId\":\"r5\""));
    }
}
