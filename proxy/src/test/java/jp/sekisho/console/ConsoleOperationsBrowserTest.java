package jp.sekisho.console;

import static jp.sekisho.testing.ConsoleBrowser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.sekisho.cli.SekishoCli;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import picocli.CommandLine;

/**
 * The console's operating pages against the demo, in a real browser: the access log finds the
 * request just made and exports it, quarantine from the devices page cuts a device off at the
 * proxy, the breakout page marks ISMAP registrations about to end, the health page shows the
 * serving version, and the language can be switched.
 */
@Tag("browser")
@ExtendWith(ConsoleSession.class)
class ConsoleOperationsBrowserTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\"x-request-id\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void theAccessLogFindsTheRequestJustMadeShowsEveryFactAndTheRuleAndSavesTheSearchAsCsv(
            ConsoleDemo demo, ConsoleBrowser browser) throws Exception {
        String answer = demo.app("records.localhost", demo.staffToken("sato", "face"));
        assertEquals(200, RawHttp.status(answer), answer);
        Matcher id = REQUEST_ID.matcher(answer);
        assertTrue(id.find(), answer);
        String requestId = id.group(1);

        demo.signIn(browser, "tanaka", "face");
        browser.click("nav-audit");
        browser.type("audit-user", "sato");
        browser.type("audit-app", "records");
        new Select(browser.clickable("audit-decision")).selectByValue("allow");
        // the trail is written a moment after the answer: search again until the record is there
        browser.until(d -> {
            browser.click("audit-search");
            browser.textContains("audit-status", "件");
            return browser.present("audit-row-" + requestId) ? true : null;
        });
        assertTrue(browser.driver.findElement(testId("audit-row-" + requestId)).getText().contains("sato"));

        browser.click("audit-open-" + requestId);
        String detail = browser.visible("audit-detail").getText();
        assertEquals("shimin-ka", browser.driver.findElement(testId("audit-detail-rule")).getText());
        for (String fact : List.of("requestId", requestId, "user.username", "sato", "user.groups", "shimin-ka",
                "user.methods", "face", "segment", "lgwan", "decision", "allow", "reasons", "policyVersion", "host",
                "records.localhost")) {
            assertTrue(detail.contains(fact), "the detail shows " + fact + ": " + detail);
        }
        browser.screenshot("audit");

        browser.click("audit-export-csv");
        Path csv = browser.until(d -> {
            try {
                return browser.downloads().stream().filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFFtime,requestId,"), text);
        assertTrue(text.contains(requestId) && text.contains("records.localhost") && text.contains(",allow,"), text);
    }

    @Test
    void quarantineFromTheDevicesPageCutsTheDeviceOffAtTheProxyAndReleaseLetsItBackIn(
            ConsoleDemo demo, ConsoleBrowser browser) throws Exception {
        String user = demo.staffToken("sato", "face");
        String device = cli("posture", "issue", "--key", demo.dir.resolve("keys/demo-posture-key.jwk.json").toString(),
                "--issuer", "https://posture.demo.localhost", "--records", demo.dir.resolve("devices.json").toString(),
                "--device", "LG-PC-0001");
        assertEquals(200, RawHttp.status(demo.app("zeimu.localhost", user, "X-Sekisho-Device-Posture", device)));

        demo.signIn(browser, "tanaka", "face");
        browser.click("nav-devices");
        browser.visible("holds-none");
        // what the device last proved, from its latest audit record
        browser.type("posture-device", "LG-PC-0001");
        browser.click("posture-lookup");
        String posture = browser.textContains("posture-result", "sato");
        assertTrue(posture.contains("zeimu") && posture.contains("条件を満たす") && posture.contains("token"), posture);
        new Select(browser.clickable("quarantine-kind")).selectByValue("device");
        browser.type("quarantine-id", "LG-PC-0001");
        browser.type("quarantine-reason", "EDR アラート (テスト)");
        browser.click("quarantine-button");
        browser.textContains("quarantine-result", "LG-PC-0001");
        String hold = browser.visible("hold-device-LG-PC-0001").getText();
        assertTrue(hold.contains("EDR アラート (テスト)") && hold.contains("tanaka"), hold);

        String refused = demo.app("zeimu.localhost", user, "X-Sekisho-Device-Posture", device);
        assertEquals(403, RawHttp.status(refused), refused);
        assertTrue(refused.contains("device-quarantined"), refused);

        browser.type("revoke-user", "sato");
        browser.click("revoke-button");
        browser.textContains("revoke-result", "sato");
        browser.screenshot("devices");

        // a release needs a reason
        browser.click("release-device-LG-PC-0001");
        assertEquals("true", browser.driver.findElement(testId("release-reason-device-LG-PC-0001"))
                .getAttribute("aria-invalid"));
        browser.type("release-reason-device-LG-PC-0001", "再イメージ済み");
        browser.click("release-device-LG-PC-0001");
        browser.visible("holds-none");
        assertEquals(200, RawHttp.status(demo.app("zeimu.localhost", user, "X-Sekisho-Device-Posture", device)));
    }

    @Test
    void theBreakoutPageMarksRegistrationsEndingWithinSixtyDaysAndHealthShowsTheServingVersion(
            ConsoleDemo demo, ConsoleBrowser browser) throws Exception {
        // a registration that ends in 30 days (the demo's ends in 2027)
        String admin = demo.adminToken("tanaka");
        HttpResponse<String> policy = demo.api("GET", "/policy", admin, null, "Accept", "application/yaml");
        String soon = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(30).toString();
        assertTrue(policy.body().contains("validUntil: 2027-03-31"), policy.body());
        HttpResponse<String> put = demo.api("PUT", "/policy", admin, policy.body().replace("validUntil: 2027-03-31",
                "validUntil: " + soon), "If-Match", policy.headers().firstValue("etag").orElseThrow(),
                "Content-Type", "application/yaml", "X-Sekisho-Comment", "ISMAP%20test");
        assertEquals(200, put.statusCode(), put.body());
        String version = new JsonObject(put.body()).getString("version");

        // a destination the forward proxy refused, for the report of refused destinations
        String refused = RawHttp.exchange(demo.ports.forwardProxy(), "GET http://203.0.113.7/ HTTP/1.1\r\nHost: 203.0.113.7\r\n"
                + "Proxy-Authorization: Bearer " + demo.staffToken("sato", "face") + "\r\nConnection: close\r\n\r\n");
        assertEquals(403, RawHttp.status(refused), refused);

        demo.signIn(browser, "tanaka", "face");
        browser.click("nav-breakout");
        String report = browser.visible("refused-203.0.113.7:80").getText();
        assertTrue(report.contains("1") && report.contains("lgwan (1)"), report);
        String row = browser.visible("breakout-row-m365-exchange").getText();
        assertTrue(row.contains("C21-0003-1") && row.contains(soon) && row.contains("あと 30 日"), row);
        assertTrue(browser.driver.findElement(testId("breakout-row-m365-exchange")).getAttribute("class")
                .contains("ismap-expiring"));
        assertFalse(browser.driver.findElement(testId("breakout-row-lgwan-asp-echo")).getAttribute("class")
                .contains("ismap-expiring"), "an entry without ISMAP registration is not marked");
        browser.screenshot("breakout");

        browser.click("nav-health");
        assertEquals(version, browser.visible("policy-version").getText());
        assertTrue(browser.visible("health-store").getText().contains("embedded"), "the store's state on this replica");
        assertTrue(browser.visible("health-issuers").getText().contains("demo"), "the IdP's keys on this replica");
        assertTrue(browser.present("grafana-missing"), "the demo configures no Grafana");
        browser.mainContains("ISMAP test");
        browser.screenshot("health");

        browser.click("lang-switch");
        assertEquals("Health", browser.visible("nav-health").getText());
        assertEquals("en", browser.driver.findElement(By.tagName("html")).getAttribute("lang"));
        browser.mainContains("Serving now");
        browser.click("lang-switch");
        assertEquals("稼働状況", browser.visible("nav-health").getText());
    }

    /** Runs a {@code sekisho} command in-process and returns what it printed. */
    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new SekishoCli()).execute(args), "sekisho " + String.join(" ", args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
