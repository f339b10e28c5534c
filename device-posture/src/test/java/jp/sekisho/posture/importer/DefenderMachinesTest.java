package jp.sekisho.posture.importer;

import static jp.sekisho.posture.importer.Exports.AAD_DEFENDER_ONLY;
import static jp.sekisho.posture.importer.Exports.AAD_PC1;
import static jp.sekisho.posture.importer.Exports.AAD_PC2;
import static jp.sekisho.posture.importer.Exports.AAD_PC3;
import static jp.sekisho.posture.importer.Exports.defenderFacts;
import static jp.sekisho.posture.importer.Exports.defenderMachine;
import static jp.sekisho.posture.importer.Exports.graphPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.DeviceFacts.Risk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DefenderMachinesTest {

    private static DeviceFacts only(ImportResult result) {
        assertEquals(1, result.records().size(), () -> "records: " + result.records());
        return result.records().get(0);
    }

    @Test
    void machinesBecomeEdrFactsNamedByEntraDeviceId() {
        ImportResult result = DefenderMachines.read(Exports.defender());

        assertEquals(List.of(
                defenderFacts(AAD_PC1, true, Risk.LOW, "2026-11-20T08:41:17.3384562Z"),
                defenderFacts(AAD_PC2, true, Risk.HIGH, "2026-11-20T07:58:02.115Z"),
                defenderFacts(AAD_PC3, false, Risk.MEDIUM, "2026-11-03T10:05:44.9021337Z"),
                defenderFacts(AAD_DEFENDER_ONLY, true, Risk.NONE, "2026-11-20T08:12:09.4412871Z")),
                result.records());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void plainArrayReadsLikeTheApiResponse() {
        assertEquals(DefenderMachines.read(Exports.defender()), DefenderMachines.read(Exports.defender().get("value")));
    }

    @Test
    void byDeviceNameTheFirstLabelOfTheDnsNameIsTheId() {
        ImportResult result = DefenderMachines.read(Exports.defender(), DeviceIdSource.DEVICE_NAME);
        assertEquals(List.of("lg-pc-0001", "lg-pc-0002", "lg-pc-0003", "lg-pc-0099"),
                result.records().stream().map(DeviceFacts::deviceId).toList());
        assertEquals(defenderFacts("lg-pc-0002", true, Risk.HIGH, "2026-11-20T07:58:02.115Z"),
                result.records().get(1));
    }

    @Test
    void computerNameWithoutDomainIsTheIdAsItIs() {
        ObjectNode machine = defenderMachine().put("computerDnsName", "LG-PC-0100");
        assertEquals("LG-PC-0100",
                only(DefenderMachines.read(graphPage(machine), DeviceIdSource.DEVICE_NAME)).deviceId());
    }

    @ParameterizedTest
    @EnumSource(value = DeviceIdSource.class, names = {"INTUNE_ID", "SERIAL_NUMBER"})
    void idsDefenderDoesNotKnowAreRefused(DeviceIdSource idSource) {
        assertThrows(IllegalArgumentException.class, () -> DefenderMachines.read(Exports.defender(), idSource));
    }

    @ParameterizedTest(name = "{index}: healthStatus={0} onboardingStatus={1} -> running {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Active                            | onboarded      | true  | -
            active                            | -              | true  | -
            Inactive                          | onboarded      | false | -
            ImpairedCommunication             | onboarded      | false | -
            NoSensorData                      | onboarded      | false | -
            NoSensorDataImpairedCommunication | onboarded      | false | -
            Unknown                           | onboarded      | false | -
            Active                            | CanBeOnboarded | false | -
            Active                            | Unsupported    | false | -
            Sleeping                          | onboarded      | false | unknown healthStatus "Sleeping"; EDR taken as not running
            -                                 | onboarded      | false | no healthStatus; EDR taken as not running
            """)
    void onlyAnOnboardedActiveSensorIsRunning(String health, String onboarding, boolean running, String warning) {
        ObjectNode machine = defenderMachine().put("healthStatus", health).put("onboardingStatus", onboarding);
        ImportResult result = DefenderMachines.read(graphPage(machine));
        assertEquals(running, only(result).edr().orElseThrow().running());
        assertEquals(warning == null ? List.of()
                : List.of("Defender machine #1 \"lg-pc-0100.soumu.city.example.lg.jp\": " + warning),
                result.warnings());
    }

    @ParameterizedTest(name = "{index}: riskScore={0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            None          | NONE          | -
            Informational | INFORMATIONAL | -
            Low           | LOW           | -
            Medium        | MEDIUM        | -
            High          | HIGH          | -
            Severe        | UNKNOWN       | unknown riskScore "Severe"; risk unknown
            -             | UNKNOWN       | no riskScore; risk unknown
            """)
    void riskScoreBecomesTheRisk(String score, Risk risk, String warning) {
        ObjectNode machine = defenderMachine().put("riskScore", score);
        ImportResult result = DefenderMachines.read(graphPage(machine));
        assertEquals(risk, only(result).edr().orElseThrow().risk());
        assertEquals(warning == null ? List.of()
                : List.of("Defender machine #1 \"lg-pc-0100.soumu.city.example.lg.jp\": " + warning),
                result.warnings());
    }

    @Test
    void lastSeenIsTheEdrObservationTime() {
        ObjectNode machine = defenderMachine().put("lastSeen", "2026-11-01T00:00:00Z");
        assertEquals(Map.of("edr", Instant.parse("2026-11-01T00:00:00Z")),
                only(DefenderMachines.read(graphPage(machine))).observedAt());
    }

    @Test
    void missingLastSeenDatesTheEdrNeverSoItReadsAsStale() {
        ObjectNode machine = defenderMachine();
        machine.remove("lastSeen");
        ImportResult result = DefenderMachines.read(graphPage(machine));
        assertEquals(Map.of("edr", Instant.EPOCH), only(result).observedAt());
        assertEquals(List.of("Defender machine #1 \"lg-pc-0100.soumu.city.example.lg.jp\": no lastSeen; the edr"
                + " observation is dated 1970 (never), so it reads as stale"), result.warnings());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", textBlock = """
            00000000-0000-0000-0000-000000000000
            -
            """)
    void machineWithoutEntraDeviceIdIsSkipped(String aadDeviceId) {
        ObjectNode machine = defenderMachine().put("aadDeviceId", aadDeviceId);
        ImportResult result = DefenderMachines.read(graphPage(machine));
        assertEquals(List.of(), result.records());
        assertEquals(List.of("Defender machine #1 \"lg-pc-0100.soumu.city.example.lg.jp\": no usable aadDeviceId;"
                + " skipped"), result.warnings());
    }

    @Test
    void reimagedMachineKeepsTheEntrySeenMostRecently() {
        ObjectNode old = defenderMachine().put("id", "1111111111111111111111111111111111111111")
                .put("healthStatus", "Inactive").put("lastSeen", "2026-09-14T03:00:00Z");
        ObjectNode current = defenderMachine().put("computerDnsName", "LG-PC-0100.soumu.city.example.lg.jp");
        ImportResult result = DefenderMachines.read(graphPage(old, current), DeviceIdSource.DEVICE_NAME);
        assertEquals(defenderFacts("LG-PC-0100", true, Risk.LOW, "2026-11-21T09:05:00.1234567Z"), only(result));
        assertEquals(List.of("Defender machines export lists device \"lg-pc-0100\" 2 times; kept the entry seen most"
                + " recently (2026-11-21T09:05:00.123456700Z)"), result.warnings());
    }
}
