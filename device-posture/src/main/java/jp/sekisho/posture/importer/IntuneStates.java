package jp.sekisho.posture.importer;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.posture.DeviceFacts.Compliance;

/** What Intune's {@code complianceState} and {@code managementState} values mean for posture. */
final class IntuneStates {

    private static final Map<String, Compliance> COMPLIANCE = Map.of(
            "compliant", Compliance.COMPLIANT,
            "noncompliant", Compliance.NONCOMPLIANT,
            // A conflict or an error means Intune could not confirm compliance: not compliant.
            "conflict", Compliance.NONCOMPLIANT,
            "error", Compliance.NONCOMPLIANT,
            "ingraceperiod", Compliance.IN_GRACE_PERIOD,
            "unknown", Compliance.UNKNOWN,
            // Configuration Manager judges these devices; its verdict is not in the Intune export.
            "configmanager", Compliance.UNKNOWN);

    // The device is enrolled and stays so (a cancelled retire or wipe leaves it managed).
    private static final Set<String> MANAGED = Set.of("managed", "retirecanceled", "wipecanceled");

    // The device is leaving management, or was only discovered and never enrolled.
    private static final Set<String> NOT_MANAGED = Set.of("retirepending", "retireissued", "retirefailed",
            "wipepending", "wipeissued", "wipefailed", "deletepending", "discovered");

    private IntuneStates() {
    }

    /** The compliance verdict, empty for a value Intune does not document. */
    static Optional<Compliance> compliance(String complianceState) {
        return Optional.ofNullable(COMPLIANCE.get(complianceState.toLowerCase(Locale.ROOT)));
    }

    /** Whether the device is managed, empty when the state does not say (e.g. {@code unhealthy}). */
    static Optional<Boolean> managed(String managementState) {
        String key = managementState.toLowerCase(Locale.ROOT);
        if (MANAGED.contains(key)) {
            return Optional.of(true);
        }
        if (NOT_MANAGED.contains(key)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }
}
