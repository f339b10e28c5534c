package jp.sekisho.posture.importer;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The posture platform code for an operating system name as Intune writes it. */
final class OsPlatforms {

    // Keys are lower case without spaces, so "Chrome OS" and "ChromeOS" both match.
    private static final Map<String, String> BY_INTUNE_NAME = Map.of(
            "windows", "windows",
            "macos", "macos",
            "ios", "ios",
            // An iPad's minimum version is set with the iPhone's: both run the same release train.
            "ipados", "ios",
            "android", "android",
            "linux", "linux",
            "chromeos", "chromeos");

    private OsPlatforms() {
    }

    static Optional<String> fromIntune(String operatingSystem) {
        String key = operatingSystem.replace(" ", "").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(BY_INTUNE_NAME.get(key));
    }
}
