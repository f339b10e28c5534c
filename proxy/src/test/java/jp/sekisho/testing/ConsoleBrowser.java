package jp.sekisho.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its ChromeDriver, for the admin console's tests:
 * elements by {@code data-testid}, waits on conditions (never sleeps), screenshots into
 * {@code target/console-screenshots}. Without Chromium the test is skipped, loudly; under
 * {@code CI=true} it fails, since CI installs it first (.ci/run).
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    /** Where the screenshots of the main pages go (proxy/target/console-screenshots). */
    public static final Path SCREENSHOTS = Paths.get("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    public final WebDriver driver;
    private final Path profile;
    private final Path downloads;

    private ConsoleBrowser(WebDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /** A fresh browser with an empty profile (its own sessionStorage, cookies and downloads). */
    public static ConsoleBrowser start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: .ci/run installs the Debian packages chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "the admin console's browser tests need Debian's chromium and chromium-driver"
                + " (apt-get install chromium chromium-driver)");
        Path profile = Files.createTempDirectory("sekisho-chromium");
        Path downloads = Files.createTempDirectory("sekisho-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--window-size=1400,1100", "--lang=ja");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "ja"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options), profile, downloads);
    }

    public static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    /**
     * Waits until {@code condition} answers non-null (or true). When it never does, the failure
     * says where the browser was, what the page said and what its console logged, and a
     * screenshot is left as target/console-screenshots/failure.png.
     */
    public <T> T until(Function<WebDriver, T> condition) {
        try {
            // a page replaces its main region when it renders: an element read a moment ago may be gone
            return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage().lines().findFirst().orElse("timed out") + "\n" + diagnosis(), e);
        }
    }

    /**
     * What the browser's console reported as errors since the last call (a policy violation, a
     * failed module, an uncaught exception), but for missing favicons and the API's refusals,
     * which the pages show in their own words (a 404 for another tenant's app, say).
     */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(entry -> entry.getMessage()).filter(message -> !message.contains("favicon.ico"))
                .filter(message -> !(message.contains("/api/v1/") && message.contains("Failed to load resource"))).toList();
    }

    /** Where the browser is, the page's text and the browser console's messages. */
    public String diagnosis() {
        StringBuilder out = new StringBuilder("at " + driver.getCurrentUrl() + "\n");
        try {
            screenshot("failure");
            out.append("page text:\n").append(driver.findElement(By.tagName("body")).getText()).append('\n');
            driver.manage().logs().get(LogType.BROWSER).getAll()
                    .forEach(entry -> out.append("console: ").append(entry.getMessage()).append('\n'));
        } catch (RuntimeException | IOException e) {
            out.append("(no more: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /** The element, once it is visible. */
    public WebElement visible(String testId) {
        return until(ExpectedConditions.visibilityOfElementLocated(testId(testId)));
    }

    /** The element, once it is there and can be clicked. */
    public WebElement clickable(String testId) {
        return until(ExpectedConditions.elementToBeClickable(testId(testId)));
    }

    /** Clicks the element once it can be clicked; an element replaced meanwhile is looked up again. */
    public void click(String testId) {
        until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(testId(testId)).apply(d);
            if (element == null) {
                return null;
            }
            element.click(); // a stale element throws before clicking: the wait tries again
            return true;
        });
    }

    public boolean present(String testId) {
        return !driver.findElements(testId(testId)).isEmpty();
    }

    /** Replaces the text of an input. */
    public void type(String testId, String text) {
        WebElement input = clickable(testId);
        input.clear();
        input.sendKeys(text);
    }

    /** Waits until the element's text contains {@code text}, and answers the whole text. */
    public String textContains(String testId, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(testId(testId), text));
        return driver.findElement(testId(testId)).getText();
    }

    /** Waits until the page (its main region, loaded) says {@code text}, and answers what it says. */
    public String mainContains(String text) {
        return until(d -> {
            String shown = d.findElement(By.cssSelector("main:not([aria-busy])")).getText();
            return shown.contains(text) ? shown : null;
        });
    }

    /**
     * Opens the console at {@code console + page} as the holder of {@code token}, put where the
     * console keeps it ({@code sessionStorage["sekisho.console.token"]}) instead of signing in;
     * waits until the header names {@code user}.
     */
    public void openWithToken(String console, String token, String page, String user) {
        driver.get(console);
        until(d -> d.findElement(By.id("main")));
        script("sessionStorage.setItem('sekisho.console.token', arguments[0])", token);
        driver.get(console + page);
        driver.navigate().refresh(); // when only the hash changed: load the page again, now with the token
        textContains("whoami", user);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Saves a screenshot of the page as target/console-screenshots/NAME.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        // the whole page, not the viewport: the window grows to the page's height for the shot
        Dimension before = driver.manage().window().getSize();
        long height = ((Number) script("return Math.max(document.documentElement.scrollHeight, 600)")).longValue();
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 150, 8000)));
        script("window.scrollTo(0, 0)");
        File shot;
        try {
            shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        } finally {
            driver.manage().window().setSize(before);
        }
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** The files downloaded so far (complete ones: no .crdownload). */
    public List<Path> downloads() throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".crdownload")).toList();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            for (Path dir : List.of(profile, downloads)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
