package jp.sekisho.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.PostureJson;
import jp.sekisho.posture.importer.DefenderMachines;
import jp.sekisho.posture.importer.DeviceIdSource;
import jp.sekisho.posture.importer.DeviceRecords;
import jp.sekisho.posture.importer.ImportResult;
import jp.sekisho.posture.importer.IntuneManagedDevices;
import jp.sekisho.storage.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sekisho posture import}: device records from Intune and Defender exports (docs/device-posture-importers.md). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turn a Microsoft Intune managedDevices export and/or a Defender for Endpoint machines export"
                + " into a device records file for posture issue.")
final class PostureImportCommand implements Callable<Integer> {

    @Option(names = "--intune", description = "Intune / Graph managedDevices JSON export")
    Path intune;

    @Option(names = "--defender", description = "Defender for Endpoint machines JSON export")
    Path defender;

    @Option(names = "--device-id", description = "which field names a device: ${COMPLETION-CANDIDATES}"
            + " (default ${DEFAULT-VALUE})")
    DeviceIdSource idSource = DeviceIdSource.AZURE_AD_DEVICE_ID;

    @Option(names = {"-o", "--output"}, required = true, description = "device records file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (intune == null && defender == null) {
            System.err.println("give --intune, --defender or both");
            return 2;
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode intuneExport = intune == null ? null : mapper.readTree(Files.readString(intune));
        JsonNode defenderExport = defender == null ? null : mapper.readTree(Files.readString(defender));
        ImportResult result = intuneExport != null && defenderExport != null
                ? DeviceRecords.fromExports(intuneExport, defenderExport, idSource)
                : intuneExport != null ? IntuneManagedDevices.read(intuneExport, idSource)
                : DefenderMachines.read(defenderExport, idSource);
        result.warnings().forEach(w -> System.err.println("warning: " + w));
        ArrayNode records = mapper.createArrayNode();
        for (DeviceFacts facts : result.records()) {
            records.add(PostureJson.writeRecord(facts));
        }
        PrivateFiles.write(output, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(records) + "\n");
        System.out.printf("wrote %d device records to %s (%d warnings)%n", result.records().size(), output,
                result.warnings().size());
        return 0;
    }
}
