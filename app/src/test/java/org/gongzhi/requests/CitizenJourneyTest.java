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
import javax.imageio.ImageIO;
import org.gongzhi.disclosure.Bureaus;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.gongzhi.web.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
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

    Browser browser;
    WebDriver driver;
    WebDriverWait wait;
    String base;

    @BeforeAll
    void start() {
        browser = new Browser(port, Browser.PHONE);
        driver = browser.driver;
        wait = browser.wait;
        base = browser.base;
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private void signIn(CurrentUser user) {
        driver.manage().deleteAllCookies();
        browser.signIn(user.username(), accounts.password(user));
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
        assertThat(browser.text("outfall-name")).isEqualTo(outfall.name());
        assertThat(browser.text("outfall-code")).isEqualTo(outfall.nationalCode());
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        browser.screenshot("public-outfall-phone");

        // Report black water with a photo.
        browser.click("report-problem");
        assertThat(browser.text("report-outfall")).isEqualTo(outfall.name());
        browser.click("service-ABNORMAL_WATER");
        new Select(driver.findElement(By.id("attr_ABNORMAL_WATER_colour"))).selectByValue("black");
        browser.type("description", "排污口下游河水发黑发臭，岸边有死鱼");
        Path photo = Files.createTempFile("black-water", ".jpg");
        Files.write(photo, TestImages.jpegWithGps());
        driver.findElement(By.id("photo")).sendKeys(photo.toAbsolutePath().toString());
        browser.screenshot("report-form-phone");
        browser.click("submit-report");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        String follow = browser.text("follow-url");
        assertThat(follow).startsWith(base + "/r/");
        String id = browser.text("request-id");
        assertThat(browser.text("request-status")).isEqualTo("已派单");

        // The county bureau sees it with its deadline and answers.
        signIn(bureauUser);
        driver.get(base + "/requests");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id + "'] a"))).click();
        assertThat(browser.text("request-unit")).isEqualTo(county.name());
        assertThat(browser.text("response-due")).isNotBlank();
        assertThat(browser.text("resolve-due")).isNotBlank();
        assertThat(driver.findElements(By.cssSelector("img[alt='photo']"))).hasSize(1);
        browser.click("accept");
        wait.until(d -> browser.text("request-status").equals("办理中"));
        browser.type("reply", "已到现场检查，初步判断为雨水冲刷底泥。");
        browser.click("send-reply");
        wait.until(d -> browser.text("request-status").equals("已答复"));

        // The citizen is not satisfied and sends it back.
        driver.manage().deleteAllCookies();
        driver.get(follow);
        assertThat(browser.text("request-reply")).contains("雨水冲刷底泥");
        browser.click("rating-UNSATISFIED");
        browser.click("rate-submit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reopen-form")));
        browser.type("reopen-reason", "下雨前就是黑的，请查排口上游");
        browser.click("reopen-submit");
        wait.until(d -> browser.text("request-status").equals("办理中"));
        browser.screenshot("follow-reopened-phone");

        // The bureau resolves it and closes it.
        signIn(bureauUser);
        driver.get(base + "/requests/" + id);
        browser.type("reply", "已查明上游企业偷排，已封堵暗管并立案查处。");
        browser.click("resolved");
        browser.click("send-reply");
        wait.until(d -> browser.text("request-status").equals("已答复"));
        browser.click("close");
        wait.until(d -> browser.text("request-status").equals("已办结"));

        // The metrics show it: the county's row counts a request sent back and resolved.
        driver.get(base + "/requests/metrics?by=UNIT");
        String row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#metrics tr[data-key='" + county.id() + "']"))).getText();
        assertThat(row).contains(county.name());
        assertThat(driver.findElement(By.cssSelector("#metrics tr[data-key='" + county.id() + "'] .metric-reopened")).getText())
                .isEqualTo(String.valueOf(reopenedBefore + 1));
        browser.screenshot("request-metrics");

        // And the citizen sees it closed.
        driver.manage().deleteAllCookies();
        driver.get(follow);
        assertThat(browser.text("request-status")).isEqualTo("已办结");
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
        assertThat(browser.text("legal-basis-number")).matches("3205\\d\\d审〔\\d{4}〕\\d+号");
        assertThat(browser.text("limits")).contains("现行排放限值").contains("化学需氧量").contains("审批决定书");
        assertThat(driver.findElements(By.cssSelector("#limits th[scope=col]"))).hasSize(4);
        assertThat(browser.text("compliance-h")).isEqualTo("达标情况与整治");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("近12个月达标情况");
        assertThat(browser.text("remediation-kind")).isEqualTo("规范整治");
        assertThat(browser.text("remediation-stage")).startsWith("整治中");
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        browser.screenshot("public-outfall-legal-basis-phone");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('compliance-h').scrollIntoView()");
        browser.screenshot("public-outfall-compliance-phone");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('remediation').scrollIntoView()");
        browser.screenshot("public-outfall-remediation-phone");

        driver.get(base + "/o/" + outfall.nationalCode() + "?lang=en");
        assertThat(browser.text("limits")).contains("Limits in force").contains("approval decision");
        assertThat(browser.text("remediation-kind")).isEqualTo("regularize");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("Approval decision")
                .contains("Compliance over the last 12 months");
    }
}
