package jp.sekisho.audit.replay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Objects rebuilt from JSON, kept by the exact bytes they were read from: the trail repeats a
 * user's token and a device's facts request after request, and comparing bytes costs far less
 * than decoding them into sets, maps and instants again.
 *
 * <p>Looked up before the object is parsed, where only its start is known: the slot is chosen
 * by the object's first {@value #LEAD} bytes (which name the subject, or the device), and the
 * slot's object is taken when the line holds its bytes exactly from there on. A JSON object
 * ends where its bytes say, so equal bytes are the same object, wherever the line goes on.
 * Direct-mapped and bounded: a slot keeps the last object put there.
 *
 * @param <V> the rebuilt object; immutable, since requests share it
 */
final class SliceCache<V> {

    static final int LEAD = 96;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[][] keys;
    private final Object[] values;
    private final int mask;

    /** @param slots a power of two */
    SliceCache(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.keys = new byte[slots][];
        this.values = new Object[slots];
        this.mask = slots - 1;
    }

    /** The slot for an object starting at {@code from}, in a line ending at {@code end}. */
    int slot(byte[] line, int from, int end) {
        int to = Math.min(end, from + LEAD);
        long h = to - from;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(line, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < to; i++) {
            h = (h ^ line[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The length of the slot's object when {@code line} holds its bytes from {@code from}, else -1. */
    int match(int slot, byte[] line, int from, int end) {
        byte[] key = keys[slot];
        return key != null && key.length <= end - from && Arrays.equals(key, 0, key.length, line, from,
                from + key.length) ? key.length : -1;
    }

    @SuppressWarnings("unchecked")
    V value(int slot) {
        return (V) values[slot];
    }

    void put(int slot, byte[] line, int from, int to, V value) {
        keys[slot] = Arrays.copyOfRange(line, from, to);
        values[slot] = value;
    }
}
