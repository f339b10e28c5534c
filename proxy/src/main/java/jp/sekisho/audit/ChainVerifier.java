package jp.sekisho.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Checks an audit directory end to end: every line whole and chained to the one before,
 * sequence numbers without gaps or repeats, every closed segment ending in its checkpoint,
 * and every checkpoint's signature. Reports the first problem by file, line and kind.
 */
public final class ChainVerifier {

    /** What tampering (or damage) a problem most likely is. */
    public enum Problem {
        ALTERED, DELETED, INSERTED, REORDERED, TRUNCATED, MALFORMED, SIGNATURE_INVALID
    }

    /**
     * The outcome. {@code problem} is empty when the chain verified.
     *
     * @param records        records read (checkpoints included)
     * @param checkpoints    signed checkpoints that verified
     * @param lastSigned     the sequence number of the last verified checkpoint, 0 if none
     * @param uncovered      records after it, not yet covered by a signature
     */
    public record Report(int segments, long records, long checkpoints, long lastSigned, long uncovered,
                         Optional<Finding> problem) {
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    /** Where the first problem is: the file, the 1-based line in it, and the record's sequence number if it had one. */
    public record Finding(Problem kind, String file, long line, long seq, String detail) {
        @Override
        public String toString() {
            return file + ":" + line + (seq > 0 ? " (seq " + seq + ")" : "") + ": " + kind.name().toLowerCase()
                    .replace('_', '-') + ": " + detail;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OctetKeyPair key;

    /** @param key the audit public key the auditor holds */
    public ChainVerifier(OctetKeyPair key) {
        this.key = key;
    }

    public Report verify(Path dir) throws IOException {
        List<Path> segments = ChainedSegments.segments(dir);
        MessageDigest sha256 = ChainFormat.sha256();
        long records = 0;
        long checkpoints = 0;
        long lastSigned = 0;
        long expectedSeq = 0; // 0: take the first record's; a later start must be accounted for by a purge record
        String lastHash = null;
        String lastPrev = null;
        ChainFormat.Head first = null;
        boolean startAccounted = false;
        for (int s = 0; s < segments.size(); s++) {
            Path file = segments.get(s);
            String name = file.getFileName().toString();
            byte[] bytes = Files.readAllBytes(file);
            boolean closed = false;
            int start = 0;
            long lineNo = 0;
            while (start < bytes.length) {
                lineNo++;
                int end = indexOf(bytes, start);
                if (end < 0) {
                    return report(segments, records, checkpoints, lastSigned, new Finding(Problem.TRUNCATED, name,
                            lineNo, 0, "the last record is incomplete (cut off mid-write)"));
                }
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                ChainFormat.Head head = ChainFormat.head(line);
                JsonNode record = parse(line);
                if (head == null || record == null) {
                    return report(segments, records, checkpoints, lastSigned, new Finding(Problem.MALFORMED, name,
                            lineNo, head == null ? 0 : head.seq(), "not a chained audit record"));
                }
                if (lastHash != null) {
                    Finding broken = link(head, expectedSeq, lastHash, lastPrev, nextSeq(bytes, end + 1), name, lineNo);
                    if (broken != null) {
                        return report(segments, records, checkpoints, lastSigned, broken);
                    }
                } else if (s == 0 && head.seq() == 1 && !head.prev().equals(ChainFormat.GENESIS)) {
                    return report(segments, records, checkpoints, lastSigned, new Finding(Problem.ALTERED, name,
                            lineNo, 1, "the first record does not start the chain"));
                }
                if (closed) {
                    return report(segments, records, checkpoints, lastSigned, new Finding(Problem.INSERTED, name,
                            lineNo, head.seq(), "a record after the segment's closing checkpoint"));
                }
                if (first == null) {
                    first = head;
                }
                if ("purge".equals(record.path("kind").asText()) && first.seq() > 1
                        && record.path("throughSeq").asLong() == first.seq() - 1
                        && first.prev().equals(record.path("lastHash").asText())) {
                    startAccounted = true;
                }
                if ("checkpoint".equals(record.path("kind").asText())) {
                    byte[] input = ChainFormat.checkpointSigningInput(head.seq(), head.prev(),
                            record.path("time").asText());
                    if (!AuditKey.verify(key, input, record.path("signature").asText())) {
                        return report(segments, records, checkpoints, lastSigned, new Finding(
                                Problem.SIGNATURE_INVALID, name, lineNo, head.seq(),
                                "the checkpoint's signature does not verify with key " + key.getKeyID()));
                    }
                    checkpoints++;
                    lastSigned = head.seq();
                    closed = record.path("closing").asBoolean(false);
                }
                lastHash = ChainFormat.hash(sha256, bytes, start, end - start);
                lastPrev = head.prev();
                expectedSeq = head.seq() + 1;
                records++;
                start = end + 1;
            }
            if (s < segments.size() - 1 && !closed) {
                return report(segments, records, checkpoints, lastSigned, new Finding(Problem.TRUNCATED, name,
                        lineNo, expectedSeq - 1, "the segment ends without its closing checkpoint: records were cut from its end"));
            }
        }
        if (first != null && first.seq() > 1 && !startAccounted) {
            return report(segments, records, checkpoints, lastSigned, new Finding(Problem.DELETED,
                    segments.get(0).getFileName().toString(), 1, first.seq(), "the trail starts at seq " + first.seq()
                    + " and no purge record accounts for the " + (first.seq() - 1) + " record(s) before it"));
        }
                return new Report(segments.size(), records, checkpoints, lastSigned,
                records == 0 ? 0 : expectedSeq - 1 - lastSigned, Optional.empty());
    }

    /**
     * Names what broke the link between the previous record and this one, looking one record
     * ahead to tell a swap or an intruder from a deletion.
     *
     * @param lastPrev the previous record's own {@code prev}
     * @param nextSeq  the next record's sequence number, -1 when there is none
     */
    private static Finding link(ChainFormat.Head head, long expectedSeq, String lastHash, String lastPrev, long nextSeq,
                                String file, long line) {
        if (head.seq() > expectedSeq) {
            if (nextSeq == expectedSeq) {
                return head.seq() == expectedSeq + 1
                        ? new Finding(Problem.REORDERED, file, line, head.seq(), "seq " + head.seq() + " comes before seq "
                                + expectedSeq)
                        : new Finding(Problem.INSERTED, file, line, head.seq(), "a record that does not belong to the chain");
            }
            return new Finding(Problem.DELETED, file, line, head.seq(),
                    (head.seq() - expectedSeq) + " record(s) missing before this one (expected seq " + expectedSeq + ")");
        }
        if (head.seq() < expectedSeq - 1) {
            return new Finding(Problem.REORDERED, file, line, head.seq(),
                    "out of order: seq " + head.seq() + " after seq " + (expectedSeq - 1));
        }
        if (head.seq() == expectedSeq - 1) {
            // Two records claim one place; the one whose predecessor the other skips is the intruder.
            return head.prev().equals(lastPrev)
                    ? new Finding(Problem.INSERTED, file, line - 1, head.seq(), "a forged record before seq " + head.seq()
                            + " claims its place")
                    : new Finding(Problem.INSERTED, file, line, head.seq(), "a second record with seq " + head.seq());
        }
        if (!head.prev().equals(lastHash)) {
            return new Finding(Problem.ALTERED, file, line - 1, head.seq() - 1,
                    "its content no longer matches the hash the next record holds");
        }
        return null;
    }

    /** The sequence number of the record starting at {@code from}, or -1. */
    private static long nextSeq(byte[] bytes, int from) {
        int end = indexOf(bytes, from);
        if (end < 0) {
            return -1;
        }
        ChainFormat.Head head = ChainFormat.head(new String(bytes, from, Math.min(end - from, 120),
                StandardCharsets.UTF_8));
        return head == null ? -1 : head.seq();
    }

    private static Report report(List<Path> segments, long records, long checkpoints, long lastSigned, Finding f) {
        return new Report(segments.size(), records, checkpoints, lastSigned, 0, Optional.of(f));
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
