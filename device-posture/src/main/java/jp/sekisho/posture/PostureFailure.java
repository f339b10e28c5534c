package jp.sekisho.posture;

/**
 * Why a device does not meet an app's posture requirement, or why its evidence was refused.
 * Each has a stable kebab-case code; the policy's reason vocabulary carries the same codes,
 * so a user's denial page, the audit record and the metric all name the same check.
 */
public enum PostureFailure {
    // The evidence
    DEVICE_UNKNOWN("device-unknown"),
    DEVICE_CERTIFICATE_REQUIRED("device-certificate-required"),
    DEVICE_POSTURE_MISSING("device-posture-missing"),
    DEVICE_TOKEN_INVALID("device-token-invalid"),
    DEVICE_TOKEN_EXPIRED("device-token-expired"),
    DEVICE_TOKEN_LIFETIME_TOO_LONG("device-token-lifetime-too-long"),
    DEVICE_TOKEN_AUDIENCE_MISMATCH("device-token-audience-mismatch"),
    DEVICE_TOKEN_ISSUER_UNKNOWN("device-token-issuer-unknown"),
    DEVICE_TOKEN_CERTIFICATE_MISMATCH("device-token-certificate-mismatch"),
    // The facts
    DEVICE_NOT_MANAGED("device-not-managed"),
    DEVICE_NOT_COMPLIANT("device-not-compliant"),
    DEVICE_EDR_NOT_RUNNING("device-edr-not-running"),
    DEVICE_EDR_RISK_TOO_HIGH("device-edr-risk-too-high"),
    DEVICE_DISK_NOT_ENCRYPTED("device-disk-not-encrypted"),
    DEVICE_SCREEN_LOCK_OFF("device-screen-lock-off"),
    DEVICE_OS_TOO_OLD("device-os-too-old"),
    DEVICE_PATCH_TOO_OLD("device-patch-too-old"),
    DEVICE_POSTURE_STALE("device-posture-stale");

    private final String code;

    PostureFailure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
