package jp.sekisho.policy.breakout.m365;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import jp.sekisho.policy.compile.PolicyCompiler;
import jp.sekisho.policy.source.SourceDocument;
import org.junit.jupiter.api.Test;

class M365ImportTest {

    static final String CONFIG = """
            # 関所の設定 (テスト)
            segments:
              - {id: lgwan, cidrs: [10.20.0.0/16]}
            apps: []

            breakout:
              ismapExpired: warn        # 移行期間中は警告のみ
              allowlist:
                # kintone: 手で管理する
                - id: kintone
                  domains: [city.cybozu.com]
                  ismap: {id: C21-0003-1, validUntil: 2027-03-31}
                # Microsoft 365 (import-m365 が書き換える)
                - id: m365-1
                  name: Exchange Online (1)
                  domains:
                    - outlook.office.com
                  ports: [80, 443]
                  category: optimize
                  source: m365:2026090100
                - id: m365-99
                  name: Retired (99)
                  domains:
                    - retired.office.net
                  ports: [443]
                  category: default
                  source: m365:2026090100

                # Graph は情報政策課が管理する
                - id: graph
                  domains: [graph.microsoft.com]
                  allow: [{id: it, groups: [joho]}]
              parents:
                - {id: pref, address: "proxy.pref.example.lg.jp:8080"}
            # ここまで
            """;

