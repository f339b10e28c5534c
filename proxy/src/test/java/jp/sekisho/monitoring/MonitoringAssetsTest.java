package jp.sekisho.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.sekisho.policy.source.SourceDocument;
import jp.sekisho.testing.DeviceCa;
import jp.sekisho.testing.ProxyFixture;
import jp.sekisho.testing.TlsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped dashboard and alert rules name only metrics a running Sekisho exports, from its
 * first scrape: a renamed metric, or one that appears only after its first event, would leave
 * a panel empty or an alert silent without anyone noticing.
 */
class MonitoringAssetsTest {

    private static final Path MONITORING = Path.of("..", "k8s", "components", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b(sekisho|vertx)_[a-z0-9_]+");

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    private Set<String> exported() throws Exception {
        DeviceCa ca = DeviceCa.create("monitoring", proxy.dir.resolve("pki"));
        DeviceCa.Issued certificate = ca.serverCertificate("127.0.0.1", "localhost");
        String mfaApp = """
                  - id: records-secure
                    hosts: [127.0.0.1]
                    pathPrefixes: [/secure]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                    mfa: {anyOf: [face, otp], maxAgeSeconds: 900}
                """.formatted(proxy.upstream.url());
        // With the forward proxy on and one allowlist entry with an ISMAP registration, for the breakout dashboard.
        String breakout = """
                forwardProxy:
                  listen: {port: 0, host: 127.0.0.1}
                breakout:
                  allowlist:
                    - id: m365-exchange
                      domains: [outlook.office.com]
                      ismap: {id: C21-0003-1, validUntil: 2027-03-31}
                """;
        proxy.start(proxy.configWithApps(breakout, mfaApp).replace("listen: {host: 127.0.0.1, port: 0}", """
                listen:
                  host: 127.0.0.1
                  port: 0
                  tls: {certificateFile: %s, keyFile: %s}""".formatted(certificate.certificatePath(),
                certificate.privateKeyPath())));
        // One allowed request: per-app series (requests, latency, tokens, posture) appear with the first one.
        assertEquals(200, TlsClient.get(proxy.vertx, proxy.port(), "127.0.0.1", "/", ca.caCertificatePath(),
                HttpVersion.HTTP_1_1, "Authorization", "Bearer " + proxy.idp.token("sato", "shimin-ka")).status());
        // And one asked to step up: the MFA series appear with the first request to an app that demands MFA.
        assertEquals(401, TlsClient.get(proxy.vertx, proxy.port(), "127.0.0.1", "/secure/", ca.caCertificatePath(),
                HttpVersion.HTTP_1_1, "Authorization", "Bearer " + proxy.idp.rs256(proxy.idp.claims("sato", "shimin-ka")
                        .claim("amr", List.of("pwd")).build())).status());
        Set<String> names = new TreeSet<>();
        for (String line : proxy.management("/metrics").body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static Set<String> named(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Every dashboard shipped, by file name. */
    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(MONITORING.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyMetricTheDashboardsAndTheAlertsUseIsExportedFromTheStart() throws Exception {
        Set<String> exported = exported();
        Set<String> used = new TreeSet<>();
        for (Path file : dashboards()) {
            new ObjectMapper().readTree(file.toFile()).path("panels").forEach(panel -> panel.path("targets")
                    .forEach(target -> used.addAll(named(target.path("expr").asText()))));
        }
        JsonNode rules = SourceDocument.parse("prometheus-rule.yaml", Files.readString(
                MONITORING.resolve("prometheus-rule.yaml"), StandardCharsets.UTF_8)).root();
        rules.path("spec").path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> used.addAll(named(rule.path("expr").asText()))));
        assertTrue(used.size() > 30, "the assets were read: " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "named by the dashboard or alerts but not exported");
    }

    @Test
    void everyExportedMetricIsInTheReferenceTable() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "operations.md"), StandardCharsets.UTF_8);
        Set<String> undocumented = new TreeSet<>();
        for (String name : exported()) {
            String family = name.replaceAll("_(bucket|sum|count|max)$", "");
            if (name.startsWith("sekisho_") && !reference.contains("`" + family + "`")
                    && !reference.contains("`" + family.replaceAll("_total$", "") + "_total`")) {
                undocumented.add(family);
            }
        }
        assertEquals(Set.of(), undocumented, "docs/operations.md lists every metric");
    }

    @Test
    void theDashboardsAreStableAndPortable() throws Exception {
        List<String> uids = new java.util.ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            String name = file.getFileName().toString();
            assertEquals(name.replace(".json", ""), dashboard.path("uid").asText(), "a stable uid keeps links working");
            uids.add(dashboard.path("uid").asText());
            assertPortable(dashboard);
        }
        assertEquals(List.of("sekisho-audit", "sekisho-breakout", "sekisho-devices", "sekisho-identity", "sekisho-overview"),
                uids);
    }

    private static void assertPortable(JsonNode dashboard) {
        List<String> variables = dashboard.path("templating").path("list").findValuesAsText("name");
        assertTrue(variables.contains("datasource"), variables.toString());
        // the app filter where panels are per app (local breakout has no apps, only allowlist entries)
        assertTrue(!dashboard.toString().contains("$app") || variables.contains("app"), variables.toString());
        dashboard.path("panels").forEach(panel -> {
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            panel.path("targets").forEach(target -> {
                String expr = target.path("expr").asText();
                assertTrue(!expr.contains("rate(") || expr.contains("$__rate_interval") || expr.contains("[1h]"),
                        "rates use $__rate_interval: " + expr);
            });
        });
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookThatExists() throws Exception {
        String runbook = Files.readString(Path.of("..", "docs", "operations.md"), StandardCharsets.UTF_8)
                .toLowerCase(java.util.Locale.ROOT);
        JsonNode rules = SourceDocument.parse("prometheus-rule.yaml", Files.readString(
                MONITORING.resolve("prometheus-rule.yaml"), StandardCharsets.UTF_8)).root();
        int alerts = 0;
        for (JsonNode group : rules.path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                JsonNode annotations = rule.path("annotations");
                assertTrue(annotations.hasNonNull("summary") && annotations.hasNonNull("description"), name);
                String url = annotations.path("runbook_url").asText();
                assertEquals("docs/operations.md#" + name.toLowerCase(java.util.Locale.ROOT), url, name);
                assertTrue(runbook.contains("### " + name.toLowerCase(java.util.Locale.ROOT)),
                        "docs/operations.md has a runbook section for " + name);
                alerts++;
            }
        }
        assertEquals(18, alerts);
    }
}
