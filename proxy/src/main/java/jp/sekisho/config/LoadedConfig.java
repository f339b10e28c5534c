package jp.sekisho.config;

import java.nio.file.Path;
import java.util.Objects;
import jp.sekisho.policy.PolicySnapshot;

/**
 * A configuration file that passed every check: its settings, its compiled policy, and the
 * hash of the exact bytes it came from (which is also the policy version).
 */
public record LoadedConfig(Path file, SekishoConfig settings, PolicySnapshot policy, String contentHash) {

    public LoadedConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(contentHash, "contentHash");
    }
}
