package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.compliance.TestGateway.hour;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * In a real browser (Debian's Chromium, headless) against the real server, with data sent over the real gateway: the
 * city regulator goes from the outfall's ledger page to its effluent charts, sees October's violation in yellow,
 * opens the month and gets the chart; the party's user completes October's report with no-data codes and signs it;
 * the signed report shows its SHA-256.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceJourneyTest {

    private static final String PW = "pw654321";

    @LocalServerPort int port;
    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ComplianceEngine engine;

    WebDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("gongzhi.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN");
        driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("gongzhi.chromedriver", "/usr/bin/chromedriver")).toFile())
                .build(), options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stopBrowser() {
        driver.quit();
    }

    void open(String path) {
        driver.get("http://localhost:" + port + path);
    }

    void signIn(CurrentUser user) {
        driver.manage().deleteAllCookies();
        open("/login");
        driver.findElement(By.id("username")).sendKeys(user.username());
        driver.findElement(By.id("password")).sendKeys("password-" + user.username());
        driver.findElement(By.id("sign-in")).click();
        wait.until(d -> !d.getCurrentUrl().endsWith("/login"));
    }

    @Test
    void theRegulatorTracesOctobersViolationToTheChart_andThePartySignsOctobersReport() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000);
        CurrentUser city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"), "journey-city-" + tag);
        Organization party = accounts.party("320506");
        CurrentUser partyUser = accounts.user(Role.PARTY, party, "journey-party-" + tag);
        var created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "旅程测试排污口%s", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(tag, party.id()))).andExpect(status().isCreated()).andReturn();
        long outfall = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        String mn = "JRNY" + tag + "A";
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(city)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003", "w01010"], "intervalSeconds": 3600}"""
                        .formatted(mn, PW, outfall))).andExpect(status().isCreated());
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "2026-01-01",
                         "reason": "登记"}""")).andExpect(status().isOk());
        List<Hj212Message> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour(mn, PW, LocalDate.of(2026, 10, 12).atTime(h, 0), 60.0, "N", 2.0, 15.0));
        }
        TestGateway.sendAll(context, hours);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        // the regulator: ledger page → effluent charts → October's cell → the month's chart
        signIn(city);
        open("/outfalls/" + outfall);
        driver.findElement(By.id("effluent-link")).click();
        WebElement cell = wait.until(d -> d.findElement(By.cssSelector("td[data-factor='w01018'][data-month='2026-10']")));
        assertThat(cell.getAttribute("data-status")).isEqualTo("VIOLATION");
        assertThat(cell.getCssValue("background-color")).isEqualTo("rgba(249, 215, 28, 1)"); // yellow
        cell.findElement(By.tagName("a")).click();
        WebElement chart = wait.until(d -> d.findElement(By.cssSelector("#series-chart canvas")));
        assertThat(chart.getSize().getWidth()).isGreaterThan(100);
        assertThat(driver.findElement(By.id("series-days")).getText()).contains("2026-10-12").contains("60");
        assertThat(driver.findElement(By.id("series-findings")).getText()).contains("+20");

        // the party: October's report, no-data codes for what it does not measure online, then the signature
        signIn(partyUser);
        open("/compliance/outfalls/" + outfall + "/report?month=2026-10");
        for (WebElement select : driver.findElements(By.cssSelector("#report-form select"))) {
            String factor = select.getAttribute("name").substring("code_".length());
            if (!factor.equals("w01018") && !factor.equals("w21003")) {
                new Select(select).selectByValue("9");
            }
        }
        driver.findElement(By.id("comments")).sendKeys("10月12日超标，已排查");
        driver.findElement(By.cssSelector("#report-form button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("report-status")).getText().contains("草稿"));
        driver.findElement(By.cssSelector("#sign-form button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("report-status")).getText().contains("已签署"));
        assertThat(driver.findElement(By.id("report-signer")).getText()).contains(partyUser.username());
        assertThat(driver.findElement(By.id("report-hash")).getText()).hasSize(64);
        assertThat(driver.findElements(By.id("sign-form"))).isEmpty();
    }
}
