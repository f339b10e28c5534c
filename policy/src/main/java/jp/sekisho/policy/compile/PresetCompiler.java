package jp.sekisho.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.AppModel;
import jp.sekisho.policy.ModelPreset;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.RequestMatch;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.NetworkSegments;
import jp.sekisho.policy.network.SegmentKind;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.posture.PostureRequirement;

/**
 * Expands an app's {@code model} into its rules and controls, deterministically:
 * <ul>
 *   <li>reach: every allow rule admits only from segments of the model's kinds; a rule without
 *       segments gets all of them, and a rule that names another segment loosens the model;</li>
 *   <li>MFA: an app that sets none gets the floor (two factor classes) when the model needs MFA;</li>
 *   <li>posture: the floor's demands are added to the app's own;</li>
 *   <li>file controls: a model that needs them cannot run without them.</li>
 * </ul>
 * Loosening (a rule beyond the reach, no MFA, dropping the posture floor, running without the
 * file controls) is an error unless {@code presetOverrides} names the control with a reason.
 */
final class PresetCompiler {

    /** The app's rules and controls after the model. */
    record Expanded(List<AllowRule> rules, MfaRequirement mfa, PostureRequirement posture, FileControls files,
                    AppModel model) {
    }

    private static final Set<String> CONTROLS = Set.of("reach", "mfa", "posture", "fileControls");

    private PresetCompiler() {
    }

    static Expanded expand(SourceDocument document, JsonNode app, String at, NetworkSegments segments,
                           List<AllowRule> rules, MfaRequirement mfa, PostureRequirement posture, FileControls files,
                           List<ConfigError> errors) {
        if (!app.has("model")) {
            if (app.has("presetOverrides")) {
                errors.add(document.error(at + "/presetOverrides", "there is no model to override: set 'model' first"));
            }
            return new Expanded(rules, mfa, posture, files, AppModel.NONE);
        }
        String code = app.path("model").asText();
        Optional<ModelPreset> parsed = ModelPreset.parse(code);
        if (parsed.isEmpty()) {
            errors.add(document.error(at + "/model", "'" + code + "' is not a model; use alpha, alpha-prime-1,"
                    + " alpha-prime-2, alpha-prime-3, beta or beta-prime"));
            return new Expanded(rules, mfa, posture, files, AppModel.NONE);
        }
        ModelPreset preset = parsed.get();
        Map<String, String> overrides = overrides(document, app.path("presetOverrides"), at + "/presetOverrides",
                errors);

        Set<String> reachable = new LinkedHashSet<>();
        for (NetworkSegments.Segment segment : segments.all()) {
            if (segment.kind().isPresent() && preset.reach().contains(segment.kind().get())) {
                reachable.add(segment.id());
            }
        }
        List<AllowRule> expanded = new ArrayList<>();
        if (!overrides.containsKey("reach")) {
            if (reachable.isEmpty()) {
                errors.add(document.error(at + "/model", "model " + code + " lets requests in only from segments of kind "
                        + kinds(preset) + ", and no segment has that kind: give your segments a 'kind'"));
            }
            for (int i = 0; i < rules.size(); i++) {
                AllowRule rule = rules.get(i);
                Set<String> outside = new TreeSet<>(rule.segments());
                outside.removeAll(reachable);
                if (!outside.isEmpty()) {
                    errors.add(document.error(at + "/allow/" + i + "/segments", "rule '" + rule.id()
                            + "' admits from " + outside + ", beyond model " + code + " (segments of kind "
                            + kinds(preset) + "); to allow it, add presetOverrides: [{control: reach, reason: ...}]"));
                }
                Set<String> narrowed = rule.segments().isEmpty() ? reachable : rule.segments();
                RequestMatch where = rule.where();
                expanded.add(new AllowRule(rule.id(), rule.users(), rule.groups(),
                        new RequestMatch(narrowed, where.methods(), where.paths(), where.times())));
            }
        } else {
            expanded.addAll(rules);
        }

        MfaRequirement effectiveMfa = mfa;
        if (preset.mfaRequired() && mfa.equals(MfaRequirement.NONE) && !overrides.containsKey("mfa")) {
            effectiveMfa = ModelPreset.MFA_FLOOR;
        }
        PostureRequirement effectivePosture = overrides.containsKey("posture") ? posture
                : atLeast(posture, preset.postureFloor());
        FileControls effectiveFiles = files;
        if (preset.blocksDownloadsToLgwan() && !overrides.containsKey("fileControls")) {
            Set<String> lgwan = new LinkedHashSet<>(files.blockDownloadsFrom());
            segments.all().stream().filter(s -> s.kind().filter(k -> k == SegmentKind.LGWAN).isPresent())
                    .forEach(s -> lgwan.add(s.id()));
            effectiveFiles = new FileControls(lgwan, files.downloadContentTypes(), files.maxUploadBytes(),
                    files.refuseMyNumber());
        }
        if (preset.unenforcedFileControls().isPresent() && !overrides.containsKey("fileControls")) {
            errors.add(document.error(at + "/model", "model " + code + " needs file controls ("
                    + preset.unenforcedFileControls().get() + "), which Sekisho cannot enforce itself; if they are"
                    + " enforced elsewhere, add presetOverrides: [{control: fileControls, reason: ...}]"));
        }
        return new Expanded(expanded, effectiveMfa, effectivePosture, effectiveFiles,
                new AppModel(Optional.of(preset), overrides));
    }

    private static Map<String, String> overrides(SourceDocument document, JsonNode list, String at,
                                                 List<ConfigError> errors) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String control = list.get(i).path("control").asText();
            String reason = list.get(i).path("reason").asText("").strip();
            if (!CONTROLS.contains(control)) {
                errors.add(document.error(at + "/" + i + "/control", "'" + control
                        + "' is not a control a model sets; use reach, mfa, posture or fileControls"));
            } else if (reason.isEmpty()) {
                errors.add(document.error(at + "/" + i, "an override needs a reason: it is shown at every load"));
            } else {
                overrides.put(control, reason);
            }
        }
        return overrides;
    }

    /** The app's own demands plus the floor's. */
    private static PostureRequirement atLeast(PostureRequirement own, PostureRequirement floor) {
        return new PostureRequirement(own.certificateRequired() || floor.certificateRequired(),
                own.managed() || floor.managed(), own.compliant() || floor.compliant(),
                own.edrRunning() || floor.edrRunning(), own.edrMaxRisk().or(floor::edrMaxRisk),
                own.diskEncrypted() || floor.diskEncrypted(), own.screenLock() || floor.screenLock(),
                own.minOsVersion(), own.maxPatchAgeDays(), own.maxObservationAge());
    }

    private static String kinds(ModelPreset preset) {
        return String.join(", ", preset.reach().stream().map(k -> k.code()).sorted().toList());
    }
}
