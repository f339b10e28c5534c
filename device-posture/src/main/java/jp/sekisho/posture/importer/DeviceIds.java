package jp.sekisho.posture.importer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jp.sekisho.posture.DeviceFacts;

/** When two device ids name the same device, and what to do when an export names one device twice. */
final class DeviceIds {

    /** What Microsoft APIs put in a GUID field that has no value, e.g. a device not registered in Entra ID. */
    static final String NIL_GUID = "00000000-0000-0000-0000-000000000000";

    private DeviceIds() {
    }

    /** GUIDs and host names are case-insensitive, and consoles differ in the case they show. */
    static String matchKey(String deviceId) {
        return deviceId.toLowerCase(Locale.ROOT);
    }

    /**
     * One entry per device id. Re-enrolled and re-imaged devices leave stale duplicates behind,
     * so the entry the source saw most recently is kept; when no entry is strictly the most
     * recent the importer cannot tell which is true, and skips them all.
     */
    static <T> List<T> keepUnique(List<T> entries, Function<T, DeviceFacts> factsOf, String source,
                                  String exportName, List<String> warnings) {
        Map<String, List<T>> byKey = new LinkedHashMap<>();
        for (T entry : entries) {
            byKey.computeIfAbsent(matchKey(factsOf.apply(entry).deviceId()), k -> new ArrayList<>()).add(entry);
        }
        List<T> kept = new ArrayList<>(byKey.size());
        for (List<T> same : byKey.values()) {
            if (same.size() == 1) {
                kept.add(same.get(0));
                continue;
            }
            String id = factsOf.apply(same.get(0)).deviceId();
            Optional<T> newest = newest(same, factsOf, source);
            if (newest.isPresent()) {
                kept.add(newest.get());
                Instant seen = factsOf.apply(newest.get()).observedAt().get(source);
                warnings.add(exportName + " export lists device \"" + id + "\" " + same.size()
                        + " times; kept the entry seen most recently (" + seen + ")");
            } else {
                warnings.add(exportName + " export lists device \"" + id + "\" " + same.size()
                        + " times and none was seen strictly most recently; all skipped");
            }
        }
        return kept;
    }

    private static <T> Optional<T> newest(List<T> same, Function<T, DeviceFacts> factsOf, String source) {
        T newest = null;
        Instant newestSeen = null;
        boolean tie = false;
        for (T entry : same) {
            Instant seen = factsOf.apply(entry).observedAt().get(source);
            if (seen == null) {
                return Optional.empty();
            }
            if (newestSeen == null || seen.isAfter(newestSeen)) {
                newest = entry;
                newestSeen = seen;
                tie = false;
            } else if (seen.equals(newestSeen)) {
                tie = true;
            }
        }
        return tie ? Optional.empty() : Optional.of(newest);
    }
}
