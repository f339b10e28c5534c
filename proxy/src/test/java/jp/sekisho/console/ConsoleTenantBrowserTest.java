package jp.sekisho.console;

import static jp.sekisho.testing.ConsoleBrowser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a deployment shared by two municipalities (千代田区 131016, 八王子市 132012), with
 * administrators' tokens from the test IdP put where the console keeps its token
 * ({@code sessionStorage["sekisho.console.token"]}) instead of a sign-in: what one tenant's
 * administrator can reach, and how the pages work from the keyboard.
 */
@Tag("browser")
class ConsoleTenantBrowserTest {

    static final String CHIYODA = "131016";
    static final String GRAFANA = "https://grafana.example.lg.jp/d/sekisho-overview";

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
                  console: {clientId: sekisho-console, grafanaUrl: "%s"}
                issuers:
                  - id: test
                    issuer: %s
                    audiences: [sekisho]
                    userClaim: preferred_username
                segments:
                  - {id: lgwan, name: LGWAN接続系, kind: lgwan, cidrs: [127.0.0.0/8]}
                apps:
                  - id: records
                    name: 住民記録 (千代田区)
                    tenant: "131016"
                    owner: 市民課
                    hosts: [127.0.0.1]
                    upstream: %s
                    allow:
                      - id: clerks
                        groups: [shimin-ka]
                        segments: [lgwan]
                    mfa: {anyOf: [face, otp], maxAgeSeconds: 900}
                  - id: portal
                    name: 職員ポータル (八王子市)
                    tenant: "132012"
                    hosts: [localhost]
                    upstream: %s
                    allow:
                      - id: staff
                        groups: [all-staff]
                """.formatted(GRAFANA, proxy.idp.issuer(), proxy.upstream.url(), proxy.upstream.url()));
        browser = ConsoleBrowser.start();
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
    }

    private String console() throws Exception {
        return "http://127.0.0.1:" + proxy.server().adminPort() + "/console/";
    }

    /** Opens the console as the holder of {@code token}, at {@code page} (#/apps...). */
    @Test
    void anAdministratorOfOneTenantSeesOnlyItsAppsAndAnotherTenantsAppReadsNotFound() throws Exception {
        browser.openWithToken(console(), proxy.idp.adminToken("suzuki", CHIYODA, "tenant-admin"),
                "#/apps", "suzuki");
        assertTrue(browser.visible("whoami").getText().contains("suzuki"));
        browser.visible("app-row-records");
        assertTrue(browser.present("edit-records"), "a tenant administrator edits their own apps");
        assertFalse(browser.present("app-row-portal"), "八王子市's app is not listed for 千代田区's administrator");
        assertTrue(browser.driver.findElement(testId("app-summary-records")).getText().contains("LGWAN接続系"));

        browser.driver.get(console() + "#/apps/portal");
        assertTrue(browser.visible("not-found").getText().contains("見つかりません"));
        assertFalse(browser.present("yaml-editor") || browser.present("apply-button"));

        // the whole document (and so the breakout settings) is for global administrators
        browser.click("nav-breakout");
        assertTrue(browser.visible("breakout-unavailable").getText().contains("ポリシー全体"));
        browser.click("nav-health");
        assertEquals(GRAFANA, browser.visible("grafana-link").getAttribute("href"));
        assertTrue(browser.mainContains(CHIYODA).contains("tenant-admin"));
    }

    @Test
    void everyControlHasALabelAndThePagesWorkFromTheKeyboard() throws Exception {
        browser.openWithToken(console(), proxy.idp.adminToken("suzuki", CHIYODA, "tenant-admin"),
                "#/apps", "suzuki");
        browser.visible("app-row-records");

        // the first Tab reaches the skip link, which takes focus to the page's content
        browser.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement skip = browser.driver.switchTo().activeElement();
        assertEquals("skip-link", skip.getAttribute("class"));
        skip.sendKeys(Keys.ENTER);
        assertEquals("main", browser.driver.switchTo().activeElement().getAttribute("id"));

        // keyboard only: focus the edit link, follow it; the new page's heading gets the focus
        WebElement edit = browser.clickable("edit-records");
        browser.script("arguments[0].focus()", edit);
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.visible("mfa-anyof-face");
        assertEquals("h1", browser.driver.switchTo().activeElement().getTagName());

        for (String page : List.of("#/apps/records", "#/audit", "#/devices", "#/proposals", "#/health")) {
            browser.driver.get(console() + page);
            browser.until(d -> d.findElement(By.cssSelector("main:not([aria-busy]) h1")));
            @SuppressWarnings("unchecked")
            List<String> unlabelled = (List<String>) browser.script("""
                    return [...document.querySelectorAll('input, select, textarea, button')]
                      .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
                      .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                        && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
                      .map(el => el.outerHTML.slice(0, 120));""");
            assertEquals(List.of(), unlabelled, "every control on " + page + " has a label");
        }

        assertEquals(List.of(), browser.consoleErrors(), "no page broke the content security policy or failed");

        // the focus is visible: a focused control gets the outline the style sheet gives it
        browser.driver.get(console() + "#/audit");
        WebElement search = browser.clickable("audit-user");
        search.sendKeys("");
        String outline = (String) browser.script("arguments[0].focus(); return getComputedStyle(arguments[0]).outlineStyle",
                search);
        assertEquals("solid", outline);
    }
}
