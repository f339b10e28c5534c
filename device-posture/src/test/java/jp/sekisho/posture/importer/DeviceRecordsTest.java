package jp.sekisho.posture.importer;

import static jp.sekisho.posture.importer.Exports.AAD_DEFENDER_ONLY;
import static jp.sekisho.posture.importer.Exports.AAD_IPHONE;
import static jp.sekisho.posture.importer.Exports.AAD_PC1;
import static jp.sekisho.posture.importer.Exports.AAD_PC2;
import static jp.sekisho.posture.importer.Exports.AAD_PC3;
import static jp.sekisho.posture.importer.Exports.AAD_PC6;
import static jp.sekisho.posture.importer.Exports.edr;
import static jp.sekisho.posture.importer.Exports.intuneFacts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.DeviceFacts.Risk;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.OsVersion;
import jp.sekisho.posture.PostureCheck;
import jp.sekisho.posture.PostureFailure;
import jp.sekisho.posture.PostureJson;
import jp.sekisho.posture.PostureRequirement;
import org.junit.jupiter.api.Test;

class DeviceRecordsTest {

    private static final Optional<Boolean> MANAGED = Optional.of(true);

    /** An Intune device's facts with the EDR fact and time Defender reported for it. */
    private static DeviceFacts withEdr(DeviceFacts intune, boolean running, Risk risk, String lastSeen) {
        return new DeviceFacts(intune.deviceId(), intune.managed(), intune.compliance(),
                Optional.of(edr(running, risk)), intune.diskEncrypted(), intune.screenLock(), intune.os(),
                Map.of("mdm", intune.observedAt().get("mdm"), "edr", Instant.parse(lastSeen)));
    }

    private static DeviceFacts record(ImportResult result, String deviceId) {
        return result.records().stream().filter(r -> r.deviceId().equals(deviceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no record " + deviceId + " in " + result.records()));
    }

    private static final List<DeviceFacts> EXPECTED_BY_ENTRA_ID = List.of(
            withEdr(intuneFacts(AAD_PC1, MANAGED, Compliance.COMPLIANT, true, "windows", "10.0.26100.2314",
                    "2026-11-20T08:15:42Z"), true, Risk.LOW, "2026-11-20T08:41:17.3384562Z"),
            withEdr(intuneFacts(AAD_PC2, MANAGED, Compliance.NONCOMPLIANT, false, "windows", "10.0.19045.5131",
                    "2026-11-19T23:02:10Z"), true, Risk.HIGH, "2026-11-20T07:58:02.115Z"),
            withEdr(intuneFacts(AAD_PC3, MANAGED, Compliance.IN_GRACE_PERIOD, true, "windows", "10.0.22631.4460",
                    "2026-11-18T01:47:55Z"), false, Risk.MEDIUM, "2026-11-03T10:05:44.9021337Z"),
            intuneFacts(AAD_IPHONE, MANAGED, Compliance.COMPLIANT, true, "ios", "18.1.1", "2026-11-20T06:30:00Z"),
            intuneFacts(AAD_PC6, Optional.of(false), Compliance.COMPLIANT, true, "windows", "10.0.22631.4317",
                    "2026-11-05T02:20:31Z"),
            // In Defender only: nothing is known of its management.
            new DeviceFacts(AAD_DEFENDER_ONLY, Optional.empty(), Compliance.UNKNOWN,
                    Optional.of(edr(true, Risk.NONE)), Optional.empty(), Optional.empty(), Optional.empty(),
                    Map.of("edr", Instant.parse("2026-11-20T08:12:09.4412871Z"))));

    private static final List<String> EXPECTED_WARNINGS_BY_ENTRA_ID = List.of(
            "Intune device #5 \"LG-TB-0001\": no usable azureADDeviceId; skipped",
            "device \"" + AAD_DEFENDER_ONLY + "\" is in the EDR export only: not known to be managed or compliant");

    @Test
    void mergeJoinsIntuneAndDefenderIntoOneRecordPerDevice() {
        ImportResult merged = DeviceRecords.merge(IntuneManagedDevices.read(Exports.intune()),
                DefenderMachines.read(Exports.defender()));
        assertEquals(EXPECTED_BY_ENTRA_ID, merged.records());
        assertEquals(EXPECTED_WARNINGS_BY_ENTRA_ID, merged.warnings());
    }

    @Test
    void fromExportsByEntraIdIsTheSameMerge() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.AZURE_AD_DEVICE_ID);
        assertEquals(EXPECTED_BY_ENTRA_ID, merged.records());
        assertEquals(EXPECTED_WARNINGS_BY_ENTRA_ID, merged.warnings());
    }

