package org.gongzhi.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver (scripts/test.sh installs both). The paths are
 * given explicitly so that Selenium never tries to download a browser or driver. Public for the browser tests of
 * other modules (e.g. the citizen's journey on a phone).
 */
public final class Browser implements AutoCloseable {

    /** A desktop window. */
    public static final String DESKTOP = "1280,900";
    /** A phone: 390 × 844 CSS pixels (public pages are opened from a signboard at the riverbank). */
    public static final String PHONE = "390,844";

    public final WebDriver driver;
    public final WebDriverWait wait;
    public final String base;

    Browser(int port) {
        this(port, DESKTOP);
    }

    /** @param windowSize width,height in CSS pixels, e.g. {@link #PHONE} */
    public Browser(int port, String windowSize) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("gongzhi.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + windowSize, "--lang=zh-CN");
        if (PHONE.equals(windowSize)) {
            // A phone as Chromium's device mode has it: touch, a high-density screen and a mobile user agent.
            options.setExperimentalOption("mobileEmulation", java.util.Map.of(
                    "deviceMetrics", java.util.Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true),
                    "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                            + "Chrome/126 Mobile Safari/537.36"));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("gongzhi.chromedriver", "/usr/bin/chromedriver")).toFile())
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // htmx swaps parts of the page, a form post replaces it: an element read meanwhile is stale; read it again
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        base = "http://localhost:" + port;
    }

    public Browser open(String path) {
        driver.get(base + path);
        return this;
    }

    public Browser signIn(String username, String password) {
        open("/login");
        type("username", username);
        type("password", password);
        click("sign-in");
        // the form post navigates away: to the page asked for, or back to /login?error
        wait.until(d -> !d.getCurrentUrl().endsWith("/login"));
        return this;
    }

    public Browser signOut() {
        driver.manage().deleteAllCookies();
        return this;
    }

    public WebElement byId(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    /** The element's text, read again when the page navigated between finding the element and reading it. */
    public String text(String id) {
        return wait.until(acrossReloads(d -> d.findElement(By.id(id)).getText()));
    }

    /**
     * A wait condition that counts "the page is being replaced" as "not yet": a missing or stale element, including
     * Chromium's "does not belong to the document" while a new page loads after a form post.
     */
    public static <T> java.util.function.Function<org.openqa.selenium.WebDriver, T> acrossReloads(
            java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        return d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return null;
                }
                throw e;
            }
        };
    }

    public void type(String id, String text) {
        WebElement e = byId(id);
        e.clear();
        e.sendKeys(text);
    }

    /** Clicks the element, scrolled to the middle of the screen first (on a phone it is often below the fold). */
    public void click(String id) {
        WebElement e = wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
        e.click();
    }

    public void screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
