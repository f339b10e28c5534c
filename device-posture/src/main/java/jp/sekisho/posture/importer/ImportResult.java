package jp.sekisho.posture.importer;

import java.util.List;
import jp.sekisho.posture.DeviceFacts;

/**
 * What an import produced: one record per device, and for people, everything that was skipped
 * or could not be understood. A warning never means a fact was guessed: what was not
 * understood is left unknown, and a requirement on an unknown fact fails.
 *
 * @param records  the device records, at most one per device id (ignoring case)
 * @param warnings human-readable notes, each naming the export entry it is about
 */
public record ImportResult(List<DeviceFacts> records, List<String> warnings) {

    public ImportResult {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }
}
