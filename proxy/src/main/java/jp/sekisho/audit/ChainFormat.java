package jp.sekisho.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How records are chained on disk, shared by the writer and the verifier. Each line is a JSON
 * object that begins {@code {"seq":N,"prev":"H",} where {@code N} counts every record ever
 * written and {@code H} is the SHA-256 (hex) of the previous line's bytes, without its newline.
 * The line's bytes as written are its canonical form: nothing is re-encoded to check it.
 */
final class ChainFormat {

    /** The {@code prev} of the very first record. */
    static final String GENESIS = "0".repeat(64);
    static final String SEGMENT_PREFIX = "audit-";
    static final String SEGMENT_SUFFIX = ".jsonl";

    private static final Pattern HEAD = Pattern.compile("^\\{\"seq\":(\\d{1,19}),\"prev\":\"([0-9a-f]{64})\",");
    private static final HexFormat HEX = HexFormat.of();

    private ChainFormat() {
    }

    /** The line for {@code body} (a JSON object), chained after {@code prev}, without the newline. */
    static byte[] line(long seq, String prev, byte[] body) {
        if (body.length < 2 || body[0] != '{') {
            throw new IllegalArgumentException("a record is a JSON object");
        }
        byte[] head = ("{\"seq\":" + seq + ",\"prev\":\"" + prev + "\",").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + body.length - 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(body, 1, line, head.length, body.length - 1);
        return line;
    }

    static String hash(MessageDigest sha256, byte[] line, int offset, int length) {
        sha256.reset();
        sha256.update(line, offset, length);
        return HEX.formatHex(sha256.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A line's sequence number and predecessor's hash, or null when it does not begin as a chained record. */
    static Head head(String line) {
        Matcher m = HEAD.matcher(line);
        if (!m.lookingAt()) {
            return null;
        }
        try {
            return new Head(Long.parseLong(m.group(1)), m.group(2));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    record Head(long seq, String prev) {
    }

    /** What a checkpoint's signature covers: its own place in the chain, the hash before it, and its time. */
    static byte[] checkpointSigningInput(long seq, String prev, String time) {
        return ("sekisho-audit-checkpoint\n" + seq + "\n" + prev + "\n" + time).getBytes(StandardCharsets.UTF_8);
    }

    /** Segment files are named by the sequence number of their first record, so names sort in chain order. */
    static String segmentName(long firstSeq) {
        return SEGMENT_PREFIX + String.format("%016d", firstSeq) + SEGMENT_SUFFIX;
    }

    static boolean isSegment(String fileName) {
        return fileName.startsWith(SEGMENT_PREFIX) && fileName.endsWith(SEGMENT_SUFFIX);
    }
}
