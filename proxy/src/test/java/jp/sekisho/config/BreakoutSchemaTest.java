package jp.sekisho.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.ConfigException;
import org.junit.jupiter.api.Test;

/** The {@code breakout} section as the published schema and the loader read it. */
class BreakoutSchemaTest {

    private static final String SETTINGS = """
            issuers:
              - id: entra
                issuer: https://login.microsoftonline.com/tenant/v2.0
                audiences: [api://sekisho]
            segments:
              - {id: lgwan, cidrs: [10.20.0.0/16]}
              - {id: telework, cidrs: [10.99.0.0/16]}
            apps: []
            """;

    private static final String BREAKOUT = """
            breakout:
              ismapExpired: enforce
              defaults: {mfa: {anyOf: [face, otp]}, posture: {managed: true}}
              parents:
                - id: pref-cloud
                  address: proxy.pref.example.lg.jp:8080
                  segments: [lgwan]
              tenantRestrictions:
                hosts: [login.microsoftonline.com, login.microsoft.com, login.windows.net]
                headers: {Restrict-Access-To-Tenants: "city.example.onmicrosoft.com", Restrict-Access-Context: "00000000-0000-0000-0000-000000000000"}
              allowlist:
                - id: m365-exchange
                  name: Exchange Online
                  domains: [outlook.office.com, "*.outlook.office.com"]
                  ports: [443]
                  addresses: [52.96.0.0/14]
                  category: optimize
                  ismap: {id: C21-0006-1, validFrom: 2021-05-01, validUntil: 2099-04-30}
                  allow: [{id: staff, groups: [all-staff], segments: [telework]}]
                  mfa: {anyOf: [face, otp], maxAgeSeconds: 28800}
                  posture: {managed: true}
                  allowPrivate: false
                  deviceOnly: false
                  source: m365:2026103000
            """;

    private static LoadedConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(false).load(Path.of("sekisho.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).errors().stream().map(ConfigError::toString)
                .toList();
    }

    @Test
    void theDocumentedSectionLoadsAsPolicy() throws ConfigException {
        LoadedConfig loaded = load(SETTINGS + BREAKOUT);
        assertEquals(List.of("m365-exchange"), loaded.policy().breakout().entries().stream().map(e -> e.id()).toList());
        assertEquals("pref-cloud", loaded.policy().breakout().parents().get(0).id());
    }

    @Test
    void theSchemaNamesAMisspeltFieldAndAPortOutOfRange() {
        assertEquals(List.of(
                "sekisho.yaml:22:7: breakout.allowlist[0].domain: unknown field 'domain'; did you mean 'domains'?",
                "sekisho.yaml:23:20: breakout.allowlist[0].ports[1]: must have a maximum value of 65535"),
                errors(SETTINGS + BREAKOUT.replace("domains: [outlook", "domain: [outlook")
                        .replace("ports: [443]", "ports: [443, 70000]")));
    }

    @Test
    void theCompilerExplainsWhatTheSchemaLetsThrough() {
        assertEquals(List.of("sekisho.yaml:27:70: breakout.allowlist[0].allow[0].methods: 'methods' does not apply to"
                        + " the allowlist: the forward proxy sees a tunnel to a host, not requests; remove it"),
                errors(SETTINGS + BREAKOUT.replace("segments: [telework]}]", "segments: [telework], methods: [GET]}]")));
    }
}
