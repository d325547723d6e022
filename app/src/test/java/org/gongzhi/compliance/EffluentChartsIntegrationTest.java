package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.compliance.TestGateway.hour;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The effluent charts of one outfall held to GB 18918-2002 一级A (COD ≤ 50 mg/L daily mean), with data sent over the
 * real gateway: four months (Jun–Sep 2025) at 1.4 × the limit (chronic and TRC: red), a month with one violating day (yellow), a
 * compliant month (blue), a month with too few valid hours (grey); the month's chart data; CSV; 404 for 无锡.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class EffluentChartsIntegrationTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String PW = "pw654321";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ComplianceEngine engine;

    CurrentUser suzhou;
    CurrentUser wuxi;
    Organization party;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
    }

    JsonNode read(CurrentUser as, String url) throws Exception {
        var r = mvc.perform(get(url).with(accounts.as(as))).andExpect(status().isOk()).andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    static String cell(JsonNode matrix, String factor, String month) {
        for (JsonNode row : matrix.get("rows")) {
            if (row.get("factor").asString().equals(factor)) {
                return row.get("months").get(month).get("status").asString();
            }
        }
        return null;
    }

    @Test
    void theMatrixColoursEachMonthByItsWorstStatus_andTheMonthBehindACellShowsValuesLimitsFlagsAndFindings() throws Exception {
        var created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "达标图测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(SEQ.incrementAndGet(), party.id()))).andExpect(status().isCreated()).andReturn();
        long outfall = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        String mn = "ECHO" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003", "w01010"], "intervalSeconds": 3600}"""
                        .formatted(mn, PW, outfall))).andExpect(status().isCreated());
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "2025-01-01",
                         "reason": "登记"}""")).andExpect(status().isOk());

        List<Hj212Message> messages = new ArrayList<>();
        for (String d : List.of("2025-06-15", "2025-07-15", "2025-08-15", "2025-09-15")) {
            messages.add(ComplianceIntegrationTest.dayValue(mn, PW, LocalDate.parse(d), 70.0)); // 1.4 × 50
        }
        LocalDate violating = LocalDate.of(2026, 3, 10);
        LocalDate compliant = LocalDate.of(2026, 4, 10);
        LocalDate sparse = LocalDate.of(2026, 5, 10);
        for (int h = 0; h < 24; h++) {
            messages.add(h == 5 ? hour(mn, PW, violating.atTime(h, 0), 999.0, "D", 6.0, 10.0)
                    : hour(mn, PW, violating.atTime(h, 0), 60.0, "N", 6.0, 10.0));
            messages.add(hour(mn, PW, compliant.atTime(h, 0), 40.0, "N", 6.0, 10.0));
            if (h < 10) {
                messages.add(hour(mn, PW, sparse.atTime(h, 0), 40.0, "N", 6.0, 10.0));
            }
        }
        TestGateway.sendAll(context, messages);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        JsonNode m = read(suzhou, "/api/v1/compliance/outfalls/" + outfall + "/effluent?from=2025-06&to=2026-05");
        assertThat(m.get("months")).hasSize(12);
        assertThat(cell(m, "w01018", "2025-06")).as("chronic/TRC month, §1.4 (b)").isEqualTo("CHRONIC");
        assertThat(cell(m, "w01018", "2025-09")).isEqualTo("CHRONIC");
        assertThat(cell(m, "w01018", "2026-02")).as("no data at all: grey, not compliant").isEqualTo("INSUFFICIENT");
        assertThat(cell(m, "w01018", "2026-03")).isEqualTo("VIOLATION");
        assertThat(cell(m, "w01018", "2026-04")).isEqualTo("COMPLIANT");
        assertThat(cell(m, "w01018", "2026-05")).as("10 of the 20 valid hours a day needs").isEqualTo("INSUFFICIENT");
        assertThat(cell(m, "w21003", "2026-04")).as("NH3-N 6 mg/L at 10 °C against 8").isEqualTo("COMPLIANT");

        JsonNode s = read(suzhou, "/api/v1/compliance/outfalls/" + outfall + "/series?factor=w01018&month=2026-03");
        assertThat(s.get("points")).hasSize(24);
        JsonNode excluded = null;
        for (JsonNode p : s.get("points")) {
            if (p.get("excluded").asBoolean()) {
                excluded = p;
            }
        }
        assertThat(excluded).isNotNull();
        assertThat(excluded.get("flag").asString()).isEqualTo("D");
        assertThat(excluded.get("v").asDouble()).isEqualTo(999.0);
        JsonNode day = s.get("days").get(violating.getDayOfMonth() - 1);
        assertThat(day.get("day").asString()).isEqualTo(violating.toString());
        assertThat(day.get("value").decimalValue()).isEqualByComparingTo("60");
        assertThat(day.get("limit").decimalValue()).isEqualByComparingTo("50");
        assertThat(day.get("status").asString()).isEqualTo("EXCEEDANCE");
        assertThat(day.get("validHours").asInt()).isEqualTo(23);
        assertThat(day.get("clause").asString()).contains("GB 18918-2002");
        assertThat(s.get("findings").toString()).contains("VIOLATION").contains("INSTANT_EXCEEDANCE");

        // the pages and CSV of what is shown
        String page = mvc.perform(get("/compliance/outfalls/" + outfall).param("from", "2025-06").param("to", "2026-05")
                .with(accounts.as(suzhou))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("data-month=\"2026-03\" data-status=\"VIOLATION\"")
                .contains("/compliance/outfalls/" + outfall + "/series?factor=w01018&amp;month=2026-03");
        String csv = new String(mvc.perform(get("/compliance/outfalls/" + outfall + "/effluent.csv").param("from", "2025-06")
                .param("to", "2026-05").with(accounts.as(suzhou))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsByteArray(), StandardCharsets.UTF_8);
        assertThat(csv).contains(",w01018,化学需氧量,2026-03,VIOLATION,1,").contains(",w01018,化学需氧量,2025-06,CHRONIC,");
        String seriesCsv = new String(mvc.perform(get("/compliance/outfalls/" + outfall + "/series.csv").param("factor", "w01018")
                .param("month", "2026-03").with(accounts.as(suzhou))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsByteArray(), StandardCharsets.UTF_8);
        assertThat(seriesCsv).contains("HOURLY,").contains(",D,true,").contains("DAILY,2026-03-10,w01018,60");
        mvc.perform(get("/compliance/outfalls/" + outfall + "/series").param("factor", "w01018").param("month", "2026-03")
                .with(accounts.as(suzhou))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/compliance/outfalls/" + outfall + "/series").param("factor", "nope")
                .with(accounts.as(suzhou))).andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/v1/compliance/outfalls/" + outfall + "/effluent").param("from", "2026-13")
                .with(accounts.as(suzhou))).andExpect(status().isUnprocessableContent());

        // 无锡 sees none of it
        for (String url : List.of("/compliance/outfalls/" + outfall, "/compliance/outfalls/" + outfall + "/effluent.csv",
                "/compliance/outfalls/" + outfall + "/series?factor=w01018&month=2026-03",
                "/api/v1/compliance/outfalls/" + outfall + "/effluent",
                "/api/v1/compliance/outfalls/" + outfall + "/series?factor=w01018&month=2026-03")) {
            mvc.perform(get(url).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        }
    }
}
