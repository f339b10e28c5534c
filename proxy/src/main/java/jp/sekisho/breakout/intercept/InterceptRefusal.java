package jp.sekisho.breakout.intercept;

/**
 * Why a request inside an intercepted tunnel was answered 421 instead of forwarded: a tunnel
 * opened for one login host may carry requests for that host only. The codes are stable and
 * kebab-case, for the audit record and metric labels.
 */
public enum InterceptRefusal {
    /** The TLS server name was missing or not the tunnel's host. */
    SNI_MISMATCH("intercept-sni-mismatch"),
    /** The Host header was missing, repeated or not the tunnel's host. */
    HOST_MISMATCH("intercept-host-mismatch"),
    /** The request target was not a path (absolute-form or {@code *}). */
    TARGET_NOT_ORIGIN_FORM("intercept-target-not-origin-form");

    private final String code;

    InterceptRefusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
