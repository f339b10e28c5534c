package jp.sekisho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sekisho breakout import-m365} on a hand-made copy of Microsoft's endpoints list, as an administrator runs it. */
class BreakoutCommandTest {

    private static final String ENDPOINTS = Path.of("..", "policy", "src", "test", "resources", "m365",
            "endpoints-worldwide.json").toString();

    private static final String CONFIG = """
            # 関所の設定
            issuers:
              - id: entra
                issuer: https://login.microsoftonline.com/tenant/v2.0
                audiences: [api://sekisho]
            segments:
              - {id: lgwan, cidrs: [10.20.0.0/16]}
            apps:
              - id: records
                hosts: [records.example.lg.jp]
                upstream: http://10.0.0.5:8080
                allow:
                  - id: clerks
                    groups: [shimin-ka]
            breakout:
              parents:
                - {id: pref, address: "proxy.pref.example.lg.jp:8080", segments: [lgwan]}
              allowlist:
                # kintone は手で管理する
                - id: kintone
                  domains: [city.cybozu.com]
                  ismap: {id: C21-0003-1, validUntil: 2099-03-31}
            """;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new CommandLine(new SekishoCli()).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path config(String text) throws Exception {
        Path file = dir.resolve("sekisho.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void withoutApplyTheSummaryAndDiffArePrintedAndTheFileIsLeftAlone() throws Exception {
        Path file = config(CONFIG);
        assertEquals(0, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--data-version",
                "2026103000"));
        String text = out();
        assertTrue(text.contains("Microsoft 365 endpoints version 2026103000: 9 sets, 7 selected\n"), text);
        assertTrue(text.contains("entries: 6 added, 0 changed, 0 removed, 0 unchanged\n"), text);
        assertTrue(text.contains("  added: m365-1, m365-9, m365-31, m365-46, m365-56, m365-69\n"), text);
        assertTrue(text.contains("skipped (4):\n"), text);
        assertTrue(text.contains("  m365-69 *blob.core.windows.net: '*' is supported only as the whole leftmost"
                + " label"), text);
        assertTrue(text.contains("--- " + file + " (now)\n+++ " + file + " (imported)\n"), text);
        assertTrue(text.contains("\n+    - id: m365-46\n+      name: Microsoft 365 Common and Office Online (46)\n"),
                text);
        assertTrue(text.contains("\n+      source: m365:2026103000\n"), text);
        assertTrue(text.contains("nothing written: run again with --apply to write " + file), text);
        assertEquals(CONFIG, Files.readString(file));
    }

    @Test
    void withApplyTheFileIsWrittenLoadsAndASecondRunChangesNothing() throws Exception {
        Path file = config(CONFIG);
        assertEquals(0, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--data-version",
                "2026103000", "--apply"));
        assertTrue(out().contains("wrote " + file), out());
        String written = Files.readString(file);
        assertTrue(written.startsWith(CONFIG), "everything written by hand stays, comments too:\n" + written);
        assertTrue(written.contains("""
                    - id: m365-56
                      name: Microsoft 365 Common and Office Online (56)
                      domains:
                        - "*.microsoftonline.com"
                        - "*.msauth.net"
                      ports: [443]
                      category: allow
                      source: m365:2026103000
                """), written);
        assertEquals(0, run("validate", "-c", file.toString()), err.toString(StandardCharsets.UTF_8));

        assertEquals(0, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--data-version",
                "2026103000", "--apply"));
        assertTrue(out().contains("entries: 0 added, 0 changed, 0 removed, 6 unchanged\n"), out());
        assertTrue(out().contains("no changes: " + file + " already holds these entries"), out());
        assertEquals(written, Files.readString(file));
    }

    @Test
    void selectingFewerSetsRemovesTheOthersOnTheNextImport() throws Exception {
        Path file = config(CONFIG);
        assertEquals(0, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--data-version", "1",
                "--apply"));
        assertEquals(0, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--data-version", "2",
                "--service-areas", "Exchange", "--categories", "optimize", "--with-addresses", "--apply"));
        String text = out();
        assertTrue(text.contains("entries: 0 added, 1 changed, 5 removed, 0 unchanged\n"), text);
        assertTrue(text.contains("  removed: m365-9, m365-31, m365-46, m365-56, m365-69\n"), text);
        assertTrue(text.contains("\n+      addresses:\n+        - 13.107.6.152/31\n"), text);
        assertTrue(text.contains("\n+        - 2603:1006::/40\n"), text);
        assertEquals(0, run("validate", "-c", file.toString()), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        Path file = config(CONFIG);
        Path notJson = dir.resolve("endpoints.json");
        Files.writeString(notJson, "<html>rate limited</html>");
        assertEquals(2, run("breakout", "import-m365", notJson.toString(), "-c", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(notJson + ": not JSON"), err.toString());

        Files.writeString(notJson, "{\"id\": 1}");
        assertEquals(2, run("breakout", "import-m365", notJson.toString(), "-c", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not an endpoints list"), err.toString());

        assertEquals(2, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--categories", "fast"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--categories: 'fast' is not optimize, allow or"
                + " default"), err.toString());

        String flowStyle = CONFIG.substring(0, CONFIG.indexOf("breakout:")) + "breakout: {parents: []}\n";
        Path flow = config(flowStyle);
        assertEquals(2, run("breakout", "import-m365", ENDPOINTS, "-c", flow.toString(), "--apply"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("breakout is not written as a block mapping"),
                err.toString());
        assertEquals(flowStyle, Files.readString(flow));
    }

    @Test
    void anImportThatWouldNotLoadIsNotWritten() throws Exception {
        // a hand-written entry on a segment that does not exist: the file is wrong before and after the import
        String broken = CONFIG.replace("domains: [city.cybozu.com]", "domains: [city.cybozu.com]\n"
                + "      allow: [{id: staff, groups: [all-staff], segments: [nowhere]}]");
        Path file = config(broken);
        assertEquals(2, run("breakout", "import-m365", ENDPOINTS, "-c", file.toString(), "--apply"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("no segment has the id 'nowhere'"), errors);
        assertTrue(errors.contains("the imported configuration would not load: nothing written"), errors);
        assertEquals(broken, Files.readString(file));
    }
}
