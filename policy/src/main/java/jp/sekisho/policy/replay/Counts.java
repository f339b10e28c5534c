package jp.sekisho.policy.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How many of each key: one map probe per count, no boxing. Read out most first, ties by key. */
final class Counts {

    private final Map<String, long[]> counts = new HashMap<>();

    void add(String key) {
        long[] count = counts.get(key);
        if (count == null) {
            counts.put(key, new long[] {1});
        } else {
            count[0]++;
        }
    }

    Map<String, Long> mostFirst() {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : entries) {
            out.put(entry.getKey(), entry.getValue()[0]);
        }
        return Collections.unmodifiableMap(out);
    }
}
