package jp.sekisho.console;

import static jp.sekisho.testing.ConsoleBrowser.testId;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The two-person rule in the console: a change to a critical app is held (202) and shown as a
 * proposal; its author cannot approve it; a second administrator approves it from the approvals
 * page and it applies.
 */
@Tag("browser")
class ConsoleApprovalBrowserTest {

    static final String CHIYODA = "131016";

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();
    private ConsoleBrowser browser;

    @BeforeEach
    void start() throws Exception {
        proxy.start("""
                listen: {host: 127.0.0.1, port: 0}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                reloadCheckSeconds: 3600
                admin:
                  listen: {host: 127.0.0.1, port: 0}
                  audiences: [sekisho-admin]
                  twoPersonRule: true
                  console: {clientId: sekisho-console}
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                apps:
                  - id: records
                    name: 住民記録
                    tenant: "131016"
                    owner: 市民課
                    critical: true
                    hosts: [127.0.0.1]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                    mfa: {anyOf: [face, otp], maxAgeSeconds: 900}
                """.formatted(proxy.idp.issuer(), proxy.upstream.url()));
        browser = ConsoleBrowser.start();
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
    }

    private String console() throws Exception {
        return "http://127.0.0.1:" + proxy.server().adminPort() + "/console/";
    }

    @Test
    void aChangeToACriticalAppWaitsForASecondAdministratorWhoApprovesItFromTheApprovalsPage() throws Exception {
        browser.openWithToken(console(), proxy.idp.adminToken("suzuki", CHIYODA, "policy-editor"),
                "#/apps/records", "suzuki");
        WebElement maxAge = browser.clickable("mfa-max-age");
        maxAge.clear();
        maxAge.sendKeys("600");
        browser.type("comment", "15分を10分に");
        browser.click("apply-button");
        String held = browser.visible("proposal-held").getText();
        assertTrue(held.contains("承認"), held);
        String id = browser.driver.findElement(testId("proposal-held")).findElement(org.openqa.selenium.By.tagName("code"))
                .getText();
        browser.visible("proposal-" + id);

        // the author cannot approve their own change
        browser.click("approve-" + id);
        browser.textContains("proposal-result", "same-administrator");
        browser.screenshot("proposals");

        browser.openWithToken(console(), proxy.idp.adminToken("takahashi", CHIYODA, "policy-editor"),
                "#/proposals", "takahashi");
        String proposal = browser.visible("proposal-" + id).getText();
        assertTrue(proposal.contains("suzuki") && proposal.contains("15分を10分に"), proposal);
        browser.click("approve-" + id);
        browser.textContains("proposal-result", "承認しました");
        browser.visible("proposals-none");

        HttpResponse<String> app = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + proxy.server().adminPort() + "/api/v1/apps/records")).header("Authorization",
                "Bearer " + proxy.idp.adminToken("takahashi", CHIYODA, "viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(new JsonObject(app.body()).getString("yaml").contains("maxAgeSeconds: 600"), app.body());
    }
}
