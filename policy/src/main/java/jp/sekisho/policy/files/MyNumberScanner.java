package jp.sekisho.policy.files;

/**
 * Finds 個人番号 (My Number) in a stream of UTF-8 bytes, chunk by chunk: twelve digits whose
 * last is the check digit of the first eleven, written together or in groups of four
 * separated by one space or hyphen, in ASCII or full-width digits, and not part of a longer
 * number. State carries across chunks, so a number split between two chunks is still found.
 * Nothing is buffered beyond the current number.
 */
public final class MyNumberScanner {

    private final int[] digits = new int[12];
    private int length;          // digits in the current run; -1 once the run is too long
    private boolean afterSeparator;
    private int found;
    // a full-width digit is EF BC 90..99: how many of its bytes have been seen
    private int pendingFullWidth;

    /** Reads the next bytes of the stream. */
    public void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            accept(bytes[i] & 0xff);
        }
    }

    /** The stream ended: a number at its very end counts too. */
    public void end() {
        endRun();
    }

    /** How many numbers with a valid check digit were seen. */
    public int found() {
        return found;
    }

    private void accept(int b) {
        if (pendingFullWidth == 1) {
            pendingFullWidth = b == 0xBC ? 2 : 0;
            if (pendingFullWidth == 0) {
                endRun();
                accept(b);
            }
            return;
        }
        if (pendingFullWidth == 2) {
            pendingFullWidth = 0;
            if (b >= 0x90 && b <= 0x99) {
                digit(b - 0x90);
            } else {
                endRun();
            }
            return;
        }
        if (b >= '0' && b <= '9') {
            digit(b - '0');
        } else if ((b == ' ' || b == '-') && !afterSeparator && (length == 4 || length == 8)) {
            afterSeparator = true;
        } else if (b == 0xEF) {
            pendingFullWidth = 1; // maybe a full-width digit; the run goes on only if it is one
        } else {
            endRun();
        }
    }

    private void digit(int value) {
        afterSeparator = false;
        if (length < 0) {
            return; // inside a number longer than twelve digits
        }
        if (length == 12) {
            length = -1;
            return;
        }
        digits[length++] = value;
    }

    private void endRun() {
        if (length == 12 && !afterSeparator && checkDigitHolds()) {
            found++;
        }
        length = 0;
        afterSeparator = false;
    }

    /** 番号法施行規則: check digit = 11 - (Σ Pn × Qn mod 11), or 0 when that remainder is 0 or 1. */
    private boolean checkDigitHolds() {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = digits[11 - n];
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int remainder = sum % 11;
        int check = remainder <= 1 ? 0 : 11 - remainder;
        return digits[11] == check;
    }

    /** True when {@code twelveDigits} is a My Number with a valid check digit (for tests and tools). */
    public static boolean isValid(String twelveDigits) {
        MyNumberScanner scanner = new MyNumberScanner();
        byte[] bytes = twelveDigits.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        scanner.feed(bytes, 0, bytes.length);
        scanner.end();
        return scanner.found() == 1;
    }
}
