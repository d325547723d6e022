package org.gongzhi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The field engineer's story of the monitoring issue, in a real browser against the real server, with a data logger
 * on real TCP: an unknown logger dials in and is refused; the city regulator sees its MN among the unregistered
 * devices, binds it to an outfall; the logger's next packets are acknowledged; the outfall's monitoring page shows
 * the values and draws the chart; the neighbouring city gets a 404 for the same page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gongzhi.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringJourneyTest {

    static final String PASSWORD = "gongzhi-demo";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    @LocalServerPort int port;
    @Autowired ApplicationContext context;
    @Autowired Ledger ledger;
    Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(port);
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    /** The gateway is internal to the monitoring module: ask its bean for the port (tests only). */
    int gatewayPort() throws Exception {
        Class<?> type = Class.forName("org.gongzhi.monitoring.Gateway");
        var m = type.getDeclaredMethod("port");
        m.setAccessible(true);
        return (int) m.invoke(context.getBean(type));
    }

    static byte[] minute(String mn, String pw, LocalDateTime t, double cod) {
        return Hj212Encoder.frame("QN=" + TIME.format(t) + "000;ST=32;CN=2051;PW=" + pw + ";MN=" + mn + ";Flag=5;CP=&&DataTime="
                + TIME.format(t) + ";w01018-Min=" + (cod - 1) + ",w01018-Avg=" + cod + ",w01018-Max=" + (cod + 1)
                + ",w01018-Flag=N;w21003-Avg=1.25,w21003-Flag=N&&");
    }

    /** Sends the frames and returns what the gateway answered until it has said {@code expect} or went quiet. */
    String exchange(Socket s, String expect, int times, byte[]... frames) throws IOException {
        for (byte[] f : frames) {
            s.getOutputStream().write(f);
        }
        s.getOutputStream().flush();
        StringBuilder answers = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (answers.toString().split(expect, -1).length - 1 < times) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                answers.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException e) {
            // what came is what we have
        }
        return answers.toString();
    }

    @Test
    void anUnknownLoggerIsBoundToAnOutfallAndItsValuesArriveOnTheOutfallsChart() throws Exception {
        String mn = "JOURNEY" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        Outfall outfall = ledger.search(new LedgerQuery("320506", "IND_ENT", null, null, null, null, null, null, null,
                false, 0, 1), CurrentUser.system()).items().get(0);
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).truncatedTo(ChronoUnit.MINUTES);

        try (Socket logger = new Socket()) {
            logger.connect(new InetSocketAddress("127.0.0.1", gatewayPort()), 5000);
            logger.setSoTimeout(10_000);

            // 1. Not registered yet: refused with 9011 QnRtn=4 (wrong MN), nothing acknowledged.
            String refused = exchange(logger, "CN=9011", 1, minute(mn, "pw-journey", now.minusMinutes(3), 30.5));
            assertThat(refused).contains("CN=9011").contains("QnRtn=4").doesNotContain("CN=9014");

            // 2. The regulator finds the MN among the unregistered devices and binds it to the outfall.
            browser.signIn("suzhou", PASSWORD).open("/monitoring/devices");
            WebElement row = browser.byId("unregistered-" + mn);
            row.findElement(By.name("password")).sendKeys("pw-journey");
            row.findElement(By.name("outfallId")).sendKeys(String.valueOf(outfall.id()));
            row.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement device = browser.byId("device-" + mn);
            assertThat(device.getText()).contains(outfall.name());
            assertThat(browser.driver.findElements(By.id("unregistered-" + mn))).isEmpty();

            // 3. Registered now: every packet is acknowledged (after commit).
            String acks = exchange(logger, "CN=9014", 3, minute(mn, "pw-journey", now.minusMinutes(3), 30.5),
                    minute(mn, "pw-journey", now.minusMinutes(2), 31.5), minute(mn, "pw-journey", now.minusMinutes(1), 32.5));
            assertThat(acks.split("CN=9014", -1)).hasSize(4);

            // 4. From the device page the regulator asks the logger for the morning's hourly data (2061); the logger
            //    receives the request on its connection, answers 9011 and 9012, and the page shows the command done.
            browser.open("/monitoring/devices/" + mn);
            assertThat(browser.text("device-connected")).isNotEmpty();
            new org.openqa.selenium.support.ui.Select(browser.byId("cn")).selectByValue("2061");
            var js = (org.openqa.selenium.JavascriptExecutor) browser.driver;
            js.executeScript("arguments[0].value = arguments[1]", browser.byId("begin"), "2026-11-29T08:00");
            js.executeScript("arguments[0].value = arguments[1]", browser.byId("end"), "2026-11-29T10:00");
            browser.click("send-command");
            assertThat(browser.text("command-sent")).contains("2061");
            String request = exchange(logger, "\r\n", 1);
            assertThat(request).contains("CN=2061").contains("MN=" + mn).contains("BeginTime=20261129080000")
                    .contains("EndTime=20261129100000");
            org.gongzhi.hj212.Hj212Packet asked = org.gongzhi.hj212.Hj212Packet.decodeFrame(
                    request.trim().concat("\r\n").getBytes(StandardCharsets.US_ASCII));
            exchange(logger, "CN=9014", 0,
                    Hj212Encoder.encode(org.gongzhi.hj212.Hj212Replies.requestAnswer(asked, org.gongzhi.hj212.Hj212Replies.QnRtn.READY)),
                    Hj212Encoder.encode(org.gongzhi.hj212.Hj212Replies.executionResult(asked, org.gongzhi.hj212.Hj212Replies.ExeRtn.SUCCESS)));
            // The 9011 and the 9012 may be stored by different writer threads, in either order: wait for both.
            browser.wait.until(d -> {
                d.navigate().refresh();
                String answers = d.findElement(By.id("command-" + asked.qn())).getText();
                return answers.contains("DONE") && answers.contains("QnRtn=1") && answers.contains("ExeRtn=1");
            });
        }

        // 5. The outfall's monitoring page shows the latest values and draws the chart of the day.
        browser.open("/monitoring/outfalls/" + outfall.id());
        browser.wait.until(d -> d.findElement(By.id("latest")).getText().contains("32.5"));
        assertThat(browser.text("latest")).contains("w01018").contains("w21003").contains("1.25");
        WebElement chart = browser.wait.until(d -> d.findElement(By.cssSelector("#chart canvas")));
        assertThat(chart.getSize().getWidth()).isGreaterThan(100);
        assertThat(browser.text("devices-of-outfall")).contains(mn);

        // 6. The neighbouring city cannot see the outfall's data at all.
        browser.signOut().signIn("wuxi", PASSWORD).open("/monitoring/outfalls/" + outfall.id());
        assertThat(browser.driver.getPageSource()).doesNotContain(outfall.name()).doesNotContain("32.5");
        assertThat(browser.driver.getTitle()).contains("404");
    }
}
