package jp.sekisho.console;

import java.nio.file.Path;
import jp.sekisho.testing.ConsoleBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("browser")
class ConsoleSmokeTest {
    @TempDir
    Path dir;

    @Test
    void smoke() throws Exception {
        try (ConsoleDemo demo = ConsoleDemo.start(dir); ConsoleBrowser browser = ConsoleBrowser.start()) {
            demo.signIn(browser, "tanaka", "face");
            browser.visible("app-row-records");
            browser.screenshot("smoke-apps");
            browser.click("edit-records");
            browser.visible("mfa-anyof-face");
            browser.screenshot("smoke-edit");
            for (String page : new String[] {"audit", "devices", "breakout", "health", "proposals"}) {
                browser.click("nav-" + page);
                browser.until(d -> d.findElement(org.openqa.selenium.By.cssSelector("main:not([aria-busy])")));
                browser.screenshot("smoke-" + page);
            }
            System.out.println("LOGS: " + browser.driver.manage().logs().get("browser").getAll());
        }
    }
}