    static JsonNode endpoints() throws IOException {
        try (InputStream in = M365ImportTest.class.getResourceAsStream("/m365/endpoints-worldwide.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void requiredSetsBecomeEntriesAndWhatCannotBeListedIsReported() throws Exception {
        M365Endpoints.Result read = M365Endpoints.read(endpoints(), "2026103000", M365Options.DEFAULT);
        assertEquals(9, read.sets());
        assertEquals(7, read.selected());
        assertEquals(List.of(
                new EntryDraft("m365-1", "Exchange Online (1)", List.of("outlook.cloud.microsoft",
                        "outlook.office.com", "outlook.office365.com"), List.of(80, 443), List.of(), "optimize",
                        "m365:2026103000"),
                new EntryDraft("m365-9", "Exchange Online (9)", List.of("*.protection.outlook.com"), List.of(443),
                        List.of(), "allow", "m365:2026103000"),
                new EntryDraft("m365-31", "SharePoint Online and OneDrive for Business (31)",
                        List.of("city-example.sharepoint.com", "city-example-my.sharepoint.com"), List.of(80, 443),
                        List.of(), "optimize", "m365:2026103000"),
                new EntryDraft("m365-46", "Microsoft 365 Common and Office Online (46)", List.of("*.msftidentity.com",
                        "graph.microsoft.com", "login.microsoft.com", "login.microsoftonline.com",
                        "login.windows.net"), List.of(80, 443), List.of(), "allow", "m365:2026103000"),
                new EntryDraft("m365-56", "Microsoft 365 Common and Office Online (56)",
                        List.of("*.microsoftonline.com", "*.msauth.net"), List.of(443), List.of(), "allow",
                        "m365:2026103000"),
                new EntryDraft("m365-69", "Microsoft 365 Common and Office Online (69)",
                        List.of("*.officeapps.live.com", "officeclient.microsoft.com"), List.of(80, 443), List.of(),
                        "default", "m365:2026103000")), read.entries());
        assertEquals(List.of(
                "m365-11: no TCP ports (UDP 3478,3479,3480,3481): the forward proxy carries TCP tunnels only",
                "m365-46 outlook.office365.com: already listed by m365-1",
                "m365-56 autodiscover.*.onmicrosoft.com: '*' is supported only as the whole leftmost label"
                        + " (*.example.com); list the names it stands for by hand if staff need them",
                "m365-69 *blob.core.windows.net: '*' is supported only as the whole leftmost label (*.example.com);"
                        + " list the names it stands for by hand if staff need them"),
                read.skipped().stream().map(Skipped::toString).toList());
    }

    @Test
    void optionsSelectOptionalSetsCategoriesAreasAndAddresses() throws Exception {
        M365Endpoints.Result all = M365Endpoints.read(endpoints(), "v", new M365Options(false, Set.of(), Set.of(),
                false));
        assertEquals(List.of("m365-1", "m365-8", "m365-9", "m365-31", "m365-46", "m365-56", "m365-69"),
                all.entries().stream().map(EntryDraft::id).toList());
        assertEquals("m365-2: no TCP ports (UDP 443): the forward proxy carries TCP tunnels only",
                all.skipped().get(0).toString());

        M365Endpoints.Result exchange = M365Endpoints.read(endpoints(), "v", new M365Options(true,
                Set.of("Optimize"), Set.of("exchange", "SharePoint"), true));
        assertEquals(List.of("m365-1", "m365-31"), exchange.entries().stream().map(EntryDraft::id).toList());
        assertEquals(List.of("13.107.6.152/31", "13.107.18.10/31", "40.96.0.0/13", "52.96.0.0/14", "2603:1006::/40",
                "2620:1ec:4::152/128"), exchange.entries().get(0).addresses());

        M365Endpoints.Result teams = M365Endpoints.read(endpoints(), "v", new M365Options(true, Set.of(),
                Set.of("Skype"), true));
        assertEquals(List.of(), teams.entries());
        assertEquals(List.of("m365-11: no TCP ports (UDP 3478,3479,3480,3481): the forward proxy carries TCP"
                + " tunnels only"), teams.skipped().stream().map(Skipped::toString).toList());
    }

    @Test
    void anImportReplacesThePreviousImportAndKeepsEverythingElseAsWritten() throws Exception {
        M365Import.Plan plan = M365Import.plan("sekisho.yaml", CONFIG, endpoints(), "2026103000",
                M365Options.DEFAULT);
        assertEquals(List.of("m365-9", "m365-31", "m365-46", "m365-56", "m365-69"), plan.added());
        assertEquals(List.of("m365-1"), plan.changed());
        assertEquals(List.of("m365-99"), plan.removed());
        assertEquals(0, plan.unchanged());
        assertEquals("m365-46 graph.microsoft.com: already listed by entry 'graph' (kept as written)",
                plan.skipped().get(plan.skipped().size() - 1).toString());
        assertEquals(CONFIG.replace("""
                    # Microsoft 365 (import-m365 が書き換える)
                    - id: m365-1
                      name: Exchange Online (1)
                      domains:
                        - outlook.office.com
                      ports: [80, 443]
                      category: optimize
                      source: m365:2026090100
                    - id: m365-99
                      name: Retired (99)
                      domains:
                        - retired.office.net
                      ports: [443]
                      category: default
                      source: m365:2026090100
                """, """
                    # Microsoft 365 (import-m365 が書き換える)
                    - id: m365-1
                      name: Exchange Online (1)
                      domains:
                        - outlook.cloud.microsoft
                        - outlook.office.com
                        - outlook.office365.com
                      ports: [80, 443]
                      category: optimize
                      source: m365:2026103000
                    - id: m365-9
                      name: Exchange Online (9)
                      domains:
                        - "*.protection.outlook.com"
                      ports: [443]
                      category: allow
                      source: m365:2026103000
                    - id: m365-31
                      name: SharePoint Online and OneDrive for Business (31)
                      domains:
                        - city-example.sharepoint.com
                        - city-example-my.sharepoint.com
                      ports: [80, 443]
                      category: optimize
                      source: m365:2026103000
                    - id: m365-46
                      name: Microsoft 365 Common and Office Online (46)
                      domains:
                        - "*.msftidentity.com"
                        - login.microsoft.com
                        - login.microsoftonline.com
                        - login.windows.net
                      ports: [80, 443]
                      category: allow
                      source: m365:2026103000
                    - id: m365-56
                      name: Microsoft 365 Common and Office Online (56)
                      domains:
                        - "*.microsoftonline.com"
                        - "*.msauth.net"
                      ports: [443]
                      category: allow
                      source: m365:2026103000
                    - id: m365-69
                      name: Microsoft 365 Common and Office Online (69)
                      domains:
                        - "*.officeapps.live.com"
                        - officeclient.microsoft.com
                      ports: [80, 443]
                      category: default
                      source: m365:2026103000
                """), plan.after());
        // the result is a policy that compiles, with the hand-written entries as they were
        var breakout = PolicyCompiler.compile(SourceDocument.parse("sekisho.yaml", plan.after()), "v").breakout();
        assertEquals(List.of("kintone", "m365-1", "m365-9", "m365-31", "m365-46", "m365-56", "m365-69", "graph"),
                breakout.entries().stream().map(e -> e.id()).toList());
    }

    @Test
    void reimportingANewVersionOnlyMovesTheVersionAndTheSameVersionChangesNothing() throws Exception {
        String first = M365Import.plan("sekisho.yaml", CONFIG, endpoints(), "2026103000", M365Options.DEFAULT).after();
        M365Import.Plan again = M365Import.plan("sekisho.yaml", first, endpoints(), "2026103000",
                M365Options.DEFAULT);
        assertEquals(false, again.changesFile());
        assertEquals(6, again.unchanged());

        M365Import.Plan next = M365Import.plan("sekisho.yaml", first, endpoints(), "2026113000", M365Options.DEFAULT);
        assertEquals(first.replace("source: m365:2026103000", "source: m365:2026113000"), next.after());
        assertEquals(List.of(), next.added());
        assertEquals(List.of(), next.changed());
        assertEquals(List.of(), next.removed());
        assertEquals(6, next.unchanged());
    }

    @Test
    void narrowingTheSelectionRemovesTheEntriesNoLongerSelected() throws Exception {
        String first = M365Import.plan("sekisho.yaml", CONFIG, endpoints(), "2026103000", M365Options.DEFAULT).after();
        M365Import.Plan exchangeOnly = M365Import.plan("sekisho.yaml", first, endpoints(), "2026103000",
                new M365Options(true, Set.of(), Set.of("Exchange"), false));
        assertEquals(List.of("m365-31", "m365-46", "m365-56", "m365-69"), exchangeOnly.removed());
        var breakout = PolicyCompiler.compile(SourceDocument.parse("sekisho.yaml", exchangeOnly.after()), "v")
                .breakout();
        assertEquals(List.of("kintone", "m365-1", "m365-9", "graph"),
                breakout.entries().stream().map(e -> e.id()).toList());
    }

    @Test
    void aListThatIsNotMicrosoftsIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> M365Endpoints.read(new ObjectMapper().readTree("{\"id\": 1}"), "v", M365Options.DEFAULT));
        assertEquals("not an endpoints list: expected the JSON array that"
                + " https://endpoints.office.com/endpoints/worldwide returns", e.getMessage());
    }

    @Test
    void portListsAndRangesAreRead() {
        assertEquals(List.of(80, 443), M365Endpoints.ports("443,80"));
        assertEquals(List.of(3478, 3479, 3480, 3481), M365Endpoints.ports("3478-3481"));
        assertEquals(null, M365Endpoints.ports("1-65535"));
        assertEquals(null, M365Endpoints.ports("https"));
    }
}
