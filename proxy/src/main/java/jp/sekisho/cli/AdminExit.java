package jp.sekisho.cli;

/**
 * The exit codes of {@code sekisho admin}: what a script needs to tell apart, whatever the
 * subcommand. Documented in every subcommand's help and in docs/admin.md.
 */
final class AdminExit {

    static final int OK = 0;
    /** The proxy refused: no or a bad token, a missing role, or nothing of that name within reach. */
    static final int REFUSED = 1;
    /** The input was wrong: options, a file, an invalid policy. Also picocli's own usage errors. */
    static final int INVALID = 2;
    /** The proxy could not be reached, or failed. */
    static final int UNAVAILABLE = 3;
    /** Someone else changed it since it was read (412), or the read's ETag is missing (428). */
    static final int CONFLICT = 4;

    /** The exit codes as {@code --help} lists them (picocli's {@code exitCodeList}). */
    static final String HELP_OK = "0:done";
    static final String HELP_REFUSED = "1:refused by the proxy (401, 403, 404): no or a bad token, a missing role,"
            + " or nothing of that name within your tenants";
    static final String HELP_INVALID = "2:invalid input (400, 409, 422, usage): options, a file, a missing token or"
            + " ETag, or a policy the proxy finds invalid";
    static final String HELP_UNAVAILABLE = "3:the proxy could not be reached (network, TLS) or failed (5xx)";
    static final String HELP_CONFLICT = "4:conflict (412, 428): it changed since you read it; get it again";

    private AdminExit() {
    }

    /** The exit code for an HTTP status the admin API answered with. */
    static int of(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 401, 403, 404 -> REFUSED;
            case 412, 428 -> CONFLICT;
            default -> status >= 400 && status < 500 ? INVALID : UNAVAILABLE;
        };
    }
}
