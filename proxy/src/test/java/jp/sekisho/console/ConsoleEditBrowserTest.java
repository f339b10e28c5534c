package jp.sekisho.console;

import static jp.sekisho.testing.ConsoleBrowser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import jp.sekisho.testing.ConsoleBrowser;
import jp.sekisho.testing.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Changing an app's policy in the console, in a real browser against the demo: sign in through
 * the demo issuer's page, edit with the form, see lint findings, simulate, apply with a comment,
 * and the proxy enforcing it on the next request; a concurrent change shown as a conflict; a
 * viewer with no edit controls and no way around them.
 */
@Tag("browser")
@ExtendWith(ConsoleSession.class)
class ConsoleEditBrowserTest {

    @Test
    void anAdministratorRemovesFaceFromRecordsAndTheProxyAsksSatoToStepUpOnTheNextRequest(
            ConsoleDemo demo, ConsoleBrowser browser) throws Exception {
        String satoFace = demo.staffToken("sato", "face");
        assertEquals(200, RawHttp.status(demo.app("records.localhost", satoFace)), "before: face admits sato");

        demo.signIn(browser, "tanaka", "face");
        String summary = browser.textContains("app-summary-records", "LGWAN");
        assertTrue(summary.contains("顔認証") && summary.contains("OTP"), summary);
        browser.screenshot("apps");

        browser.click("edit-records");
        WebElement face = browser.clickable("mfa-anyof-face");
        assertTrue(face.isSelected(), "the form shows the app's anyOf");
        assertEquals("900", browser.clickable("mfa-max-age").getAttribute("value"));

        // an owner left empty is a lint finding (L004), which leads to the field it is about
        browser.clickable("app-owner").clear();
        browser.click("check-button");
        browser.textContains("findings", "L004");
        browser.driver.findElement(testId("finding-L004")).findElement(org.openqa.selenium.By.tagName("button")).click();
        WebElement owner = browser.driver.findElement(testId("app-owner"));
        assertEquals(owner, browser.driver.switchTo().activeElement(), "the finding takes the person to the owner field");
        assertTrue(owner.getAttribute("class").contains("flagged") && "true".equals(owner.getAttribute("aria-invalid")));

        // the change: owner back, face no longer enough (OTP only)
        owner.sendKeys("市民課 (デモ)");
        browser.click("mfa-anyof-face");
        String yaml = browser.driver.findElement(testId("yaml-editor")).getAttribute("value");
        assertFalse(yaml.contains("face"), yaml);
        assertTrue(yaml.contains("- otp") && yaml.contains("maxAgeSeconds: 900"), yaml);
        assertTrue(browser.driver.findElement(testId("draft-summary")).getText().contains("OTP"));
        browser.click("check-button");
        browser.textContains("findings", "指摘事項はありません");
        assertTrue(browser.driver.findElement(testId("diff")).getText().contains("face"), "the diff shows face going");

        // simulate: now allowed, with the change a step-up
        browser.type("simulate-user", "sato");
        browser.type("simulate-groups", "shimin-ka, all-staff");
        browser.type("simulate-mfa", "face");
        browser.type("simulate-from", "127.0.0.1");
        browser.click("simulate-button");
        browser.textContains("simulate-draft", "mfa-method-missing");
        String now = browser.driver.findElement(testId("simulate-current")).getText();
        assertTrue(now.contains("許可") && now.contains("shimin-ka"), now);
        assertTrue(browser.driver.findElement(testId("simulate-draft")).getText().contains("追加認証"));

        // replay: sato's request of a moment ago would now be refused (the trail may lag: ask again)
        browser.until(d -> {
            browser.click("replay-button");
            return d.findElement(testId("replay-result")).getText().contains("許可 → 拒否") ? true : null;
        });

        browser.type("comment", "顔認証を外し OTP のみに (テスト)");
        browser.click("apply-button");
        browser.textContains("apply-result", "適用しました");
        browser.textContains("history", "顔認証を外し OTP のみに");
        browser.textContains("app-summary-records", "OTP");
        browser.screenshot("edit");

        String stepUp = demo.app("records.localhost", satoFace);
        assertEquals(401, RawHttp.status(stepUp), stepUp);
        assertTrue(stepUp.contains("insufficient_user_authentication") && stepUp.contains("mfa-method-missing"), stepUp);
        assertEquals(200, RawHttp.status(demo.app("records.localhost", demo.staffToken("sato", "otp"))),
                "OTP still admits sato");
    }

    @Test
    void aChangeMadeMeanwhileThroughTheApiIsShownAsAConflictAndTheCurrentVersionCanBeLoaded(
            ConsoleDemo demo, ConsoleBrowser browser) throws Exception {
        demo.signIn(browser, "tanaka", "face");
        browser.click("edit-records");
        WebElement maxAge = browser.clickable("mfa-max-age");
        maxAge.clear();
        maxAge.sendKeys("600");

        // another administrator changes the app between this page's read and its apply
        demo.changeApp(demo.adminToken("tanaka"), "records", yaml -> yaml.replace("maxAgeSeconds: 900",
                "maxAgeSeconds: 1200"), "別の管理者の変更");

        browser.type("comment", "15分を10分に");
        browser.click("apply-button");
        String conflict = browser.textContains("conflict", "412");
        assertTrue(conflict.contains("他の管理者が先に変更しました"), conflict);
        assertEquals(browser.driver.findElement(testId("conflict-reload")), browser.driver.switchTo().activeElement(),
                "the way out has the focus");
        browser.screenshot("edit-conflict");

        browser.click("conflict-reload");
        browser.until(ExpectedConditions.attributeToBe(testId("mfa-max-age"), "value", "1200"));
        assertTrue(browser.visible("earlier-draft").getText().contains("競合前のあなたの変更"));
        String history = browser.textContains("history", "別の管理者の変更");
        assertTrue(history.contains("tanaka"), history);
    }

    @Test
    void aViewerSeesNoEditControlsAndTheApiRefusesTheirChangeAnyway(ConsoleDemo demo, ConsoleBrowser browser)
            throws Exception {
        demo.signIn(browser, "sato", "face");
        browser.visible("app-row-records");
        assertFalse(browser.present("edit-records"), "no edit button for a viewer");
        browser.click("view-records");
        browser.visible("yaml-editor");
        assertFalse(browser.present("apply-button") || browser.present("mfa-anyof-face") || browser.present("check-button")
                || browser.present("comment"), "no edit controls on the app's page");
        assertTrue(browser.driver.findElement(testId("yaml-editor")).getAttribute("readonly") != null);
        assertTrue(browser.driver.findElements(org.openqa.selenium.By.cssSelector("[data-testid^=rollback-]")).isEmpty());

        // the console is no protection by itself: the API refuses the viewer's own token
        String token = (String) browser.script("return sessionStorage.getItem('sekisho.console.token')");
        JsonObject app = new JsonObject(demo.api("GET", "/apps/records", token, null).body());
        HttpResponse<String> put = demo.api("PUT", "/apps/records", token, app.getString("yaml").replace("900", "60"),
                "If-Match", app.getString("etag"), "Content-Type", "application/yaml", "X-Sekisho-Comment", "x");
        assertEquals(403, put.statusCode(), put.body());
        assertEquals("role-missing", new JsonObject(put.body()).getString("error"));

        browser.click("nav-devices");
        browser.mainContains("security-operator");
        assertFalse(browser.present("quarantine-button"));

        // signing out forgets the token and ends the IdP's session; the console asks to sign in again
        browser.click("sign-out");
        browser.visible("sign-in");
        assertEquals(null, browser.script("return sessionStorage.getItem('sekisho.console.token')"));
    }
}
