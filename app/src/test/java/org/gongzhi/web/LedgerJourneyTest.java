package org.gongzhi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The main journeys of a regulator, in a real browser against the real server with the demo city loaded:
 * sign in, find, filter, open, edit with a reason, see the change in the history, fix a form error, map, and
 * the neighbouring city that sees none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gongzhi.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerJourneyTest {

    static final String PASSWORD = "gongzhi-demo";

    @LocalServerPort int port;
    Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(port);
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    private int total() {
        return Integer.parseInt(browser.text("total").replaceAll("\\D", ""));
    }

    @Test
    void regulatorFindsEditsAndSeesTheHistoryWhileAnotherCitySeesNothing() {
        browser.signOut().signIn("suzhou", PASSWORD);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/outfalls");
        int all = total();
        assertThat(all).isGreaterThan(250);
        browser.screenshot("ledger-list");

        // filter by type with the select: htmx reloads the results in place
        new Select(browser.byId("type")).selectByValue("URBAN_WWTP");
        browser.wait.until(d -> total() < all);
        int wwtp = total();
        assertThat(wwtp).isBetween(10, 40);
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#ledger-table tbody tr"));
        assertThat(rows).allSatisfy(r -> assertThat(r.getText()).contains("城镇污水处理厂排污口"));

        // open the first one and change its name with a reason
        WebElement first = rows.get(0).findElement(By.cssSelector("td a"));
        String code = first.getText();
        first.click();
        assertThat(browser.text("outfall-code")).isEqualTo(code);
        String oldName = browser.text("outfall-name");
        browser.click("edit-outfall");
        browser.type("name", oldName + "（更正）");
        browser.type("reason", "名称与现场标识牌不一致，更正");
        browser.click("save");
        assertThat(browser.text("outfall-name")).isEqualTo(oldName + "（更正）");
        assertThat(browser.text("history")).contains("名称与现场标识牌不一致，更正").contains("name");
        browser.screenshot("outfall-detail");
        String detailUrl = browser.driver.getCurrentUrl();

        // 无锡 cannot find it, by code or by name
        browser.signOut().signIn("wuxi", PASSWORD);
        browser.open("/outfalls?q=" + code);
        assertThat(total()).isZero();
        browser.open("/outfalls?q=苏州市");
        assertThat(total()).isZero();
        browser.open("/outfalls");
        assertThat(total()).isBetween(1, 60);
        // and the outfall's own page answers "not found", as for an id that does not exist
        browser.driver.get(detailUrl);
        assertThat(browser.text("error-page")).contains("找不到").contains("outside your jurisdiction")
                .doesNotContain(code);
    }

    @Test
    void formShowsEachProblemNextToItsFieldAndKeepsWhatWasTyped() {
        browser.signOut().signIn("wuzhong", PASSWORD);
        browser.open("/outfalls/new");
        browser.type("name", "吴中区测试排污口");
        new Select(browser.byId("typeCode")).selectByValue("IND_ENT");
        browser.type("regionCode", "320200");
        browser.type("longitude", "31.2");
        browser.type("latitude", "120.6");
        browser.click("save");
        String errors = browser.text("form-errors");
        assertThat(errors).contains("regionCode").contains("longitude").contains("latitude");
        WebElement longitude = browser.byId("longitude");
        assertThat(longitude.getAttribute("value")).isEqualTo("31.2");
        assertThat(longitude.findElement(By.xpath("..")).getText()).contains("经度超出中国范围");
        browser.screenshot("form-errors");

        browser.type("regionCode", "320506");
        browser.type("longitude", "120.6");
        browser.type("latitude", "31.2");
        browser.click("save");
        assertThat(browser.text("outfall-name")).isEqualTo("吴中区测试排污口");
        assertThat(browser.text("outfall-code")).startsWith("320506G");
    }

    @Test
    void mapShowsTheOutfallsOfTheFilteredViewWithoutABasemap() {
        browser.signOut().signIn("suzhou", PASSWORD);
        browser.open("/outfalls/map?type=INDUSTRIAL");
        WebElement map = browser.byId("map");
        browser.wait.until(d -> map.getAttribute("data-count") != null);
        int shown = Integer.parseInt(map.getAttribute("data-count"));
        assertThat(shown).isGreaterThan(50);
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-basemap")));
        assertThat(browser.driver.findElements(By.cssSelector("#map path.leaflet-interactive"))).hasSize(shown);
        browser.screenshot("map");
    }

    @Test
    void regulatorImportsALedgerFixesTheFlaggedRowAndReimportsWithoutDuplicates() throws Exception {
        browser.signOut().signIn("wuzhong", PASSWORD);
        String header = "排污口名称 name,排污口类型 typeCode,状态 lifecycle,行政区划代码 regionCode,经度 longitude,纬度 latitude\n";
        String good = "吴中区导入甲村1#农村生活污水散排口,OTH_RURAL_SCATTERED,VERIFIED,320506,120.61,31.21\n"
                + "吴中区导入乙村1#城镇雨洪排口,城镇雨洪排口,疑似,320506,120.62,31.22\n";
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ledger-", ".csv");
        java.nio.file.Files.writeString(file, header + good
                + "吴中区导入丙村1#农村生活污水散排口,OTH_RURAL_SCATTERED,VERIFIED,320506,31.23,120.63\n");

        browser.open("/outfalls/import");
        browser.byId("import-file").sendKeys(file.toAbsolutePath().toString());
        browser.click("import-check");
        assertThat(browser.text("count-valid")).isEqualTo("2");
        assertThat(browser.text("count-invalid")).isEqualTo("1");
        String problems = browser.text("import-problems");
        assertThat(problems).contains("4").contains("longitude").contains("31.23").contains("经度超出中国范围");
        browser.screenshot("import-report");
        browser.click("import-accept");
        assertThat(browser.text("import-result")).isNotBlank();
        browser.open("/outfalls?q=吴中区导入");
        assertThat(total()).isEqualTo(2);

        // the row is fixed in the same file and the whole file imported again: only the fixed row is new
        java.nio.file.Files.writeString(file, header + good
                + "吴中区导入丙村1#农村生活污水散排口,OTH_RURAL_SCATTERED,VERIFIED,320506,120.63,31.23\n");
        browser.open("/outfalls/import");
        browser.byId("import-file").sendKeys(file.toAbsolutePath().toString());
        browser.click("import-check");
        assertThat(browser.text("count-invalid")).isEqualTo("0");
        assertThat(browser.text("count-unchanged")).isEqualTo("2");
        assertThat(browser.text("count-create")).isEqualTo("1");
        browser.click("import-accept");
        browser.byId("import-result");
        browser.open("/outfalls?q=吴中区导入");
        assertThat(total()).isEqualTo(3);
    }

    @Test
    void pagesSpeakEnglishOnRequest() {
        browser.signOut().signIn("suzhou", PASSWORD);
        browser.open("/outfalls?lang=en");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Outfall ledger");
        browser.open("/outfalls?lang=zh_CN");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("入河排污口台账");
    }

    @Test
    void navigationMenusOpenOnClickAndShowOnlyWhatTheRoleMayUse() {
        browser.signOut().signIn("wuzhong", PASSWORD);
        // on the map page, so that an open menu must show above Leaflet's panes
        browser.open("/outfalls/map");
        List<WebElement> menus = browser.driver.findElements(By.cssSelector("nav.menus details > summary"));
        assertThat(menus).extracting(WebElement::getText).containsExactly("台账", "监测与达标", "监管业务");
        WebElement requests = browser.byId("nav-requests");
        assertThat(requests.isDisplayed()).isFalse();
        menus.get(2).click();
        browser.wait.until(ExpectedConditions.visibilityOf(requests));
        WebElement atThatPoint = (WebElement) ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "const r = arguments[0].getBoundingClientRect();"
                + " return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);", requests);
        assertThat(atThatPoint).as("the open menu is on top of the map").isEqualTo(requests);
        browser.screenshot("nav-menu-open");
        requests.click();
        browser.wait.until(ExpectedConditions.urlContains("/requests"));

        // a party user has no request queue; an admin gets the administration menu
        browser.signOut().signIn("party", PASSWORD);
        assertThat(browser.driver.findElements(By.id("nav-requests"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("nav.menus details > summary"))).hasSize(3);
        browser.signOut().signIn("admin", "test-admin-password");
        browser.open("/outfalls?lang=en");
        assertThat(browser.driver.findElements(By.cssSelector("nav.menus details > summary")))
                .extracting(WebElement::getText).contains("Administration");
        browser.open("/outfalls?lang=zh_CN");
    }
}
