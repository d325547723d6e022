package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Offline alerts: a device silent for more than offline-after-intervals × its interval gets exactly one alert per
 * outage (however often the check runs), with one DeviceWentOffline event; contact clears it with one
 * DeviceBackOnline event; the next silence is a new outage. Alerts are listed only within the jurisdiction.
 *
 * <p>The check takes "now" as a parameter. The test drives the device's last contact rather than a fake clock, and
 * always checks at the real now, so the scheduled check (which runs every minute in this context too) agrees with
 * every step and cannot make the assertions flaky; they count rows and events, not what one call did.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DeviceAlertsTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired DeviceAlerts alerts;
    @Autowired DataLoggerRegistry registry;
    @Autowired ConfigurableApplicationContext context;

    @Test
    void oneAlertPerOutageClearedWhenTheDeviceTalksAgainAndListedOnlyInTheJurisdiction() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Organization party = accounts.party("320506");
        MockHttpServletResponse created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "离线告警测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED",
                         "regionCode": "320506", "longitude": 120.6, "latitude": 31.2,
                         "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(System.nanoTime(), party.id()))).andReturn().getResponse();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        long outfallId = json.readTree(created.getContentAsString()).get("id").asLong();
        String mn = "ALERT" + System.nanoTime();
        MockHttpServletResponse reg = mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"mn": "%s", "password": "123456", "outfallId": %d, "factors": ["w01018"], "intervalSeconds": 60}"""
                        .formatted(mn, outfallId))).andReturn().getResponse();
        assertThat(reg.getStatus()).as(reg.getContentAsString()).isEqualTo(201);

        List<Object> events = new CopyOnWriteArrayList<>();
        context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
            if (e.getPayload() instanceof DeviceWentOffline w && w.mn().equals(mn)) {
                events.add(w);
            } else if (e.getPayload() instanceof DeviceBackOnline b && b.mn().equals(mn)) {
                events.add(b);
            }
        });

        // just registered and talking: online, no alert
        registry.touch(mn, Instant.now(), "127.0.0.1:1");
        alerts.check(Instant.now());
        assertThat(alertRows(mn)).isZero();

        // silent for an hour (interval 60 s × 3): one alert, however many checks run
        Instant lastContact = Instant.now().minus(Duration.ofHours(1));
        registry.touch(mn, lastContact, "127.0.0.1:1");
        alerts.check(Instant.now());
        alerts.check(Instant.now());
        alerts.check(Instant.now().plusSeconds(1));
        assertThat(alertRows(mn)).isEqualTo(1);
        assertThat(openAlerts(mn)).isEqualTo(1);
        assertThat(events).hasSize(1).first().isInstanceOf(DeviceWentOffline.class);
        DeviceWentOffline offline = (DeviceWentOffline) events.get(0);
        assertThat(offline.outfallId()).isEqualTo(outfallId);
        assertThat(offline.lastContact()).isEqualTo(lastContact);

        // listed for 苏州 (API and devices page), not for 无锡
        String mine = mvc.perform(get("/api/v1/device-alerts").with(accounts.as(suzhou))).andReturn().getResponse()
                .getContentAsString();
        assertThat(mine).contains(mn).contains("离线告警测试排污口");
        String theirs = mvc.perform(get("/api/v1/device-alerts").with(accounts.as(wuxi)).param("all", "true"))
                .andReturn().getResponse().getContentAsString();
        assertThat(theirs).doesNotContain(mn);
        assertThat(mvc.perform(get("/monitoring/devices").with(accounts.as(suzhou))).andReturn().getResponse()
                .getContentAsString()).contains("id=\"alert-" + mn + "\"");
        assertThat(mvc.perform(get("/monitoring/devices").with(accounts.as(wuxi))).andReturn().getResponse()
                .getContentAsString()).doesNotContain(mn);

        // data arrives: the alert is cleared, once
        registry.touch(mn, Instant.now(), "127.0.0.1:2");
        alerts.check(Instant.now());
        alerts.check(Instant.now());
        assertThat(openAlerts(mn)).isZero();
        assertThat(alertRows(mn)).isEqualTo(1);
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOf(DeviceBackOnline.class);
        assertThat(mvc.perform(get("/api/v1/device-alerts").with(accounts.as(suzhou))).andReturn().getResponse()
                .getContentAsString()).doesNotContain(mn);
        assertThat(mvc.perform(get("/api/v1/device-alerts").with(accounts.as(suzhou)).param("all", "true"))
                .andReturn().getResponse().getContentAsString()).contains(mn);

        // silent again: a new outage, a new alert
        registry.touch(mn, Instant.now().minus(Duration.ofMinutes(10)), "127.0.0.1:2");
        alerts.check(Instant.now());
        alerts.check(Instant.now());
        assertThat(alertRows(mn)).isEqualTo(2);
        assertThat(openAlerts(mn)).isEqualTo(1);
        assertThat(events).hasSize(3);
        assertThat(events.get(2)).isInstanceOf(DeviceWentOffline.class);
    }

    private long alertRows(String mn) {
        return jdbc.sql("SELECT count(*) FROM device_alert WHERE mn = ?").param(mn).query(Long.class).single();
    }

    private long openAlerts(String mn) {
        return jdbc.sql("SELECT count(*) FROM device_alert WHERE mn = ? AND cleared_at IS NULL").param(mn)
                .query(Long.class).single();
    }
}
