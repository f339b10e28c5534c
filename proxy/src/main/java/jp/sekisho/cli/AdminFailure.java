package jp.sekisho.cli;

import java.util.List;

/**
 * Why an admin command stops: one line for the person at the terminal, the lines that go with
 * it (each policy error), and the exit code a script tests. Never shown as a stack trace.
 */
final class AdminFailure extends RuntimeException {

    private final int exitCode;
    private final List<String> details;

    AdminFailure(int exitCode, String message) {
        this(exitCode, message, List.of());
    }

    AdminFailure(int exitCode, String message, List<String> details) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> details() {
        return details;
    }
}
