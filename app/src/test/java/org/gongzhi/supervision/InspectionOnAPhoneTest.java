package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallDraft;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The "done when", second half, in headless Chromium at a phone's viewport (390 × 844, device emulation): an
 * inspector opens the day's task list, completes an inspection (checklist, photo, coordinates, a finding with its
 * legal basis, both signatures) that produces a rectification order; the party answers it with evidence; the
 * inspector closes it. Nothing on the inspector's pages is wider than the phone, and 无锡 gets 404 for the record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gongzhi.gateway.port=0")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectionOnAPhoneTest {

    static final int WIDTH = 390;
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @LocalServerPort int port;
    @Autowired TestAccounts accounts;
    @Autowired Ledger ledger;
    @Autowired Inspections inspections;
    @Autowired Reminders reminders;

    Browser phone;
    WebDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void startPhone() {
        phone = new Browser(port, Browser.PHONE);
        driver = phone.driver;
        wait = phone.wait;
    }

    @AfterAll
    void stopPhone() {
        phone.close();
    }

    private void signIn(CurrentUser user) {
        phone.signOut().signIn(user.username(), accounts.password(user));
    }

    /** Waits for the element's text after a click that reloads the page (the old page has the element too). */
    private void waitForText(String id, String expected) {
        wait.ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> expected.equals(d.findElement(By.id(id)).getText()));
    }

    /** The page's layout width: more than the viewport means sideways scrolling on the phone. */
    private long pageWidth() {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth;")).longValue();
    }

    @Test
    void anInspectorCompletesAnInspectionOnAPhoneAndThePartyClosesTheOrderWithEvidence() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "320500");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, bureau);
        Organization enterprise = accounts.party("320506");
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        CurrentUser wuxi = accounts.user(Role.INSPECTOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Outfall outfall = ledger.create(new OutfallDraft(null, null, "吴中区手机检查" + tag + "号工业企业排污口", "IND_ENT",
                Lifecycle.UNDER_SUPERVISION, "320506", null, 120.612345, 31.271234, null, null, null,
                List.of(new OutfallDraft.PartyRef(enterprise.id(), true, null)), List.of(), List.of(), null), "测试", regulator);
        Inspections.Inspection scheduled = inspections.createAdHoc(new Inspections.AdHocInput(outfall.id(),
                Inspections.Origin.AD_HOC, null, inspector.username(), LocalDate.now()), regulator);
        Path photo = Files.createTempFile("site-", ".png");
        Files.write(photo, PNG);

        // The inspector's day: the task list (and its map) on the phone
        signIn(inspector);
        phone.open("/supervision/tasks");
        assertThat(phone.text("task-list")).contains(outfall.name());
        assertThat(pageWidth()).as("the task list fits the phone").isLessThanOrEqualTo(WIDTH);
        wait.until(d -> "1".equals(d.findElement(By.id("day-map")).getAttribute("data-shown")));
        phone.screenshot("phone-tasks");
        phone.click("inspection-" + scheduled.id());
        assertThat(phone.text("inspection-outfall")).isEqualTo(outfall.name());

        // A site photo
        phone.byId("inspection-photo").sendKeys(photo.toAbsolutePath().toString());
        phone.click("inspection-photo-upload");
        wait.until(d -> !d.findElements(By.cssSelector(".sv-photos img")).isEmpty());

        // The checklist of an industrial outfall: the signboard fails, the rest passes
        List<String> items = List.of("SIGNBOARD", "SAMPLING_POINT", "INSPECTION_WELL", "DISCHARGE_AS_APPROVED", "ONLINE_MONITOR",
                "PATROL_RECORDS");
        for (String item : items) {
            phone.click((item.equals("SIGNBOARD") ? "fail-" : "pass-") + item);
        }
        phone.type("note-SIGNBOARD", "标识牌二维码无法扫描，信息与台账不一致");
        phone.type("f0-description", "标识牌二维码损坏，排污口编码与台账不符");
        phone.type("f0-legalBasis", "《入河排污口监督管理办法》规范化建设要求；HJ 1309 §7");
        phone.type("f0-requirement", "更换标识牌，信息与台账一致并可扫码");
        phone.type("samples", "COD、氨氮各1瓶，样品编号 SZ-" + tag);
        phone.type("inspectorName", "赵强");
        // the party's representative has not signed yet: refused, with the reason, and nothing typed is lost
        phone.click("complete-inspection");
        assertThat(phone.text("problems")).contains("partyRepresentative").contains("责任主体现场代表须签名");
        assertThat(phone.byId("f0-description").getAttribute("value")).isEqualTo("标识牌二维码损坏，排污口编码与台账不符");
        assertThat(phone.byId("fail-SIGNBOARD").isSelected()).isTrue();
        phone.type("partyRepresentative", "钱伟（厂长）");
        assertThat(pageWidth()).as("the inspection form fits the phone").isLessThanOrEqualTo(WIDTH);
        phone.screenshot("phone-inspection-form");
        phone.click("complete-inspection");

        waitForText("inspection-status", "已完成");
        assertThat(phone.text("signatures")).contains("SHA-256");
        assertThat(phone.text("signers")).contains("赵强").contains("钱伟（厂长）");
        assertThat(phone.text("inspection-answers")).contains("标识牌: 不合格 · 标识牌二维码无法扫描").contains("检查井: 合格");
        assertThat(pageWidth()).as("the completed record fits the phone").isLessThanOrEqualTo(WIDTH);
        WebElement orderLink = phone.byId("inspection-orders").findElement(By.cssSelector("a.stop"));
        assertThat(orderLink.getText()).contains("更换标识牌");
        String orderPath = orderLink.getAttribute("href").replaceAll("^https?://[^/]+", "");
        phone.screenshot("phone-inspection-done");

        // The party sees the order among its duties and answers it with evidence
        signIn(party);
        phone.open("/supervision/duties");
        assertThat(phone.text("open-orders")).contains("更换标识牌");
        assertThat(pageWidth()).as("the duties page fits the phone").isLessThanOrEqualTo(WIDTH);

        // Two days before the deadline the daily job reminds the party: the navigation's badge (loaded by htmx, as the
        // alerts' count) shows it, the notice opens the order
        reminders.run(inspections.openOrders(party, 10).get(0).deadline().minusDays(2));
        phone.open("/supervision/duties");
        wait.until(d -> !d.findElements(By.id("notices-unread")).isEmpty());
        assertThat(phone.text("notices-unread")).isEqualTo("1");
        phone.open("/notices");
        assertThat(phone.text("notices")).contains("整改通知即将到期").contains("更换标识牌");
        assertThat(pageWidth()).as("the notices page fits the phone").isLessThanOrEqualTo(WIDTH);
        driver.findElement(By.cssSelector("#notices button[name=follow]")).click();
        wait.until(d -> d.getCurrentUrl().endsWith(orderPath));
        // read now: once htmx has swapped the badge's placeholder, there is no count
        wait.until(d -> d.findElements(By.cssSelector("span[hx-get='/notices/unread-count']")).isEmpty());
        assertThat(driver.findElements(By.id("notices-unread"))).isEmpty();
        phone.open(orderPath);
        assertThat(phone.text("order-status")).isEqualTo("待整改");
        phone.type("response", "已更换新标识牌，二维码可扫，信息与台账一致");
        phone.click("order-respond");
        wait.until(d -> !d.findElements(By.id("problems")).isEmpty());
        assertThat(phone.text("problems")).contains("须先上传佐证");
        phone.byId("order-file").sendKeys(photo.toAbsolutePath().toString());
        phone.click("order-file-upload");
        wait.until(d -> !d.findElements(By.cssSelector(".sv-photos img")).isEmpty());
        phone.type("response", "已更换新标识牌，二维码可扫，信息与台账一致");
        phone.click("order-respond");
        waitForText("order-status", "已回复，待审核");
        assertThat(phone.text("order-response")).contains("已更换新标识牌");
        phone.screenshot("phone-order-responded");

        // The inspector reviews the evidence and closes the order
        signIn(inspector);
        phone.open(orderPath);
        phone.click("order-close");
        waitForText("order-status", "已关闭");

        // The outfall's ledger page shows the supervision history
        phone.open("/outfalls/" + outfall.id());
        wait.until(d -> d.findElement(By.id("supervision")).getText().contains("现场检查"));

        // 无锡 cannot open the inspection or the order
        signIn(wuxi);
        phone.open("/supervision/inspections/" + scheduled.id());
        assertThat(phone.text("error-page")).contains("找不到").doesNotContain(outfall.name());
        phone.open(orderPath);
        assertThat(phone.text("error-page")).contains("找不到").doesNotContain("更换标识牌");
    }
}
