package jp.sekisho.policy;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.PostureFailure;

/**
 * The closed vocabulary of why a request was let in or refused.
 *
 * <p>Codes are stable kebab-case strings used alike in audit records, metric labels, error
 * responses and (later) the denial page, so an operator can follow one code from a user's
 * screen to a dashboard to an audit export. Never add a code derived from raw input.
 */
public enum Reason {
    // Allowed
    USER_ALLOWED("user-allowed"),
    GROUP_ALLOWED("group-allowed"),
    /** Admitted by the identity's claims (such as its department). */
    CLAIMS_ALLOWED("claims-allowed"),
    /** A proxy endpoint anyone may read, such as the assertion keys. */
    PUBLIC_ENDPOINT("public-endpoint"),
    /** A step of the browser sign-in (redirect to the IdP, callback, logout). */
    LOGIN_FLOW("login-flow"),
    /** A CORS preflight, let through without identity because the app allows it. */
    ANONYMOUS_PREFLIGHT("anonymous-preflight"),
    /** Local breakout: the destination is on the allowlist and the entry admits the user. */
    BREAKOUT_ALLOWED("breakout-allowed"),
    /** Local breakout: not on the allowlist, so chained to the segment's parent proxy (the security cloud). */
    BREAKOUT_CHAINED("breakout-chained"),

    // Refused by the app's policy
    USER_NOT_ALLOWED("user-not-allowed"),
    /** A rule admits the user, but not from the network segment the request came from. */
    SEGMENT_NOT_ALLOWED("segment-not-allowed"),
    /** A rule admits the user, but not at this time (outside its time windows). */
    TIME_NOT_ALLOWED("time-not-allowed"),
    /** A rule admits the user, but not this method or path. */
    REQUEST_NOT_ALLOWED("request-not-allowed"),
    /** A deny rule matched; deny wins over every allow rule. */
    DENIED_BY_RULE("denied-by-rule"),
    /** The app's file controls do not let this segment's terminals download files from it. */
    DOWNLOAD_BLOCKED("download-blocked"),
    /** An upload carried personal data the app's file controls refuse (a 個人番号). */
    PERSONAL_DATA_DETECTED("personal-data-detected"),

    // Refused by the local-breakout allowlist
    /** No allowlist entry lists the destination, and the segment has no parent proxy. */
    DESTINATION_NOT_ALLOWED("destination-not-allowed"),
    /** The destination is listed, but not on this port. */
    DESTINATION_PORT_NOT_ALLOWED("destination-port-not-allowed"),
    /** The client named an IP address that no entry lists. */
    DESTINATION_IP_LITERAL("destination-ip-literal"),
    /** The destination could not be read (not a host name or IP address, no port). */
    DESTINATION_INVALID("destination-invalid"),
    /** The name resolved to a loopback, link-local or private address, which the entry does not allow. */
    DESTINATION_PRIVATE_ADDRESS("destination-private-address"),
    /** The name did not resolve. */
    DESTINATION_UNRESOLVED("destination-unresolved"),
    /** The service's ISMAP registration has expired. */
    ISMAP_EXPIRED("ismap-expired"),
    /** The service's ISMAP registration is not valid yet. */
    ISMAP_NOT_YET_VALID("ismap-not-yet-valid"),

    // Cut off by an operator: refused everywhere until released
    DEVICE_QUARANTINED("device-quarantined"),
    USER_QUARANTINED("user-quarantined"),

    // The device does not meet the app's posture requirement (codes as in PostureFailure)
    DEVICE_UNKNOWN("device-unknown"),
    DEVICE_CERTIFICATE_REQUIRED("device-certificate-required"),
    DEVICE_POSTURE_MISSING("device-posture-missing"),
    DEVICE_TOKEN_INVALID("device-token-invalid"),
    DEVICE_TOKEN_EXPIRED("device-token-expired"),
    DEVICE_TOKEN_LIFETIME_TOO_LONG("device-token-lifetime-too-long"),
    DEVICE_TOKEN_AUDIENCE_MISMATCH("device-token-audience-mismatch"),
    DEVICE_TOKEN_ISSUER_UNKNOWN("device-token-issuer-unknown"),
    DEVICE_TOKEN_CERTIFICATE_MISMATCH("device-token-certificate-mismatch"),
    DEVICE_NOT_MANAGED("device-not-managed"),
    DEVICE_NOT_COMPLIANT("device-not-compliant"),
    DEVICE_EDR_NOT_RUNNING("device-edr-not-running"),
    DEVICE_EDR_RISK_TOO_HIGH("device-edr-risk-too-high"),
    DEVICE_DISK_NOT_ENCRYPTED("device-disk-not-encrypted"),
    DEVICE_SCREEN_LOCK_OFF("device-screen-lock-off"),
    DEVICE_OS_TOO_OLD("device-os-too-old"),
    DEVICE_PATCH_TOO_OLD("device-patch-too-old"),
    DEVICE_POSTURE_STALE("device-posture-stale"),