    @Test
    void byDeviceNameIntuneNamesMatchDefenderHostNamesIgnoringCase() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.DEVICE_NAME);
        assertEquals(List.of("LG-IP-0001", "LG-PC-0001", "LG-PC-0002", "LG-PC-0003", "LG-PC-0006", "LG-TB-0001",
                "lg-pc-0099"), merged.records().stream().map(DeviceFacts::deviceId).toList());
        assertEquals(withEdr(intuneFacts("LG-PC-0001", MANAGED, Compliance.COMPLIANT, true, "windows",
                "10.0.26100.2314", "2026-11-20T08:15:42Z"), true, Risk.LOW, "2026-11-20T08:41:17.3384562Z"),
                record(merged, "LG-PC-0001"));
        assertEquals(intuneFacts("LG-TB-0001", MANAGED, Compliance.COMPLIANT, true, "android", "14",
                "2026-11-17T04:12:00Z"), record(merged, "LG-TB-0001"));
        assertEquals(List.of("device \"lg-pc-0099\" is in the EDR export only: not known to be managed or compliant"),
                merged.warnings());
    }

    @Test
    void byIntuneIdDefenderJoinsThroughTheEntraIdAndMachinesNotInIntuneAreSkipped() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.INTUNE_ID);
        assertEquals(List.of("17b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c05", "29d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e06",
                "6f1c2a9e-3b47-4d8a-9c15-2e7b90a4d301", "a83d5f12-7c6e-4b09-8e21-5d4c3b2a1f02",
                "c2e9b7a4-1d35-4f6c-b8a0-9e7d6c5b4a03", "e5f4d3c2-b1a0-4987-a654-3210fedcba04"),
                merged.records().stream().map(DeviceFacts::deviceId).toList());
        assertEquals(withEdr(intuneFacts("c2e9b7a4-1d35-4f6c-b8a0-9e7d6c5b4a03", MANAGED, Compliance.IN_GRACE_PERIOD,
                true, "windows", "10.0.22631.4460", "2026-11-18T01:47:55Z"), false, Risk.MEDIUM,
                "2026-11-03T10:05:44.9021337Z"), record(merged, "c2e9b7a4-1d35-4f6c-b8a0-9e7d6c5b4a03"));
        assertEquals(List.of("Defender machine with aadDeviceId \"" + AAD_DEFENDER_ONLY + "\" matches no Intune"
                + " device, so it has no single id; skipped"), merged.warnings());
    }

    @Test
    void bySerialNumberDefenderJoinsThroughTheEntraId() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.SERIAL_NUMBER);
        assertEquals(List.of("4X002519A", "5CG4120JPN", "F2LZK8QJN72P", "PF4XK2M1", "R1Y07342", "R9TW40ABCDE"),
                merged.records().stream().map(DeviceFacts::deviceId).toList());
        assertEquals(Optional.of(edr(true, Risk.HIGH)), record(merged, "R1Y07342").edr());
        assertEquals(Optional.empty(), record(merged, "R9TW40ABCDE").edr());
        assertEquals(List.of("Defender machine with aadDeviceId \"" + AAD_DEFENDER_ONLY + "\" matches no Intune"
                + " device, so it has no single serialNumber; skipped"), merged.warnings());
    }

    @Test
    void mergeNeverFreshensASourceBothSidesDate() {
        DeviceFacts mdm = new DeviceFacts("LG-PC-0100", MANAGED, Compliance.COMPLIANT, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("mdm", Instant.parse("2026-11-20T00:00:00Z"), "edr", Instant.parse("2026-10-01T00:00:00Z")));
        DeviceFacts edr = new DeviceFacts("lg-pc-0100", Optional.empty(), Compliance.UNKNOWN,
                Optional.of(edr(true, Risk.LOW)), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("edr", Instant.parse("2026-11-20T00:00:00Z")));
        ImportResult merged = DeviceRecords.merge(new ImportResult(List.of(mdm), List.of()),
                new ImportResult(List.of(edr), List.of()));
        assertEquals(List.of(new DeviceFacts("LG-PC-0100", MANAGED, Compliance.COMPLIANT,
                Optional.of(edr(true, Risk.LOW)), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("mdm", Instant.parse("2026-11-20T00:00:00Z"), "edr", Instant.parse("2026-10-01T00:00:00Z")))),
                merged.records());
    }

    @Test
    void mergeRefusesASideWithTwoRecordsForOneDevice() {
        ImportResult twice = new ImportResult(List.of(DeviceFacts.unknown("LG-PC-0100"),
                DeviceFacts.unknown("lg-pc-0100")), List.of());
        ImportResult none = new ImportResult(List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> DeviceRecords.merge(twice, none));
        assertThrows(IllegalArgumentException.class, () -> DeviceRecords.merge(none, twice));
    }

    @Test
    void recordsRoundTripThroughTheDeviceRecordJson() {
        for (DeviceFacts record : DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.AZURE_AD_DEVICE_ID).records()) {
            assertEquals(record, PostureJson.readRecord(PostureJson.writeRecord(record)));
        }
    }

    /** End to end: stale sources and facts the exports lack make the posture check fail, not pass. */
    @Test
    void importedRecordsAreJudgedWithTheirRealObservationTimes() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.DEVICE_NAME);
        Instant now = Instant.parse("2026-11-21T00:00:00Z");
        PostureRequirement strict = new PostureRequirement(false, true, true, true, Optional.of(Risk.MEDIUM), true,
                false, Map.of("windows", OsVersion.parse("10.0.22631").orElseThrow()), Optional.empty(),
                Optional.of(Duration.ofDays(7)));

        assertEquals(List.of(), failures(merged, "LG-PC-0001", strict, now));
        assertEquals(List.of(PostureFailure.DEVICE_NOT_COMPLIANT, PostureFailure.DEVICE_EDR_RISK_TOO_HIGH,
                PostureFailure.DEVICE_DISK_NOT_ENCRYPTED, PostureFailure.DEVICE_OS_TOO_OLD),
                failures(merged, "LG-PC-0002", strict, now));
        // Defender last saw it on 11-03: the EDR verdict is too old to trust.
        assertEquals(List.of(PostureFailure.DEVICE_NOT_COMPLIANT, PostureFailure.DEVICE_EDR_NOT_RUNNING,
                PostureFailure.DEVICE_POSTURE_STALE), failures(merged, "LG-PC-0003", strict, now));
        // Retiring, last synced 11-05, never in Defender.
        assertEquals(List.of(PostureFailure.DEVICE_NOT_MANAGED, PostureFailure.DEVICE_EDR_NOT_RUNNING,
                PostureFailure.DEVICE_EDR_RISK_TOO_HIGH, PostureFailure.DEVICE_POSTURE_STALE),
                failures(merged, "LG-PC-0006", strict, now));
        assertEquals(List.of(PostureFailure.DEVICE_NOT_MANAGED, PostureFailure.DEVICE_NOT_COMPLIANT,
                PostureFailure.DEVICE_DISK_NOT_ENCRYPTED, PostureFailure.DEVICE_OS_TOO_OLD),
                failures(merged, "lg-pc-0099", strict, now));
    }

    @Test
    void aRequirementOnAFactTheExportsLackFailsForEveryDevice() {
        ImportResult merged = DeviceRecords.fromExports(Exports.intune(), Exports.defender(),
                DeviceIdSource.DEVICE_NAME);
        Instant now = Instant.parse("2026-11-21T00:00:00Z");
        PostureRequirement screenLockAndPatches = new PostureRequirement(false, false, false, false, Optional.empty(),
                false, true, Map.of(), Optional.of(30), Optional.empty());
        for (DeviceFacts record : merged.records()) {
            assertEquals(List.of(PostureFailure.DEVICE_SCREEN_LOCK_OFF, PostureFailure.DEVICE_PATCH_TOO_OLD),
                    failures(merged, record.deviceId(), screenLockAndPatches, now), record.deviceId());
        }
    }

    private static List<PostureFailure> failures(ImportResult merged, String deviceId, PostureRequirement requirement,
                                                 Instant now) {
        return PostureCheck.failures(DevicePosture.token(record(merged, deviceId), false), requirement, now);
    }
}
