package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.compliance.TestGateway.hour;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public read of compliance: the limits in force today (the pack's, with an outfall-specific decision limit in
 * place of the pack's for the same factor and statistic, each with its source) and the last 12 months per factor in
 * the effluent chart's statuses, for an outfall whose data came in over the real gateway.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PublicComplianceTest {

    private static final String PW = "pw654321";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ComplianceEngine engine;
    @Autowired PublicCompliance publicCompliance;

    @Test
    void limitsInForceWithTheirSourcesAndTwelveMonthsPerFactor() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        Organization party = accounts.party("320506");
        var created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "公开达标测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(System.nanoTime(), party.id()))).andExpect(status().isCreated()).andReturn();
        long outfall = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        assertThat(publicCompliance.limitsInForce(outfall, LocalDate.now())).isEmpty();

        String mn = "PUBC" + System.nanoTime() % 1_000_000_000L;
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003", "w01010"], "intervalSeconds": 3600}"""
                        .formatted(mn, PW, outfall))).andExpect(status().isCreated());
        YearMonth now = YearMonth.now(Evaluator.CHINA);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                         "reason": "登记"}""".formatted(now.minusMonths(13).atDay(1)))).andExpect(status().isOk());
        // A decision's COD limit from today: it replaces the pack's COD daily mean in force today, not in the past.
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"factor": "w01018", "statistic": "DAILY_MEAN", "comparison": "LE", "value": 40, "unit": "mg/L",
                         "validFrom": "%s", "source": "DECISION", "clause": "320500审〔2026〕99号", "reason": "决定书"}"""
                        .formatted(LocalDate.now(Evaluator.CHINA)))).andExpect(r -> assertThat(r.getResponse().getStatus())
                        .as(r.getResponse().getContentAsString()).isBetween(200, 201));

        // Two months back: a compliant day; last month: a day at 60 mg/L against 50 (a violation).
        LocalDate compliant = now.minusMonths(2).atDay(10);
        LocalDate violating = now.minusMonths(1).atDay(10);
        List<Hj212Message> messages = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            messages.add(hour(mn, PW, compliant.atTime(h, 0), 30.0, "N", 2.0, 15.0));
            messages.add(hour(mn, PW, violating.atTime(h, 0), 60.0, "N", 2.0, 15.0));
        }
        TestGateway.sendAll(context, messages);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        List<PublicCompliance.LimitInForce> limits = publicCompliance.limitsInForce(outfall, LocalDate.now(Evaluator.CHINA));
        PublicCompliance.LimitInForce cod = limits.stream()
                .filter(l -> l.factor().equals("w01018") && l.statistic().equals("DAILY_MEAN")).findFirst().orElseThrow();
        assertThat(cod.value()).isEqualByComparingTo("40");
        assertThat(cod.source()).isEqualTo("DECISION");
        assertThat(cod.clause()).isEqualTo("320500审〔2026〕99号");
        assertThat(cod.packCode()).isNull();
        assertThat(cod.factorZh()).isEqualTo("化学需氧量");
        PublicCompliance.LimitInForce ss = limits.stream().filter(l -> l.factor().equals("w01012")).findFirst().orElseThrow();
        assertThat(ss.source()).isEqualTo("NATIONAL");
        assertThat(ss.packCode()).isEqualTo("GB18918-2002");
        assertThat(ss.grade()).isEqualTo("一级A");
        assertThat(ss.unit()).isEqualTo("mg/L");
        assertThat(limits).filteredOn(l -> l.factor().equals("w21003")).extracting(PublicCompliance.LimitInForce::condition)
                .as("NH3-N: the GB 18918 water-temperature split").contains("WATER_TEMP_GT_12", "WATER_TEMP_LE_12");

        PublicCompliance.Summary summary = publicCompliance.summary(outfall);
        assertThat(summary.to()).isEqualTo(now);
        assertThat(summary.from()).isEqualTo(now.minusMonths(11));
        PublicCompliance.FactorSummary codMonths = summary.factors().stream().filter(f -> f.factor().equals("w01018"))
                .findFirst().orElseThrow();
        assertThat(codMonths.months()).hasSize(12);
        assertThat(monthStatus(codMonths, now.minusMonths(1))).isEqualTo(PublicCompliance.MonthStatus.VIOLATION);
        assertThat(monthStatus(codMonths, now.minusMonths(2))).isEqualTo(PublicCompliance.MonthStatus.COMPLIANT);
        assertThat(monthStatus(codMonths, now.minusMonths(3))).as("no data: insufficient, not compliant")
                .isEqualTo(PublicCompliance.MonthStatus.INSUFFICIENT_DATA);
        assertThat(summary.withoutData()).extracting(PublicCompliance.FactorSummary::factor)
                .as("BOD5 is limited by GB 18918 but never measured here").contains("w01017");
    }

    private static PublicCompliance.MonthStatus monthStatus(PublicCompliance.FactorSummary f, YearMonth month) {
        return f.months().stream().filter(m -> m.month().equals(month)).findFirst().orElseThrow().status();
    }
}
