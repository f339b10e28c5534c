package jp.sekisho.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The whole records of a segment file, read when the trail reopens: where the torn part (if
 * any) begins, the last record's sequence number and hash, whether a closing checkpoint ends
 * the file, and how many records after the last checkpoint are not yet signed.
 */
record SegmentTail(long goodLength, long lastSeq, String lastHash, boolean closed, long unsigned) {

    static SegmentTail of(byte[] bytes, MessageDigest sha256) {
        long good = 0;
        long lastSeq = 0;
        String lastHash = null;
        boolean closed = false;
        long unsigned = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            ChainFormat.Head head = ChainFormat.head(line);
            if (head == null || (lastHash != null && (!head.prev().equals(lastHash) || head.seq() != lastSeq + 1))
                    || !line.endsWith("}")) {
                break; // not a whole record that follows the last one: the torn part starts here
            }
            lastSeq = head.seq();
            lastHash = ChainFormat.hash(sha256, bytes, start, i - start);
            boolean checkpoint = line.contains("\"kind\":\"checkpoint\"");
            closed = checkpoint && line.contains("\"closing\":true");
            unsigned = checkpoint ? 0 : unsigned + 1;
            good = i + 1;
            start = i + 1;
        }
        return new SegmentTail(good, lastSeq, lastHash, closed, unsigned);
    }
}
