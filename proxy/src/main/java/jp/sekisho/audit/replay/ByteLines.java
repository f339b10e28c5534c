package jp.sekisho.audit.replay;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a file as bytes, undecoded: the JSON parser reads UTF-8 itself and decodes only
 * the strings it is asked for, which halves what a replay costs per record. Blank lines are
 * left out; a last line without a newline (torn by a crash) is still given.
 */
final class ByteLines {

    /** Receives one line: {@code length} bytes of {@code buffer} from {@code offset}, valid only during the call. */
    @FunctionalInterface
    interface Line {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    private static final int CHUNK = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteLines() {
    }

    static void forEach(Path file, Line line) throws IOException {
        forEach(file, line, CHUNK);
    }

    /** As {@link #forEach(Path, Line)}, reading {@code chunk} bytes at first (tests make it small). */
    static void forEach(Path file, Line line, int chunk) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[chunk];
            int start = 0;
            int end = 0;
            int scanned = 0;
            while (true) {
                if (end == buffer.length) {
                    if (start > 0) { // move the unfinished line to the front
                        System.arraycopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        scanned -= start;
                        start = 0;
                    } else { // a line longer than the buffer
                        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                    }
                }
                int read = in.read(buffer, end, buffer.length - end);
                if (read < 0) {
                    break;
                }
                end += read;
                for (int i = newline(buffer, scanned, end); i >= 0; i = newline(buffer, i + 1, end)) {
                    emit(buffer, start, i, line);
                    start = i + 1;
                }
                scanned = end;
                if (start == end) {
                    start = 0;
                    end = 0;
                    scanned = 0;
                }
            }
            emit(buffer, start, end, line);
        }
    }

    /** The first '\n' from {@code from}, or -1; eight bytes at a time, since lines are long. */
    static int newline(byte[] buffer, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(buffer, i) ^ NEWLINES;
            if (((x - ONES) & ~x & HIGHS) != 0) { // some byte of x is zero: a newline in these eight
                break;
            }
        }
        for (; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void emit(byte[] buffer, int start, int end, Line line) throws IOException {
        for (int i = start; i < end; i++) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                line.accept(buffer, start, end - start);
                return;
            }
        }
    }
}
