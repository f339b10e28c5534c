package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.DeviceFacts.OperatingSystem;
import jp.sekisho.posture.OsVersion;

/**
 * Device records from a Microsoft Intune export of {@code GET /deviceManagement/managedDevices}
 * (Microsoft Graph), as the Graph response or as a plain array of managed devices. Mapping:
 * {@code docs/device-posture-importers.md}.
 *
 * <p>Intune states neither patch age nor screen lock, so both stay unknown.
 */
public final class IntuneManagedDevices {

    /** The {@code observed_at} source Intune's facts are dated under. */
    public static final String SOURCE = "mdm";
    static final String EXPORT = "Intune managedDevices";

    // What Graph writes for a time that never happened, e.g. a device that never synced.
    private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    private IntuneManagedDevices() {
    }

    /** The records, each named by its Entra ID (Azure AD) device id. */
    public static ImportResult read(JsonNode export) {
        return read(export, DeviceIdSource.AZURE_AD_DEVICE_ID);
    }

    /** The records, each named by the given field. */
    public static ImportResult read(JsonNode export, DeviceIdSource idSource) {
        List<String> warnings = new ArrayList<>();
        List<DeviceFacts> records = devices(export, idSource, warnings).stream().map(IntuneDevice::facts).toList();
        return new ImportResult(records, warnings);
    }

    /** A device's record, and its Entra ID device id, by which Defender machines are joined to it. */
    record IntuneDevice(DeviceFacts facts, Optional<String> azureAdDeviceId) {
    }

    static List<IntuneDevice> devices(JsonNode export, DeviceIdSource idSource, List<String> warnings) {
        Objects.requireNonNull(idSource, "idSource");
        List<JsonNode> entries = ExportEntries.of(export, EXPORT, warnings);
        List<IntuneDevice> devices = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (!entry.isObject()) {
                warnings.add("Intune device #" + (i + 1) + " is not a JSON object; skipped");
                continue;
            }
            String label = JsonFields.label("Intune device", i, entry, "deviceName", "id");
            device(entry, idSource, label, warnings).ifPresent(devices::add);
        }
        return DeviceIds.keepUnique(devices, IntuneDevice::facts, SOURCE, EXPORT, warnings);
    }

    private static Optional<IntuneDevice> device(JsonNode entry, DeviceIdSource idSource, String label,
                                                 List<String> warnings) {
        Optional<String> azureAdDeviceId = JsonFields.text(entry, "azureADDeviceId", label, warnings)
                .filter(id -> !id.equals(DeviceIds.NIL_GUID));
        Optional<String> id = idSource == DeviceIdSource.AZURE_AD_DEVICE_ID ? azureAdDeviceId
                : JsonFields.text(entry, idSource.intuneField(), label, warnings);
        if (id.isEmpty()) {
            warnings.add(label + ": no usable " + idSource.intuneField() + "; skipped");
            return Optional.empty();
        }
        DeviceFacts facts = new DeviceFacts(id.get(), managed(entry, label, warnings),
                compliance(entry, label, warnings), Optional.empty(),
                JsonFields.bool(entry, "isEncrypted", label, warnings), Optional.empty(),
                os(entry, label, warnings), observedAt(entry, label, warnings));
        return Optional.of(new IntuneDevice(facts, azureAdDeviceId));
    }

    /** Every device in the export is enrolled, unless its state says it is leaving management. */
    private static Optional<Boolean> managed(JsonNode entry, String label, List<String> warnings) {
        Optional<String> state = JsonFields.text(entry, "managementState", label, warnings);
        if (state.isEmpty()) {
            return Optional.of(true);
        }
        Optional<Boolean> managed = IntuneStates.managed(state.get());
        if (managed.isEmpty()) {
            warnings.add(label + ": managementState \"" + state.get() + "\" does not say whether the device is"
                    + " managed; left unknown");
        }
        return managed;
    }

    private static Compliance compliance(JsonNode entry, String label, List<String> warnings) {
        // Intune's own policy usually catches a jailbreak, but the detection is authoritative on its own.
        JsonNode jailBroken = entry.get("jailBroken");
        if (jailBroken != null && jailBroken.asText().equalsIgnoreCase("true")) {
            return Compliance.NONCOMPLIANT;
        }
        Optional<String> state = JsonFields.text(entry, "complianceState", label, warnings);
        if (state.isEmpty()) {
            warnings.add(label + ": no complianceState; compliance unknown");
            return Compliance.UNKNOWN;
        }
        Optional<Compliance> compliance = IntuneStates.compliance(state.get());
        if (compliance.isEmpty()) {
            warnings.add(label + ": unknown complianceState \"" + state.get() + "\"; compliance unknown");
        }
        return compliance.orElse(Compliance.UNKNOWN);
    }

    private static Optional<OperatingSystem> os(JsonNode entry, String label, List<String> warnings) {
        Optional<String> name = JsonFields.text(entry, "operatingSystem", label, warnings);
        if (name.isEmpty()) {
            warnings.add(label + ": no operatingSystem; os unknown");
            return Optional.empty();
        }
        Optional<String> platform = OsPlatforms.fromIntune(name.get());
        if (platform.isEmpty()) {
            warnings.add(label + ": unknown operatingSystem \"" + name.get() + "\"; os unknown");
            return Optional.empty();
        }
        Optional<String> versionText = JsonFields.text(entry, "osVersion", label, warnings);
        Optional<OsVersion> version = versionText.flatMap(OsVersion::parse);
        if (version.isEmpty()) {
            warnings.add(label + ": osVersion " + versionText.map(v -> "\"" + v + "\" is not dotted numbers")
                    .orElse("is missing") + "; os unknown");
            return Optional.empty();
        }
        return Optional.of(new OperatingSystem(platform.get(), version.get(), Optional.empty()));
    }

    private static Map<String, Instant> observedAt(JsonNode entry, String label, List<String> warnings) {
        Optional<Instant> lastSync = JsonFields.instant(entry, "lastSyncDateTime", SOURCE, label, warnings);
        if (lastSync.isEmpty()) {
            // Undated facts are dated "never", so a freshness requirement refuses them instead of
            // another source's fresh time letting them pass.
            return Map.of(SOURCE, Instant.EPOCH);
        }
        // Kept as written: a device that never synced must look as stale as it is.
        if (lastSync.get().equals(NEVER)) {
            warnings.add(label + ": lastSyncDateTime is " + NEVER + ": the device has never synced");
        }
        return Map.of(SOURCE, lastSync.get());
    }
}
