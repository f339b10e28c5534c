package jp.sekisho.policy.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jp.sekisho.policy.source.ConfigException;
import org.junit.jupiter.api.Test;

class AllowlistTextTest {

    private static final List<String> ENTRY = List.of("""
            id: m365-1
            domains:
              - outlook.office.com
            source: m365:1
            """);

    private static String replaced(String text) throws ConfigException {
        return AllowlistText.parse("sekisho.yaml", text).replaceImported("m365:", ENTRY);
    }

    @Test
    void aFileWithoutTheSectionGetsItAtTheEnd() throws ConfigException {
        assertEquals("""
                apps: []   # アプリはまだない

                breakout:
                  allowlist:
                    - id: m365-1
                      domains:
                        - outlook.office.com
                      source: m365:1
                """, replaced("apps: []   # アプリはまだない\n"));
    }

    @Test
    void aSectionWithoutAnAllowlistGetsOneAfterItsLastKeyBeforeTheNextSection() throws ConfigException {
        assertEquals("""
                breakout:
                    ismapExpired: warn
                    allowlist:
                      - id: m365-1
                        domains:
                          - outlook.office.com
                        source: m365:1
                # the apps
                apps: []
                """, replaced("""
                breakout:
                    ismapExpired: warn
                # the apps
                apps: []
                """));
    }

    @Test
    void anEmptyAllowlistIsFilled() throws ConfigException {
        String expected = """
                breakout:
                  allowlist:   # 空
                    - id: m365-1
                      domains:
                        - outlook.office.com
                      source: m365:1
                  ismapExpired: warn
                """;
        assertEquals(expected, replaced("""
                breakout:
                  allowlist: []   # 空
                  ismapExpired: warn
                """));
        assertEquals(expected, replaced("""
                breakout:
                  allowlist:   # 空
                  ismapExpired: warn
                """));
    }

    @Test
    void withoutAPreviousImportTheEntriesFollowTheLastEntryAndItsCommentsStayWithTheNextKey() throws ConfigException {
        assertEquals("""
                breakout:
                  allowlist:
                  - id: kintone
                    domains: [city.cybozu.com]
                  - id: m365-1
                    domains:
                      - outlook.office.com
                    source: m365:1

                  # 親プロキシ
                  parents: []
                """, replaced("""
                breakout:
                  allowlist:
                  - id: kintone
                    domains: [city.cybozu.com]

                  # 親プロキシ
                  parents: []
                """));
    }

    @Test
    void aFileWithoutAFinalNewlineOrWithWindowsLineEndsKeepsItsLastLine() throws ConfigException {
        assertEquals("breakout:\r\n  allowlist:\r\n    - id: kintone\r\n      domains: [city.cybozu.com]\r\n"
                        + "    - id: m365-1\r\n      domains:\r\n        - outlook.office.com\r\n"
                        + "      source: m365:1\r\n",
                replaced("breakout:\r\n  allowlist:\r\n    - id: kintone\r\n      domains: [city.cybozu.com]"));
    }

    @Test
    void aFlowStyleSectionIsRefusedRatherThanRewritten() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> replaced("breakout: {allowlist: [{id: a, domains: [a.example.jp]}]}\n"));
        assertEquals("sekisho.yaml:0:0: breakout.allowlist: breakout is not written as a block mapping: write it"
                + " with one key per line to import into it", e.errors().get(0).toString());
        ConfigException list = assertThrows(ConfigException.class,
                () -> replaced("breakout:\n  allowlist: [{id: a, domains: [a.example.jp]}]\n"));
        assertEquals("sekisho.yaml:0:0: breakout.allowlist: breakout.allowlist is not written as a block list: write"
                + " one '- id: ...' entry per item to import into it", list.errors().get(0).toString());
    }
}
