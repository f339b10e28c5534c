package jp.sekisho.gateway;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The request's place in a W3C Trace Context trace (https://www.w3.org/TR/trace-context/).
 * Sekisho is one hop: it keeps the caller's trace id and sampling flag and names itself the
 * parent of the upstream's span; a request without a valid {@code traceparent} starts a trace.
 *
 * @param traceId   32 lowercase hex digits
 * @param spanId    Sekisho's span: the {@code parent-id} the upstream sees
 * @param flags     the trace flags, as two hex digits
 * @param continued true when the caller sent a valid {@code traceparent} (its {@code tracestate} then goes on too)
 */
record TraceContext(String traceId, String spanId, String flags, boolean continued) {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    private static final int VERSION_00_LENGTH = 55;

    /** Continues the caller's trace, or starts one when {@code traceparent} is absent or invalid. */
    static TraceContext from(String traceparent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String spanId = nonZeroHex(random, 1);
        if (traceparent != null && isValid(traceparent)) {
            return new TraceContext(traceparent.substring(3, 35), spanId, traceparent.substring(53, 55), true);
        }
        return new TraceContext(nonZeroHex(random, 2), spanId, "00", false);
    }

    /** The {@code traceparent} to send upstream. */
    String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /**
     * Version 00 exactly; a later version by its first 55 characters followed by a dash, as the
     * specification asks of a parser that knows only 00. Version ff is invalid.
     */
    static boolean isValid(String value) {
        if (value.length() < VERSION_00_LENGTH || !isHex(value, 0, 2) || value.startsWith("ff")) {
            return false;
        }
        boolean version00 = value.startsWith("00");
        if (version00 ? value.length() != VERSION_00_LENGTH
                : value.length() > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-') {
            return false;
        }
        return value.charAt(2) == '-' && value.charAt(35) == '-' && value.charAt(52) == '-'
                && isHex(value, 3, 35) && !isZero(value, 3, 35)
                && isHex(value, 36, 52) && !isZero(value, 36, 52)
                && isHex(value, 53, 55);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false; // uppercase is invalid too
            }
        }
        return true;
    }

    private static boolean isZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** {@code longs} random 64-bit values as hex, never all zeros. */
    private static String nonZeroHex(ThreadLocalRandom random, int longs) {
        StringBuilder hex = new StringBuilder(16 * longs);
        long last = 0;
        for (int i = 0; i < longs; i++) {
            last = random.nextLong();
            if (i == longs - 1 && last == 0) {
                last = 1;
            }
            String part = Long.toHexString(last);
            hex.append("0".repeat(16 - part.length())).append(part);
        }
        return hex.toString();
    }
}
