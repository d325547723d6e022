package org.gongzhi.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
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
 * The "done when", in a real browser (Debian Chromium, headless) against the real server with the demo city:
 * the enterprise user applies for a new industrial outfall, gets a supplement notice, supplements, the case is
 * accepted, paused for expert review and approved with limits on time, and the outfall is in the ledger as approved;
 * then a rural WWTP outfall is registered in the same portal, and 无锡 cannot open the case.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gongzhi.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalJourneyTest {

    static final String PASSWORD = "gongzhi-demo";

    @LocalServerPort int port;
    @Autowired Approvals approvals;
    @Autowired TestAccounts accounts;
    @Autowired Organizations organizations;

    WebDriver driver;
    WebDriverWait wait;
    Path material;

    @BeforeAll
    void start() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("gongzhi.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN");
        driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("gongzhi.chromedriver", "/usr/bin/chromedriver")).toFile())
                .build(), options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class);
        material = Files.createTempFile("material", ".pdf");
        Files.writeString(material, "%PDF-1.4\n% 论证材料\n");
        // A Monday of 2026, so that the deadlines are on the loaded calendar whatever day the suite runs.
        approvals.clock(Clock.fixed(LocalDate.parse("2026-11-30").atTime(9, 0).atZone(Approvals.CHINA).toInstant(),
                Approvals.CHINA));
    }

    @AfterAll
    void stop() throws IOException {
        approvals.clock(Clock.system(Approvals.CHINA));
        driver.quit();
        Files.deleteIfExists(material);
    }

    void open(String path) {
        driver.get("http://localhost:" + port + path);
    }

    void signIn(String user) {
        driver.manage().deleteAllCookies();
        open("/login");
        type("username", user);
        type("password", PASSWORD);
        click("sign-in");
        wait.until(d -> !d.getCurrentUrl().endsWith("/login"));
    }

    void type(String id, String text) {
        var e = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        e.clear();
        e.sendKeys(text);
    }

    void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    void choose(String id, String value) {
        new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)))).selectByValue(value);
    }

    String text(String id) {
        return wait.until(org.gongzhi.web.Browser.acrossReloads(d -> d.findElement(By.id(id)).getText()));
    }

    void upload(String kind) {
        choose("material-kind", kind);
        driver.findElement(By.id("material-file")).sendKeys(material.toString());
        click("upload");
        wait.until(org.gongzhi.web.Browser.acrossReloads(
                d -> d.findElement(By.id("materials")).getText().contains(material.getFileName().toString())));
    }

    /** Waits until the case page shows the state (the page reloads after each action). */
    void expectState(String state) {
        wait.until(org.gongzhi.web.Browser.acrossReloads(
                d -> state.equals(d.findElement(By.id("case-state")).getAttribute("data-state"))));
    }

    void screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anEnterpriseGetsANewIndustrialOutfallApprovedAndARuralOutfallIsRegistered() throws Exception {
        CurrentUser party = accounts.existing("party");
        String county = organizations.find(party.organizationId()).orElseThrow().regionCode();

        // The enterprise applies online.
        signIn("party");
        open("/approvals");
        click("new-application");
        choose("kind", "APPROVAL");
        choose("settingType", "NEW");
        type("name", "苏州精细化工新区入河排污口");
        choose("typeCode", "IND_ENT");
        type("regionCode", county);
        new Select(driver.findElement(By.id("waterBodyId"))).selectByVisibleText("吴淞江");
        type("longitude", "120.63");
        type("latitude", "31.21");
        choose("dischargeMode", "CLOSED_PIPE");
        type("destination", "吴淞江");
        type("designCapacity", "800");
        type("projectName", "年产5万吨精细化学品项目");
        type("industry", "化工");
        type("pollutants", "w01018 50 14.6\nw21003 5 1.5");
        click("submit-application");
        expectState("SUBMITTED");
        String caseUrl = driver.getCurrentUrl();
        assertThat(text("deadline")).isEqualTo("2026-12-07"); // 5 working days after Monday 11-30
        assertThat(text("report-rule")).contains("须提交入河排污口设置论证报告").contains("化工");
        upload("BRIEF_ANALYSIS");
        assertThat(text("missing")).contains("入河排污口设置论证报告").contains("建设项目依据文件");
        screenshot("approval-applied");

        // The city bureau sees it in its queue and sends the one supplement notice.
        signIn("suzhou");
        open("/approvals");
        assertThat(text("cases")).contains("苏州精细化工新区入河排污口");
        driver.get(caseUrl);
        type("items", "1. 化工行业须提交入河排污口设置论证报告（全本）\n2. 项目环评批复文件");
        click("send-supplement");
        expectState("SUPPLEMENT_REQUESTED");
        assertThat(text("documents")).contains("补正材料通知书");

        // The enterprise reads what is missing, supplements and hands it in.
        signIn("party");
        driver.get(caseUrl);
        assertThat(text("supplement-items")).contains("项目环评批复文件");
        upload("FULL_REPORT");
        upload("PROJECT_BASIS");
        assertThat(text("nothing-missing")).isNotEmpty();
        click("supplied");
        expectState("SUBMITTED");

        // The bureau accepts, pauses for expert review, resumes and approves with limits, on time.
        signIn("suzhou");
        driver.get(caseUrl);
        click("accept");
        expectState("ACCEPTED");
        assertThat(text("case-number")).startsWith("320500受〔2026〕");
        assertThat(text("decision-deadline")).isEqualTo("2026-12-28"); // 20 working days after 11-30
        assertThat(text("documents")).contains("受理通知书");
        choose("pause-reason", "EXPERT_REVIEW");
        type("pause-note", "组织专家评审论证报告");
        click("pause");
        expectState("PAUSED");
        click("resume");
        expectState("ACCEPTED");
        assertThat(text("pauses")).contains("专家评审");
        type("permittedVolume", "750");
        type("limits", "w01018 DAILY_MEAN LE 50 mg/L\nw21003 DAILY_MEAN LE 5 mg/L\nw01001 INSTANT RANGE 6 9 无量纲");
        type("conditions", "安装化学需氧量、氨氮在线监测设备并与平台联网");
        click("approve");
        expectState("APPROVED");
        assertThat(text("decision")).contains("320500审〔2026〕").contains("w01018").contains("w01001");
        assertThat(text("documents")).contains("入河排污口设置准予行政许可决定书");
        assertThat(text("clock")).doesNotContain("已逾期");
        screenshot("approval-decided");

        // The outfall is in the ledger, approved and under supervision, with the decision number in its history.
        click("ledger-link");
        assertThat(text("outfall-name")).isEqualTo("苏州精细化工新区入河排污口");
        assertThat(text("outfall-lifecycle")).isEqualTo("纳入监管");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("审批").contains("320500审〔2026〕");

        // The decision's limits are in force in compliance from the decision day (its listener runs after commit).
        String outfallId = driver.getCurrentUrl().replaceAll(".*/outfalls/(\\d+).*", "$1");
        wait.until(d -> {
            open("/api/v1/outfalls/" + outfallId + "/limits?day=2026-11-30");
            String json = d.findElement(By.tagName("body")).getText();
            return json.contains("\"source\":\"DECISION\"") && json.contains("w01018") && json.contains("w01001")
                    && json.contains("320500审〔2026〕");
        });

        // 无锡 does not see the case.
        signIn("wuxi");
        driver.get(caseUrl);
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("苏州精细化工新区入河排污口");

        // A rural WWTP outfall is registered in the same portal.
        signIn("party");
        open("/approvals/new");
        choose("kind", "REGISTRATION");
        type("name", "东山村农村污水处理设施排口");
        choose("typeCode", "OTH_RURAL_WWTP");
        type("regionCode", county);
        new Select(driver.findElement(By.id("waterBodyId"))).selectByVisibleText("太湖");
        type("designCapacity", "120");
        click("submit-application");
        expectState("SUBMITTED");
        String registrationUrl = driver.getCurrentUrl();
        upload("REGISTRATION_FORM");
        signIn("suzhou");
        driver.get(registrationUrl);
        click("confirm");
        expectState("REGISTERED");
        assertThat(text("case-number")).startsWith("320500登〔2026〕");
        assertThat(text("documents")).contains("入河排污口登记回执");
        click("ledger-link");
        assertThat(text("outfall-lifecycle")).isEqualTo("纳入监管");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("登记");

        // Statistics of the bureau count the decision as on time.
        open("/approvals/statistics");
        assertThat(text("on-time")).isEqualTo("100.0%");
    }
}
