package jp.sekisho.policy.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import jp.sekisho.policy.source.ConfigError;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

class PolicyTextTest {

    private static final String POLICY = """
            # 庁内の業務システム
            segments:
              - id: lgwan
                cidrs: [10.0.0.0/8]
            apps:
              # 住民記録: 住民課が担当
              - id: records
                tenant: "131016"
                hosts: [records.city.example.lg.jp]
                upstream: http://10.1.0.10:8080
                allow:
                  - id: clerks   # 窓口の職員
                    groups: [shimin-ka]
              - id: portal
                hosts: [portal.city.example.lg.jp]
                upstream: http://10.1.0.20:8080
                allow:
                  - id: staff
                    groups: [all-staff]
            timeZone: Asia/Tokyo
            """;

    @Test
    void anAppIsCutOutAsWrittenWithItsComments() throws Exception {
        PolicyText doc = PolicyText.parse("policy", POLICY);
        assertEquals(2, doc.apps().size());
        PolicyText.AppEntry records = doc.app("records").orElseThrow();
        assertEquals(Optional.of("131016"), records.tenant());
        assertTrue(records.yaml().startsWith("id: records\n"), records.yaml());
        assertTrue(records.yaml().contains("  - id: clerks   # 窓口の職員\n"), records.yaml());
        assertEquals(7, records.firstLine());
        assertFalse(records.yaml().contains("portal"));
    }

    @Test
    void replacingAnAppKeepsEveryOtherLineAndComment() throws Exception {
        PolicyText doc = PolicyText.parse("policy", POLICY);
        String changed = doc.app("records").orElseThrow().yaml().replace("shimin-ka", "koseki-ka");
        PolicyText.Edit edit = doc.replaceApp("records", changed);
        assertEquals(POLICY.replace("shimin-ka", "koseki-ka"), edit.text());
        assertEquals(7, edit.firstLine());
    }

    @Test
    void addingAndRemovingApps() throws Exception {
        PolicyText doc = PolicyText.parse("policy", POLICY);
        PolicyText.Edit added = doc.addApp("""
                id: tax
                hosts: [tax.city.example.lg.jp]
                upstream: http://10.1.0.30:8080
                allow:
                  - id: zeimu
                    groups: [zeimu-ka]
                """);
        PolicyText after = PolicyText.parse("policy", added.text());
        assertEquals(3, after.apps().size());
        assertEquals("tax", after.apps().get(2).id());
        assertTrue(added.text().contains("timeZone: Asia/Tokyo"));
        assertTrue(added.text().startsWith("# 庁内の業務システム\n"), "comments stay");

        PolicyText.Edit removed = after.removeApp("records");
        PolicyText left = PolicyText.parse("policy", removed.text());
        assertEquals(java.util.List.of("portal", "tax"), left.apps().stream().map(PolicyText.AppEntry::id).toList());
        assertTrue(removed.text().contains("# 庁内の業務システム"));
    }

    @Test
    void aFlowStyleDocumentIsWrittenOutWholeAndKeepsItsMeaning() throws Exception {
        String flow = "apps: [{id: a, hosts: [a.example], upstream: 'http://10.0.0.1', allow: [{id: r, users: [x]}]}]\n";
        PolicyText doc = PolicyText.parse("policy", flow);
        PolicyText.Edit edit = doc.replaceApp("a", "id: a\nhosts: [b.example]\nupstream: http://10.0.0.1\nallow:\n  - id: r\n    users: [y]\n");
        PolicyText after = PolicyText.parse("policy", edit.text());
        assertEquals("b.example", after.app("a").orElseThrow().node().path("hosts").get(0).asText());
        assertEquals("y", after.app("a").orElseThrow().node().path("allow").get(0).path("users").get(0).asText());
    }

    @Test
    void anErrorInTheDocumentIsReportedAtItsLineInTheApp() throws Exception {
        PolicyText doc = PolicyText.parse("policy", POLICY);
        PolicyText.Edit edit = doc.replaceApp("portal", "id: portal\nhosts: [portal.city.example.lg.jp]\nupstream: nope\nallow: []\n");
        int line = SourceDocument.parse("whole", edit.text()).error("/apps/1/upstream", "bad").line();
        ConfigError located = edit.inApp(new ConfigError("whole", line, 11, "apps[1].upstream", "bad"), "app portal", 4);
        assertEquals("app portal", located.file());
        assertEquals(3, located.line());
        ConfigError elsewhere = edit.inApp(new ConfigError("whole", 3, 1, "segments[0]", "bad"), "app portal", 4);
        assertEquals("whole", elsewhere.file());
    }
}
