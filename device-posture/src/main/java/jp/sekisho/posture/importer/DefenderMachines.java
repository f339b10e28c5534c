package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.DeviceFacts.Edr;
import jp.sekisho.posture.DeviceFacts.Risk;

/**
 * EDR facts from a Microsoft Defender for Endpoint export of {@code GET /api/machines}, as the
 * API response or as a plain array of machines. Each record holds only the EDR fact and its
 * time; {@link DeviceRecords} joins it to the device's management record.
 */
public final class DefenderMachines {

    /** The {@code observed_at} source Defender's facts are dated under. */
    public static final String SOURCE = "edr";
    public static final String VENDOR = "Microsoft Defender for Endpoint";
    static final String EXPORT = "Defender machines";

    // Every other documented healthStatus (Inactive, ImpairedCommunication, NoSensorData, ...) means
    // the sensor is not reporting, which is what "running" must guarantee.
    private static final Set<String> NOT_RUNNING = Set.of("inactive", "impairedcommunication", "nosensordata",
            "nosensordataimpairedcommunication", "unknown");

    private static final Map<String, Risk> RISK = Map.of("none", Risk.NONE, "informational", Risk.INFORMATIONAL,
            "low", Risk.LOW, "medium", Risk.MEDIUM, "high", Risk.HIGH);

    private DefenderMachines() {
    }

    /** The records, each named by the machine's Entra ID (Azure AD) device id. */
    public static ImportResult read(JsonNode export) {
        return read(export, DeviceIdSource.AZURE_AD_DEVICE_ID);
    }

    /**
     * The records, each named by the machine's Entra ID device id, or for {@link DeviceIdSource#DEVICE_NAME}
     * by the first label of its DNS name ({@code lg-pc-0001} for {@code lg-pc-0001.soumu.example.lg.jp}).
     *
     * @throws IllegalArgumentException for an id Defender does not know (Intune id, serial number):
     *                                  {@link DeviceRecords#fromExports} joins those through Intune
     */
    public static ImportResult read(JsonNode export, DeviceIdSource idSource) {
        Objects.requireNonNull(idSource, "idSource");
        if (!idSource.knownToDefender()) {
            throw new IllegalArgumentException("Defender machines carry no " + idSource.intuneField()
                    + "; join them through the Intune export with DeviceRecords.fromExports");
        }
        List<String> warnings = new ArrayList<>();
        List<JsonNode> entries = ExportEntries.of(export, EXPORT, warnings);
        List<DeviceFacts> records = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (!entry.isObject()) {
                warnings.add("Defender machine #" + (i + 1) + " is not a JSON object; skipped");
                continue;
            }
            String label = JsonFields.label("Defender machine", i, entry, "computerDnsName", "id");
            machine(entry, idSource, label, warnings).ifPresent(records::add);
        }
        return new ImportResult(DeviceIds.keepUnique(records, f -> f, SOURCE, EXPORT, warnings), warnings);
    }

    private static Optional<DeviceFacts> machine(JsonNode entry, DeviceIdSource idSource, String label,
                                                 List<String> warnings) {
        Optional<String> id = idSource == DeviceIdSource.DEVICE_NAME
                ? JsonFields.text(entry, "computerDnsName", label, warnings).map(DefenderMachines::hostName)
                : JsonFields.text(entry, "aadDeviceId", label, warnings).filter(v -> !v.equals(DeviceIds.NIL_GUID));
        if (id.isEmpty()) {
            warnings.add(label + ": no usable " + (idSource == DeviceIdSource.DEVICE_NAME ? "computerDnsName"
                    : "aadDeviceId") + "; skipped");
            return Optional.empty();
        }
        Edr edr = new Edr(VENDOR, running(entry, label, warnings), risk(entry, label, warnings));
        Optional<Instant> lastSeen = JsonFields.instant(entry, "lastSeen", SOURCE, label, warnings);
        return Optional.of(new DeviceFacts(id.get(), Optional.empty(), Compliance.UNKNOWN, Optional.of(edr),
                Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(SOURCE, lastSeen.orElse(Instant.EPOCH)))); // undated: "never", so it reads as stale
    }

    /** Intune names a device by its host name; Defender by its DNS name. */
    private static String hostName(String dnsName) {
        int dot = dnsName.indexOf('.');
        return dot < 0 ? dnsName : dnsName.substring(0, dot);
    }

    /** Running means an onboarded sensor that is reporting; anything less is not running. */
    private static boolean running(JsonNode entry, String label, List<String> warnings) {
        Optional<String> onboarding = JsonFields.text(entry, "onboardingStatus", label, warnings);
        if (onboarding.isPresent() && !onboarding.get().equalsIgnoreCase("onboarded")) {
            return false;
        }
        Optional<String> health = JsonFields.text(entry, "healthStatus", label, warnings);
        if (health.isEmpty()) {
            warnings.add(label + ": no healthStatus; EDR taken as not running");
            return false;
        }
        String key = health.get().toLowerCase(Locale.ROOT);
        if (key.equals("active")) {
            return true;
        }
        if (!NOT_RUNNING.contains(key)) {
            warnings.add(label + ": unknown healthStatus \"" + health.get() + "\"; EDR taken as not running");
        }
        return false;
    }

    private static Risk risk(JsonNode entry, String label, List<String> warnings) {
        Optional<String> score = JsonFields.text(entry, "riskScore", label, warnings);
        Risk risk = score.map(s -> RISK.get(s.toLowerCase(Locale.ROOT))).orElse(null);
        if (risk == null) {
            warnings.add(label + ": " + score.map(s -> "unknown riskScore \"" + s + "\"").orElse("no riskScore")
                    + "; risk unknown");
            return Risk.UNKNOWN;
        }
        return risk;
    }
}
