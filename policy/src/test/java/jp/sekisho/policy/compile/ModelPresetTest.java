package jp.sekisho.policy.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.simulate.AppExplanation;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each model preset's expansion is pinned by a golden file: the app's rules and controls as
 * {@code sekisho policy explain} prints them. A change to a preset shows up as a diff here.
 */
class ModelPresetTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ModelPresetTest.class.getResourceAsStream("/presets/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PolicySnapshot compile(String yaml) throws ConfigException {
        return PolicyCompiler.compile(SourceDocument.parse("p.yaml", yaml), "golden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alpha", "alpha-prime-1", "alpha-prime-2", "alpha-prime-3", "beta", "beta-prime"})
    void eachPresetExpandsAsItsGoldenFileSays(String model) throws Exception {
        PolicySnapshot policy = compile(resource("policy.yaml"));
        String explained = String.join("\n", AppExplanation.lines(policy, policy.app(model).orElseThrow())) + "\n";
        assertEquals(resource(model + ".txt"), explained);
    }

    private static List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> compile(yaml)).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void looseningAPresetIsAnErrorUnlessOverriddenWithAReason() throws Exception {
        String app = """
                segments:
                  - {id: lgwan, kind: lgwan, cidrs: [10.20.0.0/16]}
                  - {id: net, kind: internet, cidrs: [10.30.0.0/16]}
                apps:
                  - id: juki
                    hosts: [juki.example.lg.jp]
                    upstream: http://10.20.5.1:8080
                    model: alpha
                %s
                    allow:
                      - {id: staff, groups: [all-staff], segments: [lgwan, net]}
                """;
        assertEquals(List.of("p.yaml:11:42: apps[0].allow[0].segments: rule 'staff' admits from [net], beyond model"
                + " alpha (segments of kind lgwan); to allow it, add presetOverrides: [{control: reach, reason: ...}]"),
                errors(app.formatted("")));
        // an override without a reason does not count: the rule is still beyond the model
        assertEquals(List.of("p.yaml:9:23: apps[0].presetOverrides[0]: an override needs a reason: it is shown at"
                + " every load", "p.yaml:11:42: apps[0].allow[0].segments: rule 'staff' admits from [net], beyond model"
                + " alpha (segments of kind lgwan); to allow it, add presetOverrides: [{control: reach, reason: ...}]"),
                errors(app.formatted("    presetOverrides: [{control: reach}]")));
        PolicySnapshot overridden = compile(app.formatted(
                "    presetOverrides: [{control: reach, reason: VDI hosts in the internet segment}]"));
        assertEquals(java.util.Set.of("lgwan", "net"), overridden.app("juki").orElseThrow().rules().get(0).segments());
    }

    @Test
    void aModelNeedsSegmentsOfItsKindsAndFileControlsSekishoCannotEnforce() {
        assertEquals(List.of(
                "p.yaml:5:5: apps[0].model: model alpha-prime-3 lets requests in only from segments of kind lgwan, and"
                        + " no segment has that kind: give your segments a 'kind'",
                "p.yaml:5:5: apps[0].model: model alpha-prime-3 needs file controls (files checked and sanitised"
                        + " (無害化) before they reach LGWAN terminals), which Sekisho cannot enforce itself; if they"
                        + " are enforced elsewhere, add presetOverrides: [{control: fileControls, reason: ...}]"),
                errors("""
                        apps:
                          - id: teams
                            hosts: [teams.example.lg.jp]
                            upstream: http://10.20.5.1:8080
                            model: alpha-prime-3
                            allow:
                              - {id: staff, groups: [all-staff]}
                        """));
    }
}
