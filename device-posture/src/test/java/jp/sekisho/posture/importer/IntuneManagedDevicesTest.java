package jp.sekisho.posture.importer;

import static jp.sekisho.posture.importer.Exports.AAD_IPHONE;
import static jp.sekisho.posture.importer.Exports.AAD_PC1;
import static jp.sekisho.posture.importer.Exports.AAD_PC2;
import static jp.sekisho.posture.importer.Exports.AAD_PC3;
import static jp.sekisho.posture.importer.Exports.AAD_PC6;
import static jp.sekisho.posture.importer.Exports.graphPage;
import static jp.sekisho.posture.importer.Exports.intuneDevice;
import static jp.sekisho.posture.importer.Exports.intuneFacts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Compliance;
import jp.sekisho.posture.OsVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IntuneManagedDevicesTest {

    private static final Optional<Boolean> MANAGED = Optional.of(true);

    private static DeviceFacts only(ImportResult result) {
        assertEquals(1, result.records().size(), () -> "records: " + result.records());
        return result.records().get(0);
    }

    @Test
    void graphResponseBecomesOneRecordPerDeviceWithAnEntraId() {
        ImportResult result = IntuneManagedDevices.read(Exports.intune());

        assertEquals(List.of(
                intuneFacts(AAD_PC1, MANAGED, Compliance.COMPLIANT, true, "windows", "10.0.26100.2314",
                        "2026-11-20T08:15:42Z"),
                intuneFacts(AAD_PC2, MANAGED, Compliance.NONCOMPLIANT, false, "windows", "10.0.19045.5131",
                        "2026-11-19T23:02:10Z"),
                intuneFacts(AAD_PC3, MANAGED, Compliance.IN_GRACE_PERIOD, true, "windows", "10.0.22631.4460",
                        "2026-11-18T01:47:55Z"),
                intuneFacts(AAD_IPHONE, MANAGED, Compliance.COMPLIANT, true, "ios", "18.1.1",
                        "2026-11-20T06:30:00Z"),
                // retirePending: the device is leaving management.
                intuneFacts(AAD_PC6, Optional.of(false), Compliance.COMPLIANT, true, "windows", "10.0.22631.4317",
                        "2026-11-05T02:20:31Z")),
                result.records());
        assertEquals(List.of("Intune device #5 \"LG-TB-0001\": no usable azureADDeviceId; skipped"),
                result.warnings());
    }

    @Test
    void plainArrayReadsLikeTheGraphResponse() {
        JsonNode array = Exports.intune().get("value");
        assertEquals(true, array.isArray());
        assertEquals(IntuneManagedDevices.read(Exports.intune()), IntuneManagedDevices.read(array));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            AZURE_AD_DEVICE_ID | 0b6e3f41-8a2c-4d7e-9f15-6c3a2b1d0e11 1c7f4a52-9b3d-4e8f-a026-7d4b3c2e1f22 2d805b63-ac4e-4f90-b137-8e5c4d3f2033 3e916c74-bd5f-4a01-8248-9f6d5e403144 5fb38e96-df71-4c23-a46a-b18f7a625366 | 1
            INTUNE_ID          | 6f1c2a9e-3b47-4d8a-9c15-2e7b90a4d301 a83d5f12-7c6e-4b09-8e21-5d4c3b2a1f02 c2e9b7a4-1d35-4f6c-b8a0-9e7d6c5b4a03 e5f4d3c2-b1a0-4987-a654-3210fedcba04 17b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c05 29d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e06 | 0
            DEVICE_NAME        | LG-PC-0001 LG-PC-0002 LG-PC-0003 LG-IP-0001 LG-TB-0001 LG-PC-0006 | 0
            SERIAL_NUMBER      | 5CG4120JPN R1Y07342 4X002519A F2LZK8QJN72P R9TW40ABCDE PF4XK2M1 | 0
            """)
    void eachIdSourceNamesRecordsByItsField(DeviceIdSource idSource, String expectedIds, int warnings) {
        ImportResult result = IntuneManagedDevices.read(Exports.intune(), idSource);
        assertEquals(Arrays.asList(expectedIds.split(" ")),
                result.records().stream().map(DeviceFacts::deviceId).toList());
        assertEquals(warnings, result.warnings().size(), () -> "warnings: " + result.warnings());
    }

    @Test
    void defaultIdSourceIsTheEntraDeviceId() {
        assertEquals(IntuneManagedDevices.read(Exports.intune(), DeviceIdSource.AZURE_AD_DEVICE_ID),
                IntuneManagedDevices.read(Exports.intune()));
    }

    @ParameterizedTest
    @EnumSource(DeviceIdSource.class)
    void entryWithoutTheIdIsSkippedAndNamedInTheWarning(DeviceIdSource idSource) {
        ObjectNode device = intuneDevice().put(idSource.intuneField(), "  ");
        ImportResult result = IntuneManagedDevices.read(graphPage(device), idSource);
        assertEquals(List.of(), result.records());
        String label = idSource == DeviceIdSource.DEVICE_NAME
                ? "Intune device #1 \"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\""
                : "Intune device #1 \"LG-PC-0100\"";
        assertEquals(List.of(label + ": no usable " + idSource.intuneField() + "; skipped"), result.warnings());
    }

    @ParameterizedTest(name = "{index}: complianceState={0} jailBroken={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            compliant      | Unknown | COMPLIANT       | -
            Compliant      | False   | COMPLIANT       | -
            noncompliant   | Unknown | NONCOMPLIANT    | -
            conflict       | Unknown | NONCOMPLIANT    | -
            error          | Unknown | NONCOMPLIANT    | -
            inGracePeriod  | Unknown | IN_GRACE_PERIOD | -
            unknown        | Unknown | UNKNOWN         | -
            configManager  | Unknown | UNKNOWN         | -
            compliant      | True    | NONCOMPLIANT    | -
            inGracePeriod  | true    | NONCOMPLIANT    | -
            pending        | False   | UNKNOWN         | Intune device #1 "LG-PC-0100": unknown complianceState "pending"; compliance unknown
            -              | False   | UNKNOWN         | Intune device #1 "LG-PC-0100": no complianceState; compliance unknown
            """)
    void complianceStateAndJailbreakGiveTheVerdict(String state, String jailBroken, Compliance expected,
                                                   String warning) {
        ObjectNode device = intuneDevice().put("jailBroken", jailBroken);
        if (state == null) {
            device.remove("complianceState");
        } else {
            device.put("complianceState", state);
        }
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(expected, only(result).compliance());
        assertEquals(warning == null ? List.of() : List.of(warning), result.warnings());
    }

    @Test
    void jailbreakReportedAsJsonBooleanIsNoncompliantToo() {
        ObjectNode device = intuneDevice().put("jailBroken", true);
        assertEquals(Compliance.NONCOMPLIANT, only(IntuneManagedDevices.read(graphPage(device))).compliance());
    }

    @ParameterizedTest(name = "{index}: managementState={0} -> managed {1}")
    @CsvSource(nullValues = "-", textBlock = """
            managed,        true
            -,              true
            retireCanceled, true
            wipeCanceled,   true
            retirePending,  false
            retireIssued,   false
            retireFailed,   false
            wipePending,    false
            wipeIssued,     false
            wipeFailed,     false
            deletePending,  false
            discovered,     false
            unhealthy,      -
            somethingNew,   -
            """)
    void managementStateSaysWhetherTheDeviceIsManaged(String state, Boolean expected) {
        ObjectNode device = intuneDevice();
        if (state == null) {
            device.remove("managementState");
        } else {
            device.put("managementState", state);
        }
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(Optional.ofNullable(expected), only(result).managed());
        assertEquals(expected == null ? List.of("Intune device #1 \"LG-PC-0100\": managementState \"" + state
                + "\" does not say whether the device is managed; left unknown") : List.of(), result.warnings());
    }

    @ParameterizedTest(name = "{index}: {0} {1} -> {2}")
    @CsvSource(nullValues = "-", textBlock = """
            Windows,   10.0.26100.2314, windows
            macOS,     15.1.1,          macos
            iOS,       18.1.1,          ios
            iPadOS,    18.1,            ios
            Android,   14,              android
            Linux,     24.04,           linux
            ChromeOS,  130.0.6723.116,  chromeos
            Chrome OS, 130.0.6723.116,  chromeos
            """)
    void operatingSystemBecomesAPlatformWithItsVersion(String operatingSystem, String version, String platform) {
        ObjectNode device = intuneDevice().put("operatingSystem", operatingSystem).put("osVersion", version);
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        DeviceFacts.OperatingSystem os = only(result).os().orElseThrow();
        assertEquals(platform, os.platform());
        // Compared as versions: Ubuntu's "24.04" is the version 24.4.
        assertEquals(OsVersion.parse(version).orElseThrow(), os.version());
        assertEquals(Optional.empty(), os.patchAgeDays(), "Intune does not state patch age");
        assertEquals(List.of(), result.warnings());
    }

    @ParameterizedTest(name = "{index}: {0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Windows Holographic | 10.0.20348.2849 | unknown operatingSystem "Windows Holographic"; os unknown
            Unknown             | 10.0            | unknown operatingSystem "Unknown"; os unknown
            -                   | 10.0            | no operatingSystem; os unknown
            Android             | 14 (UP1A)       | osVersion "14 (UP1A)" is not dotted numbers; os unknown
            Windows             | -               | osVersion is missing; os unknown
            """)
    void operatingSystemNotUnderstoodIsLeftOut(String operatingSystem, String version, String warning) {
        ObjectNode device = intuneDevice();
        device.put("operatingSystem", operatingSystem).put("osVersion", version);
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(Optional.empty(), only(result).os());
        assertEquals(List.of("Intune device #1 \"LG-PC-0100\": " + warning), result.warnings());
    }

    @Test
    void screenLockIsNeverInTheExportSoStaysUnknown() {
        ImportResult result = IntuneManagedDevices.read(Exports.intune());
        assertEquals(List.of(Optional.<Boolean>empty()),
                result.records().stream().map(DeviceFacts::screenLock).distinct().toList());
    }

    @Test
    void encryptionOfTheWrongTypeIsUnknownAndWarned() {
        ObjectNode device = intuneDevice().put("isEncrypted", "true");
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(Optional.empty(), only(result).diskEncrypted());
        assertEquals(List.of("Intune device #1 \"LG-PC-0100\": isEncrypted is not true or false; left unknown"),
                result.warnings());
    }

    @ParameterizedTest(name = "{index}: lastSyncDateTime={0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -                   | no lastSyncDateTime; the mdm observation is dated 1970 (never), so it reads as stale
            2026-11-21 09:00:00 | lastSyncDateTime "2026-11-21 09:00:00" is not an ISO-8601 time with an offset; the mdm observation is dated 1970 (never), so it reads as stale
            2026-11-21T09:00:00 | lastSyncDateTime "2026-11-21T09:00:00" is not an ISO-8601 time with an offset; the mdm observation is dated 1970 (never), so it reads as stale
            """)
    void missingOrUnreadableSyncTimeDatesTheSourceNeverSoItReadsAsStale(String lastSync, String warning) {
        ObjectNode device = intuneDevice().put("lastSyncDateTime", lastSync);
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(Map.of("mdm", Instant.EPOCH), only(result).observedAt());
        assertEquals(List.of("Intune device #1 \"LG-PC-0100\": " + warning), result.warnings());
    }

    @Test
    void syncTimeKeepsItsOffsetAsTheSameInstantNotNow() {
        ObjectNode device = intuneDevice().put("lastSyncDateTime", "2026-11-02T09:00:00+09:00");
        assertEquals(Map.of("mdm", Instant.parse("2026-11-02T00:00:00Z")),
                only(IntuneManagedDevices.read(graphPage(device))).observedAt());
    }

    @Test
    void deviceThatNeverSyncedKeepsGraphsNeverTimeSoItIsStale() {
        ObjectNode device = intuneDevice().put("lastSyncDateTime", "0001-01-01T00:00:00Z");
        ImportResult result = IntuneManagedDevices.read(graphPage(device));
        assertEquals(Map.of("mdm", Instant.parse("0001-01-01T00:00:00Z")), only(result).observedAt());
        assertEquals(List.of("Intune device #1 \"LG-PC-0100\": lastSyncDateTime is 0001-01-01T00:00:00Z: the device"
                + " has never synced"), result.warnings());
    }

    @Test
    void duplicateIdKeepsTheEntrySyncedMostRecently() {
        ObjectNode stale = intuneDevice().put("id", "11111111-0000-4000-8000-000000000001")
                .put("complianceState", "compliant").put("lastSyncDateTime", "2026-08-01T00:00:00Z");
        ObjectNode current = intuneDevice().put("id", "11111111-0000-4000-8000-000000000002")
                .put("complianceState", "noncompliant").put("lastSyncDateTime", "2026-11-21T09:00:00Z");
        ImportResult result = IntuneManagedDevices.read(graphPage(stale, current));
        assertEquals(Compliance.NONCOMPLIANT, only(result).compliance());
        assertEquals(List.of("Intune managedDevices export lists device \"aa11bb22-cc33-4d44-8e55-ff6600778899\""
                + " 2 times; kept the entry seen most recently (2026-11-21T09:00:00Z)"), result.warnings());
    }

    @Test
    void duplicateNamesDifferingOnlyInCaseWithEqualSyncTimesAreAllSkipped() {
        ObjectNode upper = intuneDevice().put("deviceName", "LG-PC-0100");
        ObjectNode lower = intuneDevice().put("deviceName", "lg-pc-0100");
        ImportResult result = IntuneManagedDevices.read(graphPage(upper, lower), DeviceIdSource.DEVICE_NAME);
        assertEquals(List.of(), result.records());
        assertEquals(List.of("Intune managedDevices export lists device \"LG-PC-0100\" 2 times and none was seen"
                + " strictly most recently; all skipped"), result.warnings());
    }

    @Test
    void pagedResponseWarnsThatLaterPagesAreMissing() {
        ObjectNode page = graphPage(intuneDevice());
        page.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices");
        page.put("@odata.nextLink", "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken=x");
        ImportResult result = IntuneManagedDevices.read(page);
        assertEquals(1, result.records().size());
        assertEquals(List.of("Intune managedDevices export has more pages (@odata.nextLink): devices on later pages"
                + " are missing; export every page"), result.warnings());
    }

    @Test
    void entryThatIsNotAnObjectIsSkipped() {
        ImportResult result = IntuneManagedDevices.read(graphPage(new TextNode("LG-PC-0100"), intuneDevice()));
        assertEquals(1, result.records().size());
        assertEquals(List.of("Intune device #1 is not a JSON object; skipped"), result.warnings());
    }

    @Test
    void somethingOtherThanAnExportIsRefused() {
        ObjectNode noValue = Exports.MAPPER.createObjectNode().put("error", "Forbidden");
        assertThrows(IllegalArgumentException.class, () -> IntuneManagedDevices.read(noValue));
        assertThrows(IllegalArgumentException.class, () -> IntuneManagedDevices.read(new TextNode("[]")));
    }
}
