package jp.sekisho.policy.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

class PolicyLintTest {

    private static final String POLICY = """
            segments:
              - {id: lgwan, kind: lgwan, cidrs: [10.20.0.0/16]}
              - {id: home, kind: telework, cidrs: [10.99.0.0/16]}
            apps:
              - id: records
                owner: 市民課 内線 1234
                hosts: [records.example.lg.jp]
                upstream: http://10.20.5.1:8080
                mfa: {anyOf: [face, otp]}
                allow:
                  - {id: clerks, groups: [shimin-ka]}
                  - {id: clerks-from-lgwan, groups: [shimin-ka], segments: [lgwan]}
                  - {id: exporters, groups: [kansa], paths: [/export/**]}
                  - {id: auditors, groups: [kansa], methods: [GET]}
                deny:
                  - {id: no-export, paths: [/export/**]}
              - id: wiki
                hosts: [wiki.example.lg.jp]
                upstream: http://10.20.5.2:8080
                allow:
                  - {id: staff, groups: [all-staff]}
              - id: juki
                owner: 市民課
                hosts: [juki.example.lg.jp]
                upstream: http://10.20.5.3:8080
                model: alpha
                presetOverrides: [{control: reach, reason: VDI hosts sit on the telework side}]
                allow:
                  - {id: staff, groups: [shimin-ka], segments: [lgwan, home]}
            """;

    private static List<String> lint(Optional<Set<String>> used) throws Exception {
        SourceDocument source = SourceDocument.parse("p.yaml", POLICY);
        PolicySnapshot policy = PolicyCompiler.compile(source, "v");
        return PolicyLint.check(policy, source, used).stream().map(Finding::toString).toList();
    }

    @Test
    void findsShadowedRulesOpenAppsMissingOwnersAndLoosenedModels() throws Exception {
        assertEquals(List.of(
                "error   L003 juki: admits from [home] (internet or telework side) without MFA: set 'mfa', a 'model',"
                        + " or limit the rules' segments",
                "warning L005 juki: model alpha has its reach loosened (VDI hosts sit on the telework side)",
                "warning L001 records/clerks-from-lgwan: can never decide: rule 'clerks' before it admits everyone"
                        + " it admits, for every request it matches",
                "warning L002 records/exporters: can never admit anyone: deny rule 'no-export' refuses every request"
                        + " it matches",
                "error   L003 wiki: admits from [home] (internet or telework side) without MFA: set 'mfa', a 'model',"
                        + " or limit the rules' segments",
                "info    L004 wiki: no owner: add 'owner' (a section and contact) so people know whom to ask about"
                        + " this app"),
                lint(Optional.empty()));
    }

    @Test
    void givenTheAuditLogReportsRulesNobodyUsed() throws Exception {
        List<String> unused = lint(Optional.of(Set.of("records/clerks", "records/no-export", "wiki/staff")))
                .stream().filter(f -> f.contains("L006")).toList();
        assertEquals(List.of(
                "info    L006 juki/staff: decided no request in the audited period: still needed?",
                "info    L006 records/auditors: decided no request in the audited period: still needed?",
                "info    L006 records/clerks-from-lgwan: decided no request in the audited period: still needed?",
                "info    L006 records/exporters: decided no request in the audited period: still needed?"),
                unused);
    }
}