    // The user may pass, but must authenticate more strongly or more recently first
    MFA_METHOD_MISSING("mfa-method-missing"),
    MFA_FACTORS_INSUFFICIENT("mfa-factors-insufficient"),
    MFA_TOO_OLD("mfa-too-old"),
    MFA_AUTH_TIME_MISSING("mfa-auth-time-missing"),

    // Who the user is could not be established
    TOKEN_MISSING("token-missing"),
    TOKEN_MALFORMED("token-malformed"),
    TOKEN_TOO_LARGE("token-too-large"),
    TOKEN_ALGORITHM_NOT_ALLOWED("token-algorithm-not-allowed"),
    TOKEN_TYPE_NOT_ALLOWED("token-type-not-allowed"),
    TOKEN_ISSUER_UNKNOWN("token-issuer-unknown"),
    /** A known issuer, but not one this app accepts users from. */
    ISSUER_NOT_ACCEPTED("issuer-not-accepted"),
    TOKEN_KEY_UNKNOWN("token-key-unknown"),
    TOKEN_SIGNATURE_INVALID("token-signature-invalid"),
    TOKEN_EXPIRED("token-expired"),
    TOKEN_NOT_YET_VALID("token-not-yet-valid"),
    TOKEN_ISSUED_IN_FUTURE("token-issued-in-future"),
    TOKEN_AUDIENCE_MISMATCH("token-audience-mismatch"),
    TOKEN_CLAIMS_INVALID("token-claims-invalid"),
    ISSUER_KEYS_UNAVAILABLE("issuer-keys-unavailable"),
    SESSION_INVALID("session-invalid"),
    SESSION_EXPIRED("session-expired"),
    SESSION_REVOKED("session-revoked"),
    LOGIN_FAILED("login-failed"),

    // Refused before a decision could be made
    APP_UNKNOWN("app-unknown"),
    PATH_INVALID("path-invalid"),
    REQUEST_INVALID("request-invalid"),
    METHOD_NOT_ALLOWED("method-not-allowed"),
    REQUEST_LINE_TOO_LONG("request-line-too-long"),
    REQUEST_HEADERS_TOO_LARGE("request-headers-too-large"),
    /** The body is longer than the listener allows (announced, or counted as it streamed). */
    REQUEST_BODY_TOO_LARGE("request-body-too-large"),
    /** The checks did not finish in time (an IdP, key file or upstream pool too slow); nothing was forwarded. */
    PROCESSING_TIMEOUT("processing-timeout"),
    /** Strict audit mode: the decision record could not be made durable, so the request was not forwarded. */
    AUDIT_UNAVAILABLE("audit-unavailable"),
    /** The listener holds as many connections as it may; try again shortly. */
    TOO_MANY_CONNECTIONS("too-many-connections"),

    // Allowed, but the upstream did not answer properly
    UPSTREAM_UNREACHABLE("upstream-unreachable"),
    UPSTREAM_TIMEOUT("upstream-timeout"),
    /** The upstream's certificate could not be verified (untrusted CA, wrong host name, expired), or TLS failed. */
    UPSTREAM_TLS_FAILED("upstream-tls-failed"),
    UPSTREAM_FAILED("upstream-failed"),
    /** Chained to the parent proxy, which refused or failed the tunnel. */
    PARENT_PROXY_FAILED("parent-proxy-failed"),

    // Anything unexpected: refused, never forwarded
    INTERNAL_ERROR("internal-error");

    private static final Map<String, Reason> BY_CODE = new HashMap<>();

    private static final Map<PostureFailure, Reason> BY_POSTURE_FAILURE = new EnumMap<>(PostureFailure.class);

    static {
        for (Reason reason : values()) {
            BY_CODE.put(reason.code, reason);
        }
        for (PostureFailure failure : PostureFailure.values()) {
            Reason reason = BY_CODE.get(failure.code());
            if (reason == null) {
                throw new ExceptionInInitializerError("no reason for posture failure " + failure.code());
            }
            BY_POSTURE_FAILURE.put(failure, reason);
        }
    }

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The stable kebab-case code. */
    public String code() {
        return code;
    }

    /** True for the reasons that name a device posture check (each unmet one is listed to the user). */
    public boolean isPostureCheck() {
        return BY_POSTURE_FAILURE.containsValue(this);
    }

    /** The reason that names the same check as a posture failure. */
    public static Reason of(PostureFailure failure) {
        return BY_POSTURE_FAILURE.get(failure);
    }

    public static Optional<Reason> fromCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
