package jp.sekisho.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The network model an app runs under, and which of its controls the administrator loosened,
 * each with the reason they gave.
 *
 * @param preset    the model, when the app names one
 * @param overrides loosened controls ({@code reach}, {@code mfa}, {@code posture},
 *                  {@code fileControls}) and why
 */
public record AppModel(Optional<ModelPreset> preset, Map<String, String> overrides) {

    public static final AppModel NONE = new AppModel(Optional.empty(), Map.of());

    public AppModel {
        Objects.requireNonNull(preset, "preset");
        overrides = Map.copyOf(overrides);
    }
}
