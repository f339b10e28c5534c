package jp.sekisho.posture.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.importer.IntuneManagedDevices.IntuneDevice;

/** One record per device from what the management system and the EDR each say about it. */
public final class DeviceRecords {

    private DeviceRecords() {
    }

    /**
     * The records of an Intune and a Defender export, named by {@code idSource}. For an Intune id
     * or serial number, which Defender does not know, a machine is joined to the Intune device
     * with the same Entra ID device id, and a machine not in Intune is skipped.
     */
    public static ImportResult fromExports(JsonNode intuneExport, JsonNode defenderExport, DeviceIdSource idSource) {
        List<String> intuneWarnings = new ArrayList<>();
        List<IntuneDevice> intune = IntuneManagedDevices.devices(intuneExport, idSource, intuneWarnings);
        ImportResult mdm = new ImportResult(intune.stream().map(IntuneDevice::facts).toList(), intuneWarnings);
        if (idSource.knownToDefender()) {
            return merge(mdm, DefenderMachines.read(defenderExport, idSource));
        }
        return merge(mdm, namedAsInIntune(DefenderMachines.read(defenderExport), intune, idSource));
    }

    /**
     * Joins records whose ids are equal ignoring case. The EDR fact comes from {@code edr},
     * every other fact from {@code mdm}; each keeps its own source's time in {@code observed_at}.
     * A device only one side knows still gets a record, its other facts unknown.
     *
     * @return the records sorted by device id, and the warnings of both imports and of the join
     * @throws IllegalArgumentException when one side has two records for the same device
     */
    public static ImportResult merge(ImportResult mdm, ImportResult edr) {
        Map<String, DeviceFacts> mdmByKey = byMatchKey(mdm.records(), "MDM");
        Map<String, DeviceFacts> edrByKey = byMatchKey(edr.records(), "EDR");
        List<String> warnings = new ArrayList<>(mdm.warnings());
        warnings.addAll(edr.warnings());
        List<DeviceFacts> records = new ArrayList<>();
        mdmByKey.forEach((key, facts) -> records.add(combine(facts, Optional.ofNullable(edrByKey.get(key)))));
        edrByKey.forEach((key, facts) -> {
            if (!mdmByKey.containsKey(key)) {
                records.add(combine(DeviceFacts.unknown(facts.deviceId()), Optional.of(facts)));
                warnings.add("device \"" + facts.deviceId() + "\" is in the EDR export only: not known to be"
                        + " managed or compliant");
            }
        });
        records.sort(Comparator.comparing(DeviceFacts::deviceId));
        return new ImportResult(records, warnings);
    }

    private static Map<String, DeviceFacts> byMatchKey(List<DeviceFacts> records, String side) {
        Map<String, DeviceFacts> byKey = new LinkedHashMap<>();
        for (DeviceFacts facts : records) {
            if (byKey.putIfAbsent(DeviceIds.matchKey(facts.deviceId()), facts) != null) {
                throw new IllegalArgumentException("the " + side + " records hold device \"" + facts.deviceId()
                        + "\" twice");
            }
        }
        return byKey;
    }

    private static DeviceFacts combine(DeviceFacts mdm, Optional<DeviceFacts> edr) {
        Map<String, Instant> observedAt = new HashMap<>(mdm.observedAt());
        // Should both name the same source, the older time wins: a merge must never freshen a record.
        edr.ifPresent(e -> e.observedAt().forEach((source, at) -> observedAt.merge(source, at,
                (a, b) -> a.isBefore(b) ? a : b)));
        return new DeviceFacts(mdm.deviceId(), mdm.managed(), mdm.compliance(), edr.flatMap(DeviceFacts::edr),
                mdm.diskEncrypted(), mdm.screenLock(), mdm.os(), observedAt);
    }

    /** Defender records renamed from their Entra ID device id to the id the Intune device is named by. */
    private static ImportResult namedAsInIntune(ImportResult defender, List<IntuneDevice> intune,
                                                DeviceIdSource idSource) {
        Map<String, List<String>> intuneIdsByAadId = new HashMap<>();
        for (IntuneDevice device : intune) {
            device.azureAdDeviceId().ifPresent(aadId -> intuneIdsByAadId
                    .computeIfAbsent(DeviceIds.matchKey(aadId), k -> new ArrayList<>()).add(device.facts().deviceId()));
        }
        List<String> warnings = new ArrayList<>(defender.warnings());
        List<DeviceFacts> renamed = new ArrayList<>();
        for (DeviceFacts machine : defender.records()) {
            List<String> ids = intuneIdsByAadId.getOrDefault(DeviceIds.matchKey(machine.deviceId()), List.of());
            if (ids.size() == 1) {
                renamed.add(withId(machine, ids.get(0)));
            } else {
                warnings.add("Defender machine with aadDeviceId \"" + machine.deviceId() + "\" matches "
                        + (ids.isEmpty() ? "no Intune device" : ids.size() + " Intune devices")
                        + ", so it has no single " + idSource.intuneField() + "; skipped");
            }
        }
        return new ImportResult(renamed, warnings);
    }

    private static DeviceFacts withId(DeviceFacts facts, String deviceId) {
        return new DeviceFacts(deviceId, facts.managed(), facts.compliance(), facts.edr(), facts.diskEncrypted(),
                facts.screenLock(), facts.os(), facts.observedAt());
    }
}
