package org.gongzhi.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.gongzhi.disclosure.Bureaus;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The "done when", in a real browser at a phone's width against the real server with the demo city: a citizen
 * scans a signboard's QR code, reads the outfall's page, reports black water with a photo; the county bureau sees it
 * with its deadline and answers; the citizen rates the answer unsatisfactory and sends it back; the bureau resolves
 * and closes it; the metrics show it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gongzhi.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CitizenJourneyTest {

    @LocalServerPort int port;
    @Autowired Ledger ledger;
    @Autowired Bureaus bureaus;
    @Autowired TestAccounts accounts;
    @Autowired RequestMetrics metrics;

    WebDriver driver;
    WebDriverWait wait;
    String base;

    @BeforeAll
    void start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("gongzhi.chromium", "/usr/bin/chromium"));
        // A phone: 390 × 844 CSS pixels (the page is opened from a signboard at the riverbank).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=390,844", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("gongzhi.chromedriver", "/usr/bin/chromedriver")).toFile())
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // a form post replaces the page: an element read while it does is stale; read it again on the next poll
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        base = "http://localhost:" + port;
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    /** The element's text, read again when the page navigated between finding the element and reading it. */
    private String text(String id) {
        return wait.until(d -> {
            try {
                return d.findElement(By.id(id)).getText();
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return null; // Chromium's form of a stale element while a new page loads
                }
                throw e;
            }
        });
    }

    private void type(String id, String s) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id))).sendKeys(s);
    }

    private void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private void signIn(CurrentUser user) {
        driver.manage().deleteAllCookies();
        driver.get(base + "/login");
        type("username", user.username());
        type("password", accounts.password(user));
        click("sign-in");
        wait.until(d -> !d.getCurrentUrl().endsWith("/login"));
    }

    @Test
    void aCitizenScansReportsRatesAndReopensWhileTheCountyBureauAnswersAndResolves() throws Exception {
        Outfall outfall = ledger.search(new LedgerQuery("320506", null, null, null, null, null, null, null, null, false, 0, 1),
                CurrentUser.system()).items().get(0);
        Organization county = bureaus.responsibleFor("320506").orElseThrow();
        CurrentUser bureauUser = accounts.user(Role.REGULATOR, county);
        java.time.LocalDate today = java.time.LocalDate.now(Deadlines.CHINA);
        long reopenedBefore = metrics.compute(RequestMetrics.By.UNIT, today.withDayOfMonth(1), today, bureauUser).stream()
                .filter(r -> r.key().equals(String.valueOf(county.id()))).mapToLong(RequestMetrics.Row::reopened).sum();

        // The QR code on the signboard, decoded as a phone's camera would.
        HttpResponse<byte[]> qr = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/o/" + outfall.nationalCode() + "/qr.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(qr.body()));
        String url = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(),
                img.getHeight(), img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()))))).getText();
        assertThat(url).isEqualTo(base + "/o/" + outfall.nationalCode());

        // The public page, on a phone, without sign-in: nothing wider than the screen.
        driver.manage().deleteAllCookies();
        driver.get(url);
        assertThat(text("outfall-name")).isEqualTo(outfall.name());
        assertThat(text("outfall-code")).isEqualTo(outfall.nationalCode());
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        screenshot("public-outfall-phone");

        // Report black water with a photo.
        click("report-problem");
        assertThat(text("report-outfall")).isEqualTo(outfall.name());
        click("service-ABNORMAL_WATER");
        new Select(driver.findElement(By.id("attr_ABNORMAL_WATER_colour"))).selectByValue("black");
        type("description", "排污口下游河水发黑发臭，岸边有死鱼");
        Path photo = Files.createTempFile("black-water", ".jpg");
        Files.write(photo, TestImages.jpegWithGps());
        driver.findElement(By.id("photo")).sendKeys(photo.toAbsolutePath().toString());
        screenshot("report-form-phone");
        click("submit-report");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        String follow = text("follow-url");
        assertThat(follow).startsWith(base + "/r/");
        String id = text("request-id");
        assertThat(text("request-status")).isEqualTo("已派单");

        // The county bureau sees it with its deadline and answers.
        signIn(bureauUser);
        driver.get(base + "/requests");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id + "'] a"))).click();
        assertThat(text("request-unit")).isEqualTo(county.name());
        assertThat(text("response-due")).isNotBlank();
        assertThat(text("resolve-due")).isNotBlank();
        assertThat(driver.findElements(By.cssSelector("img[alt='photo']"))).hasSize(1);
        click("accept");
        wait.until(d -> text("request-status").equals("办理中"));
        type("reply", "已到现场检查，初步判断为雨水冲刷底泥。");
        click("send-reply");
        wait.until(d -> text("request-status").equals("已答复"));

        // The citizen is not satisfied and sends it back.
        driver.manage().deleteAllCookies();
        driver.get(follow);
        assertThat(text("request-reply")).contains("雨水冲刷底泥");
        click("rating-UNSATISFIED");
        click("rate-submit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reopen-form")));
        type("reopen-reason", "下雨前就是黑的，请查排口上游");
        click("reopen-submit");
        wait.until(d -> text("request-status").equals("办理中"));
        screenshot("follow-reopened-phone");

        // The bureau resolves it and closes it.
        signIn(bureauUser);
        driver.get(base + "/requests/" + id);
        type("reply", "已查明上游企业偷排，已封堵暗管并立案查处。");
        click("resolved");
        click("send-reply");
        wait.until(d -> text("request-status").equals("已答复"));
        click("close");
        wait.until(d -> text("request-status").equals("已办结"));

        // The metrics show it: the county's row counts a request sent back and resolved.
        driver.get(base + "/requests/metrics?by=UNIT");
        String row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#metrics tr[data-key='" + county.id() + "']"))).getText();
        assertThat(row).contains(county.name());
        assertThat(driver.findElement(By.cssSelector("#metrics tr[data-key='" + county.id() + "'] .metric-reopened")).getText())
                .isEqualTo(String.valueOf(reopenedBefore + 1));
        screenshot("request-metrics");

        // And the citizen sees it closed.
        driver.manage().deleteAllCookies();
        driver.get(follow);
        assertThat(text("request-status")).isEqualTo("已办结");
    }

    /**
     * The demo city's first industrial outfall has an approval decision with limits, a remediation plan and monitoring:
     * on a phone its public page shows the decision number, the limits with their source, the 12-month summary and
     * the plan, in Chinese and in English, without overflowing the screen.
     */
    @Test
    void theDemoOutfallShowsItsLegalBasisLimitsComplianceSummaryAndRemediationOnAPhone() throws Exception {
        Outfall outfall = ledger.search(new LedgerQuery("320500", "IND_ENT", null, null, null, null, null, null,
                LedgerQuery.Sort.CODE, false, 0, 1), CurrentUser.system()).items().get(0);
        driver.manage().deleteAllCookies();
        driver.get(base + "/o/" + outfall.nationalCode());
        assertThat(text("legal-basis-number")).matches("3205\\d\\d审〔\\d{4}〕\\d+号");
        assertThat(text("limits")).contains("现行排放限值").contains("化学需氧量").contains("审批决定书");
        assertThat(driver.findElements(By.cssSelector("#limits th[scope=col]"))).hasSize(4);
        assertThat(text("compliance-h")).isEqualTo("达标情况与整治");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("近12个月达标情况");
        assertThat(text("remediation-kind")).isEqualTo("规范整治");
        assertThat(text("remediation-stage")).startsWith("整治中");
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        screenshot("public-outfall-legal-basis-phone");

        driver.get(base + "/o/" + outfall.nationalCode() + "?lang=en");
        assertThat(text("limits")).contains("Limits in force").contains("approval decision");
        assertThat(text("remediation-kind")).isEqualTo("regularize");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("Approval decision")
                .contains("Compliance over the last 12 months");
    }
}
