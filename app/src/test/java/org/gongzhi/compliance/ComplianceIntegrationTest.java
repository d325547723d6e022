package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.compliance.TestGateway.hour;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
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
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end: a Suzhou regulator assigns GB 18918-2002 一级A to an outfall, a data logger sends a day of hourly data
 * (2061) over real TCP to the gateway, the engine evaluates after commit and stores the findings; a Wuxi regulator
 * cannot see them.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ComplianceIntegrationTest {

    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired StandardPacks packs;
    @Autowired ComplianceEngine engine;
    @Autowired org.gongzhi.monitoring.MeasurementQueries queries;

    CurrentUser suzhou;
    CurrentUser wuxi;
    Organization party;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    long outfall() throws Exception {
        String body = """
                {"outfall": {"name": "达标测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]},
                 "reason": "测试"}""".formatted(SEQ.incrementAndGet(), party.id());
        MvcResult r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn();
        return json.readTree(r.getResponse().getContentAsString()).get("id").asLong();
    }

    void register(String mn, String pw, long outfall) throws Exception {
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003", "w01010"],
                                 "intervalSeconds": 3600, "lenientCrc": false}""".formatted(mn, pw, outfall)))
                .andExpect(status().isCreated());
    }

    static org.springframework.test.web.servlet.request.RequestPostProcessor csrf() {
        return SecurityMockMvcRequestPostProcessors.csrf();
    }

    void sendAll(List<Hj212Message> messages) throws Exception {
        TestGateway.sendAll(context, messages);
    }

    JsonNode findings(CurrentUser as, long outfall) throws Exception {
        MvcResult r = mvc.perform(get("/api/v1/findings").param("outfall", String.valueOf(outfall)).with(accounts.as(as)))
                .andExpect(status().isOk()).andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    static JsonNode find(JsonNode list, String factor, String kind) {
        for (JsonNode f : list) {
            if (f.get("factor").asString().equals(factor) && f.get("kind").asString().equals(kind)) {
                return f;
            }
        }
        return null;
    }

    // ---- tests -------------------------------------------------------------------------------------------------

    @Test
    void packsAreLoadedAsVersionedDataWithTheNumbersOfTheAnchorsDocument() throws Exception {
        mvc.perform(get("/api/v1/standard-packs").with(accounts.as(wuxi)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.code == 'GB18918-2002')].version").value(1))
                .andExpect(jsonPath("$[?(@.code == 'GB3838-2002')].kind").value("RECEIVING_WATER"));
        mvc.perform(get("/api/v1/standard-packs/GB18918-2002/limits").param("grade", "一级A").with(accounts.as(wuxi)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limits[?(@.factor == 'w01018')].value").value(50))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w21003' && @.condition == 'WATER_TEMP_GT_12')].value").value(5))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w21003' && @.condition == 'WATER_TEMP_LE_12')].value").value(8))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w21011' && @.condition == 'BUILT_FROM_2006')].value").value(0.5))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w21011' && @.condition == 'BUILT_BEFORE_2006')].value").value(1));
        mvc.perform(get("/api/v1/standard-packs/NOPE/limits").with(accounts.as(wuxi))).andExpect(status().isNotFound());
        // every stored limit has a unit that fits its factor (hj212.md §8)
        for (var p : packs.packs()) {
            for (Limit l : packs.limits(p.code(), p.version(), null)) {
                assertThat(Units.problem("unit", l.factor(), l.unit())).as("%s %s %s %s", p.code(), l.grade(), l.factor(), l.unit()).isEmpty();
            }
        }
        assertThat(packs.limits("GB18918-2002", 1, null)).hasSize(51);
        assertThat(packs.limits("GB3838-2002", 1, "III")).extracting(Limit::factor)
                .contains("w01009", "w21011", "w21001", "w02003");
    }

    @Test
    void aDayOfHourlyDataAboveThe1A_CODLimitBecomesAViolationVisibleInSuzhouOnly() throws Exception {
        long outfall = outfall();
        String mn = "CMPL" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        register(mn, "pw654321", outfall);
        LocalDate day = LocalDate.now(Evaluator.CHINA).minusDays(1);

        // wrong input is refused with reasons; a foreign regulator cannot even find the outfall
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"packCode": "GB18918-2002", "grade": "一级C", "reason": "x"}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[?(@.field == 'grade')]").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'builtBefore2006')]").exists());
        String assignment = """
                {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                 "reason": "环评批复要求执行一级A"}""".formatted(day);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(wuxi)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(assignment)).andExpect(status().isNotFound());
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(assignment))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.grade").value("一级A"))
                .andExpect(jsonPath("$.validFrom").value(day.toString()));
        mvc.perform(get("/api/v1/outfalls/" + outfall + "/limits").param("day", day.toString()).with(accounts.as(suzhou)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limits[?(@.factor == 'w01018')].value").value(50));

        // 24 hours: COD 60 (hour 05 flagged D with 999: excluded), NH3-N 6 at 10 °C (≤ 12 °C → limit 8: compliant)
        List<Hj212Message> hours = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(h == 5 ? hour(mn, "pw654321", day.atTime(h, 0), 999.0, "D", 6.0, 10.0)
                    : hour(mn, "pw654321", day.atTime(h, 0), 60.0, "N", 6.0, 10.0));
        }
        sendAll(hours);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

        JsonNode list = findings(suzhou, outfall);
        JsonNode violation = find(list, "w01018", "VIOLATION");
        assertThat(violation).as("COD violation in %s", list).isNotNull();
        assertThat(violation.get("statistic").asString()).isEqualTo("DAILY_MEAN");
        assertThat(violation.get("exceedancePercent").decimalValue()).isEqualByComparingTo("20.00"); // (60 − 50) / 50
        assertThat(violation.get("observed").decimalValue()).isEqualByComparingTo("60");
        assertThat(violation.get("packCode").asString()).isEqualTo("GB18918-2002");
        assertThat(violation.get("packVersion").asInt()).isEqualTo(1);
        assertThat(violation.get("limit").get("clause").asString()).contains("GB 18918-2002");
        assertThat(violation.get("limit").get("grade").asString()).isEqualTo("一级A");
        assertThat(violation.get("values").get("validCount").asInt()).isEqualTo(23);
        assertThat(violation.get("values").get("excluded").get(0).get("flag").asString()).isEqualTo("D");
        assertThat(Instant.parse(violation.get("windowStart").asString())).isEqualTo(Evaluator.dayStart(day));
        assertThat(violation.get("status").asString()).isEqualTo("OPEN");
        assertThat(find(list, "w01018", "INSTANT_EXCEEDANCE")).as("early warning").isNotNull();
        assertThat(find(list, "w21003", "VIOLATION")).as("NH3-N at 10 °C is judged against 8 mg/L").isNull();

        // re-evaluating the same history (backfill) writes the same rows, nothing new
        int before = list.size();
        engine.evaluate(outfall, Evaluator.dayStart(day), Evaluator.dayStart(day.plusDays(1)).minusSeconds(1), Instant.now());
        JsonNode again = findings(suzhou, outfall);
        assertThat(again.size()).isEqualTo(before);
        assertThat(find(again, "w01018", "VIOLATION").get("id").asLong()).isEqualTo(violation.get("id").asLong());

        // Wuxi sees nothing of it
        mvc.perform(get("/api/v1/findings").param("outfall", String.valueOf(outfall)).with(accounts.as(wuxi)))
                .andExpect(status().isNotFound());
        MvcResult all = mvc.perform(get("/api/v1/findings").with(accounts.as(wuxi))).andExpect(status().isOk()).andReturn();
        for (JsonNode f : json.readTree(all.getResponse().getContentAsString())) {
            assertThat(f.get("outfallId").asLong()).isNotEqualTo(outfall);
        }
        long id = violation.get("id").asLong();
        mvc.perform(post("/api/v1/findings/" + id + "/acknowledge").with(accounts.as(wuxi)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"x\"}")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/outfalls/" + outfall + "/limits").with(accounts.as(wuxi))).andExpect(status().isNotFound());

        // Suzhou acknowledges; a second acknowledgement is refused
        mvc.perform(post("/api/v1/findings/" + id + "/acknowledge").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"已通知企业整改\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ACKNOWLEDGED"))
                .andExpect(jsonPath("$.statusBy").value(suzhou.username()));
        mvc.perform(post("/api/v1/findings/" + id + "/acknowledge").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isUnprocessableContent());
    }

    @Test
    void anOutfallLimitInAUnitThatDoesNotFitIsRefused_aFittingOneReplacesThePackLimit() throws Exception {
        long outfall = outfall();
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"packCode": "GB18918-2002", "grade": "一级B", "builtBefore2006": true, "validFrom": "2024-01-01",
                                 "reason": "登记"}"""))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"factor": "w01018", "statistic": "DAILY_MEAN", "comparison": "LE", "value": 40, "unit": "L/s",
                                 "validFrom": "2024-06-01", "source": "DECISION", "clause": "苏环审〔2024〕1号 第三条", "reason": "批复"}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[?(@.field == 'unit')].reason_zh").value("单位“L/s”不适用于化学需氧量（w01018），其单位为 mg/L"))
                .andExpect(jsonPath("$.errors[?(@.field == 'unit')].reason_en").value("unit \"L/s\" does not fit COD (w01018), measured in mg/L"));
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(wuxi)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"factor": "w01018", "statistic": "DAILY_MEAN", "comparison": "LE", "value": 40000, "unit": "µg/L",
                                 "validFrom": "2024-06-01", "source": "DECISION", "clause": "苏环审〔2024〕1号 第三条", "reason": "批复"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.source").value("DECISION"));
        // before 1 June the pack's 一级B 60 mg/L, from 1 June the decision's 40,000 µg/L (= 40 mg/L)
        mvc.perform(get("/api/v1/outfalls/" + outfall + "/limits").param("day", "2024-05-31").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w01018')].value").value(60));
        mvc.perform(get("/api/v1/outfalls/" + outfall + "/limits").param("day", "2024-06-01").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w01018')].value").value(40000))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w01018')].unit").value("µg/L"))
                .andExpect(jsonPath("$.limits[?(@.factor == 'w21011')].value").value(1.5)); // TP, built before 2006
    }

    static Hj212Message dayValue(String mn, String pw, LocalDate day, double cod) {
        return Hj212Message.builder().qn(day.atStartOfDay().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "001")
                .st("32").cn(2031).pw(pw).mn(mn).flag(5)
                .group("DataTime", day.atStartOfDay().format(T))
                .group("w01018-Avg", Double.toString(cod), "w01018-Flag", "N")
                .build();
    }

    @Test
    void violationsInFourOfSixMonthsAcrossTheYearEndAreChronic_andAt1_4TimesTheLimitTrc_s1_4b() throws Exception {
        long outfall = outfall();
        String mn = "CHRN" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        register(mn, "pw654321", outfall);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "2025-01-01",
                                 "reason": "登记"}"""))
                .andExpect(status().isOk());
        // the logger's own daily values (2031): 70 mg/L = 1.4 × 50 in Oct, Nov, Dec 2025 and Jan 2026
        sendAll(List.of(dayValue(mn, "pw654321", LocalDate.of(2025, 10, 15), 70.0),
                dayValue(mn, "pw654321", LocalDate.of(2025, 11, 15), 70.0),
                dayValue(mn, "pw654321", LocalDate.of(2025, 12, 15), 70.0),
                dayValue(mn, "pw654321", LocalDate.of(2026, 1, 15), 70.0)));
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

        var stored = queries.values(outfall, java.util.EnumSet.allOf(org.gongzhi.monitoring.MeasurementKind.class), List.of(),
                Evaluator.dayStart(LocalDate.of(2025, 10, 1)), Evaluator.dayStart(LocalDate.of(2026, 2, 1)));
        assertThat(stored).as("stored daily values").hasSize(4);
        JsonNode list = findings(suzhou, outfall);
        int violations = 0;
        JsonNode chronic = null;
        boolean trc = false;
        for (JsonNode f : list) {
            switch (f.get("kind").asString()) {
                case "VIOLATION" -> {
                    violations++;
                    assertThat(f.get("exceedancePercent").decimalValue()).isEqualByComparingTo("40.00");
                }
                case "CHRONIC" -> {
                    if (Instant.parse(f.get("windowStart").asString()).equals(Evaluator.dayStart(LocalDate.of(2025, 10, 1)))) {
                        chronic = f;
                    }
                }
                case "TRC" -> trc = true;
                default -> { }
            }
        }
        assertThat(violations).as("violations in %s; stored %s", list, stored).isEqualTo(4);
        assertThat(chronic).as("chronic window Oct 2025 – Mar 2026 in %s", list).isNotNull();
        assertThat(Instant.parse(chronic.get("windowEnd").asString())).isEqualTo(Evaluator.dayStart(LocalDate.of(2026, 4, 1)));
        assertThat(chronic.get("values").get("months")).hasSize(4);
        assertThat(trc).as("1.4 × the limit in ≥ 2 of 6 months, group I (COD)").isTrue();
        // only the factor that was measured has findings: no INSUFFICIENT_DATA for the pack's other factors
        for (JsonNode f : list) {
            assertThat(f.get("factor").asString()).isEqualTo("w01018");
        }
    }

    @Test
    void whileADayRunsOnlyEarlyWarningsAreRaised_closingTheDayJudgesItsDailyMean_issue4_streaming() throws Exception {
        long outfall = outfall();
        String mn = "CLOSE" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        register(mn, "pw654321", outfall);
        LocalDate day = LocalDate.now(Evaluator.CHINA).minusDays(2);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                         "reason": "登记"}""".formatted(day.minusDays(1)))).andExpect(status().isOk());
        List<Hj212Message> hours = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour(mn, "pw654321", day.atTime(h, 0), 60.0, "N", 6.0, 10.0));
        }
        sendAll(hours);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        assertThat(find(findings(suzhou, outfall), "w01018", "VIOLATION")).as("a finished day is judged at once").isNotNull();
        // now the same data as the engine saw it at noon of that day: the day was running, no daily judgement yet
        org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
        jdbc.sql("DELETE FROM alert WHERE outfall_id = ?").param(outfall).update();
        jdbc.sql("DELETE FROM finding WHERE outfall_id = ?").param(outfall).update();
        Instant noon = Evaluator.dayStart(day).plus(Duration.ofHours(12));
        engine.evaluate(outfall, Evaluator.dayStart(day), Evaluator.dayStart(day).plus(Duration.ofHours(11)), noon);
        JsonNode running = findings(suzhou, outfall);
        assertThat(find(running, "w01018", "INSTANT_EXCEEDANCE")).as("early warning while the day runs").isNotNull();
        assertThat(find(running, "w01018", "VIOLATION")).as("no daily judgement before the day is over").isNull();
        // the day-close job (00:05 China time) judges the finished day
        engine.closeDay(day);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        JsonNode closed = find(findings(suzhou, outfall), "w01018", "VIOLATION");
        assertThat(closed).isNotNull();
        assertThat(closed.get("observed").decimalValue()).isEqualByComparingTo("60");
    }

    @Test
    void aMonthlyMeanLimitIsJudgedOnTheMeanOfTheDailyMeans_andABackfillWritesWhatStreamingWrote_s1_2() throws Exception {
        long outfall = outfall();
        String mn = "MNTH" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        register(mn, "pw654321", outfall);
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "2025-01-01",
                         "reason": "登记"}""")).andExpect(status().isOk());
        // a permit's monthly average: COD ≤ 45 mg/L (anchors §1.2, 40 CFR 122.2 "average monthly")
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"factor": "w01018", "statistic": "MONTHLY_MEAN", "comparison": "LE", "value": 45, "unit": "mg/L",
                         "validFrom": "2025-01-01", "source": "PERMIT", "clause": "排污许可证 第5条", "reason": "许可"}"""))
                .andExpect(status().isCreated());
        // March 2026: the 3rd at 48 mg/L and the 4th at 50 (both within the daily 50), the 5th with only 10 valid hours
        // (not a valid day): monthly mean (48 + 50) / 2 = 49 > 45 → violation, (49 − 45) / 45 = 8.89 %
        List<Hj212Message> hours = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour(mn, "pw654321", LocalDate.of(2026, 3, 3).atTime(h, 0), 48.0, "N", 2.0, 15.0));
            hours.add(hour(mn, "pw654321", LocalDate.of(2026, 3, 4).atTime(h, 0), 50.0, "N", 2.0, 15.0));
            if (h < 10) {
                hours.add(hour(mn, "pw654321", LocalDate.of(2026, 3, 5).atTime(h, 0), 10.0, "N", 2.0, 15.0));
            }
        }
        sendAll(hours);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();
        JsonNode monthly = null;
        JsonNode streamed = findings(suzhou, outfall);
        for (JsonNode f : streamed) {
            if (f.get("statistic").asString().equals("MONTHLY_MEAN") && f.get("kind").asString().equals("VIOLATION")) {
                monthly = f;
            }
        }
        assertThat(monthly).as("monthly violation in %s", streamed).isNotNull();
        assertThat(monthly.get("observed").decimalValue()).isEqualByComparingTo("49");
        assertThat(monthly.get("exceedancePercent").decimalValue()).isEqualByComparingTo("8.89");
        assertThat(Instant.parse(monthly.get("windowStart").asString())).isEqualTo(Evaluator.dayStart(LocalDate.of(2026, 3, 1)));
        assertThat(Instant.parse(monthly.get("windowEnd").asString())).isEqualTo(Evaluator.dayStart(LocalDate.of(2026, 4, 1)));
        assertThat(monthly.get("limit").get("clause").asString()).isEqualTo("排污许可证 第5条");

        // streaming includes the nightly day-close job, which judged every day of March (the days without data too)
        for (LocalDate d = LocalDate.of(2026, 3, 1); d.getMonthValue() == 3; d = d.plusDays(1)) {
            engine.closeDay(d);
        }
        assertThat(engine.drain(Duration.ofSeconds(60))).isTrue();
        // backfill == streaming: drop every finding, re-evaluate the history in one go, get the same findings (streaming
        // also left the intermediate ones it withdrew while the hours arrived one by one: resolved by the system)
        org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
        String sql = "SELECT kind || ' ' || factor || ' ' || statistic || ' ' || window_start || ' ' || window_end || ' ' "
                + "|| coalesce(observed::text, '') || ' ' || coalesce(exceedance_percent::text, '') || ' ' || status "
                + "FROM finding WHERE outfall_id = ? AND NOT (status = 'RESOLVED' AND status_by = 'system') "
                + "AND window_start >= ? AND window_start < ? ORDER BY 1";
        // (only March: the permit's COD limit also made every day since it took effect without COD data missing data,
        // which the limit's own re-evaluation wrote for the last 62 days)
        java.sql.Timestamp march = java.sql.Timestamp.from(Evaluator.dayStart(LocalDate.of(2026, 3, 1)));
        java.sql.Timestamp april = java.sql.Timestamp.from(Evaluator.dayStart(LocalDate.of(2026, 4, 1)));
        List<String> before = jdbc.sql(sql).params(outfall, march, april).query(String.class).list();
        jdbc.sql("DELETE FROM alert WHERE outfall_id = ?").param(outfall).update();
        jdbc.sql("DELETE FROM finding WHERE outfall_id = ?").param(outfall).update();
        assertThat(engine.backfill(List.of(outfall), Evaluator.dayStart(LocalDate.of(2026, 3, 1)),
                Evaluator.dayStart(LocalDate.of(2026, 4, 1)).minusSeconds(1), 1)).isEqualTo(1);
        assertThat(jdbc.sql(sql).params(outfall, march, april).query(String.class).list()).isEqualTo(before);
    }

    @Test
    void aRequiredFactorWithoutAnyValidValueAllDayIsMissingData_notInsufficientData_likeIcisD80_s1_1() throws Exception {
        long outfall = outfall();
        String mn = "MISS" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        register(mn, "pw654321", outfall); // registered to send COD (w01018), NH3-N (w21003), water temperature (w01010)
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        LocalDate d0 = today.minusDays(4);
        LocalDate d1 = today.minusDays(3);
        LocalDate d2 = today.minusDays(2);
        org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
        // the logger was registered in the evening before d1: from d1 on it must send its factors, on d0 it need not
        jdbc.sql("UPDATE data_logger SET registered_at = ? WHERE mn = ?")
                .params(java.sql.Timestamp.from(Evaluator.dayStart(d1).minusSeconds(3600)), mn).update();
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "%s",
                         "reason": "登记"}""".formatted(today.minusDays(10)))).andExpect(status().isOk());
        // a permit limit for TP: the outfall must measure it although no logger is registered for it
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"factor": "w21011", "statistic": "DAILY_MEAN", "comparison": "LE", "value": 0.5, "unit": "mg/L",
                         "validFrom": "%s", "source": "PERMIT", "clause": "排污许可证 第7条", "reason": "许可"}"""
                        .formatted(today.minusDays(10)))).andExpect(status().isCreated());
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        // d1: 24 hours of COD all flagged D (fault: excluded, hj212.md §7), NH3-N and temperature valid
        List<Hj212Message> hours = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(hour(mn, "pw654321", d1.atTime(h, 0), 30.0, "D", 2.0, 15.0));
        }
        sendAll(hours);
        // d2: nothing at all; d0: nothing either (before the logger was registered). The day-close job judges them.
        engine.closeDay(d2);
        engine.closeDay(d0);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        JsonNode all = findings(suzhou, outfall);
        java.util.function.BiFunction<String, LocalDate, JsonNode> missing = (factor, day) -> {
            for (JsonNode f : all) { // the open ones: the assignment's re-evaluation also judged these days before the data came
                if (f.get("factor").asString().equals(factor) && f.get("kind").asString().equals("MISSING_DATA")
                        && !f.get("status").asString().equals("RESOLVED")
                        && Instant.parse(f.get("windowStart").asString()).equals(Evaluator.dayStart(day))) {
                    return f;
                }
            }
            return null;
        };
        // d1: COD had 24 values and none valid → missing data (one finding for the day, statistic DAY), and no
        // "insufficient valid hours" finding for the same day; TP (permit) sent nothing → missing; NH3-N and
        // temperature had valid values → nothing; TN (pack row only, not required) → nothing
        JsonNode cod = missing.apply("w01018", d1);
        assertThat(cod).as("COD all flagged D on %s in %s", d1, all).isNotNull();
        assertThat(cod.get("statistic").asString()).isEqualTo("DAY");
        assertThat(Instant.parse(cod.get("windowEnd").asString())).isEqualTo(Evaluator.dayStart(d1.plusDays(1)));
        assertThat(cod.get("values").get("received").asInt()).isEqualTo(24);
        assertThat(cod.get("values").get("excluded")).hasSize(24);
        assertThat(cod.get("values").get("requiredBy").toString()).contains("data logger " + mn);
        assertThat(cod.get("values").get("rule").asString()).contains("D80");
        for (JsonNode f : all) {
            boolean onD1 = Instant.parse(f.get("windowStart").asString()).equals(Evaluator.dayStart(d1));
            assertThat(onD1 && f.get("kind").asString().equals("INSUFFICIENT_DATA") && f.get("factor").asString().equals("w01018"))
                    .as("no INSUFFICIENT_DATA besides MISSING_DATA: %s", f).isFalse();
        }
        JsonNode tp = missing.apply("w21011", d1);
        assertThat(tp).isNotNull();
        assertThat(tp.get("values").get("requiredBy").toString()).contains("PERMIT 排污许可证 第7条");
        assertThat(tp.get("values").get("received").asInt()).isZero();
        assertThat(tp.get("limit").get("clause").asString()).isEqualTo("排污许可证 第7条");
        assertThat(missing.apply("w21003", d1)).isNull();
        assertThat(missing.apply("w01010", d1)).isNull();
        assertThat(missing.apply("w21001", d1)).as("TN: a pack row alone does not make a factor required").isNull();
        // d2, closed by the day-close job with no data: the three logger factors and the permit's TP
        for (String f : List.of("w01018", "w21003", "w01010", "w21011")) {
            assertThat(missing.apply(f, d2)).as("%s on %s", f, d2).isNotNull();
        }
        // d0, before the logger was registered: only the permit's TP
        assertThat(missing.apply("w21011", d0)).isNotNull();
        for (String f : List.of("w01018", "w21003", "w01010")) {
            assertThat(missing.apply(f, d0)).as("%s on %s (logger not yet registered)", f, d0).isNull();
        }
        // the alert names the gap
        assertThat(jdbc.sql("SELECT summary_zh FROM alert WHERE finding_id = ?").param(tp.get("id").asLong())
                .query(String.class).single()).contains("全天无有效监测数据");

        // the logger uploads d2 late: COD, NH3-N and temperature are no longer missing (resolved by the system); TP is
        List<Hj212Message> late = new java.util.ArrayList<>();
        for (int h = 0; h < 24; h++) {
            late.add(hour(mn, "pw654321", d2.atTime(h, 0), 30.0, "N", 2.0, 15.0));
        }
        sendAll(late);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();
        for (String f : List.of("w01018", "w21003", "w01010")) {
            assertThat(jdbc.sql("""
                    SELECT status || ' ' || status_by FROM finding WHERE outfall_id = ? AND factor = ? AND kind = 'MISSING_DATA'
                      AND window_start = ?""").params(outfall, f, java.sql.Timestamp.from(Evaluator.dayStart(d2)))
                    .query(String.class).single()).as(f).isEqualTo("RESOLVED system");
        }
        assertThat(jdbc.sql("SELECT status FROM finding WHERE outfall_id = ? AND factor = 'w21011' AND kind = 'MISSING_DATA' "
                + "AND window_start = ?").params(outfall, java.sql.Timestamp.from(Evaluator.dayStart(d2)))
                .query(String.class).single()).isEqualTo("OPEN");
    }

    /**
     * The gateway's loggers run their own clocks, so one committed batch holds different data times for different
     * outfalls. The live path must judge exactly the batch's new values: each exceeding one raised (one finding and
     * one alert per exceedance of an instantaneous limit), none missed, and none of an earlier batch judged again —
     * although a read by the batch's union of data times would have returned them (issue 4: alert within a second).
     */
    @Test
    void aBatchWhoseOutfallsHaveDifferentDataTimesIsJudgedExactly_eachExceedanceOnce_issue4_streaming() throws Exception {
        long a = outfall();
        long b = outfall();
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        instantCodLimit(a, today);
        instantCodLimit(b, today);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
        Instant t0 = Evaluator.dayStart(today); // minutes after midnight: always today, always in the past
        java.util.function.IntFunction<Instant> minute = m -> t0.plus(Duration.ofMinutes(m));
        // batch 1: A at 00:03 (70, over) and 00:04 (40), B at 00:01 (30)
        store(jdbc, a, minute.apply(3), 70);
        store(jdbc, a, minute.apply(4), 40);
        store(jdbc, b, minute.apply(1), 30);
        engine.on(org.gongzhi.monitoring.MeasurementsStored.of(List.of(span(a, minute.apply(3)), span(a, minute.apply(4)),
                span(b, minute.apply(1))), 3));
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        Instant firstWrite = jdbc.sql("SELECT updated_at FROM finding WHERE outfall_id = ? AND window_start = ?")
                .params(a, java.sql.Timestamp.from(minute.apply(3))).query(java.sql.Timestamp.class).single().toInstant();
        // batch 2: A at 00:05 (80, over), B at 00:02 (90, over) and 00:06 (20): the union 00:02–00:06 covers A's 00:03 and
        // 00:04 of batch 1, A's own span does not
        store(jdbc, a, minute.apply(5), 80);
        store(jdbc, b, minute.apply(2), 90);
        store(jdbc, b, minute.apply(6), 20);
        engine.on(org.gongzhi.monitoring.MeasurementsStored.of(List.of(span(a, minute.apply(5)), span(b, minute.apply(2)),
                span(b, minute.apply(6))), 3));
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

        record Seen(long outfall, Instant at, String observed, long alerts) {
        }
        List<Seen> seen = jdbc.sql("""
                        SELECT f.outfall_id, f.window_start, f.observed::text,
                               (SELECT count(*) FROM alert x WHERE x.finding_id = f.id)
                        FROM finding f WHERE f.outfall_id IN (?, ?) AND f.kind = 'VIOLATION' AND f.statistic = 'INSTANT'
                        ORDER BY f.outfall_id, f.window_start""")
                .params(a, b).query((rs, i) -> new Seen(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        new java.math.BigDecimal(rs.getString(3)).stripTrailingZeros().toPlainString(), rs.getLong(4))).list();
        assertThat(seen).as("one finding and one alert per exceeding value, of either batch").containsExactly(
                new Seen(a, minute.apply(3), "70", 1), new Seen(a, minute.apply(5), "80", 1), new Seen(b, minute.apply(2), "90", 1));
        assertThat(jdbc.sql("SELECT updated_at FROM finding WHERE outfall_id = ? AND window_start = ?")
                .params(a, java.sql.Timestamp.from(minute.apply(3))).query(java.sql.Timestamp.class).single().toInstant())
                .as("batch 1's value was not judged again by batch 2").isEqualTo(firstWrite);
        JsonNode listed = findings(suzhou, b);
        assertThat(find(listed, "w01018", "VIOLATION")).as("the regulator sees B's exceedance").isNotNull();
    }

    /**
     * A crash between a batch's commit and its check (the live path's spans wait in memory): after the restart, the
     * values of the last hour are checked again — the exceeding one gets its finding and alert, once, however often the
     * re-check runs (issue 4: an acknowledged value is never left unjudged).
     */
    @Test
    void valuesStoredJustBeforeACrashAreJudgedAfterTheRestart_onceHoweverOftenItRuns_issue4_streaming() throws Exception {
        long o = outfall();
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        instantCodLimit(o, today);
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant recent = now.minus(Duration.ofMinutes(5)).isBefore(Evaluator.dayStart(today)) ? Evaluator.dayStart(today)
                : now.minus(Duration.ofMinutes(5));
        // committed, no event: the process died before the engine saw the batch
        store(jdbc, o, recent, 70);
        store(jdbc, o, recent.plusSeconds(60).isAfter(now) ? recent : recent.plusSeconds(60), 30);
        assertThat(jdbc.sql("SELECT count(*) FROM finding WHERE outfall_id = ? AND statistic = 'INSTANT'").param(o)
                .query(Long.class).single()).as("not judged yet").isZero();

        engine.recheckRecent(Instant.now());
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();
        engine.recheckRecent(Instant.now()); // a second restart, or the re-check of values judged before
        assertThat(engine.drain(Duration.ofSeconds(20))).isTrue();

        assertThat(jdbc.sql("""
                        SELECT f.window_start, f.observed::text, (SELECT count(*) FROM alert x WHERE x.finding_id = f.id)
                        FROM finding f WHERE f.outfall_id = ? AND f.kind = 'VIOLATION' AND f.statistic = 'INSTANT'""")
                .param(o).query((rs, i) -> rs.getTimestamp(1).toInstant() + " "
                        + new java.math.BigDecimal(rs.getString(2)).stripTrailingZeros().toPlainString() + " " + rs.getLong(3)).list())
                .as("one finding with one alert for the exceeding value, none for the other").containsExactly(recent + " 70 1");
    }

    /** The decision's instantaneous COD limit, 50 mg/L, in force since yesterday. */
    private void instantCodLimit(long outfall, LocalDate today) throws Exception {
        mvc.perform(post("/api/v1/outfalls/" + outfall + "/outfall-limits").with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"factor": "w01018", "statistic": "INSTANT", "comparison": "LE", "value": 50, "unit": "mg/L",
                                 "validFrom": "%s", "source": "DECISION", "clause": "苏环审〔2026〕9号 第二条", "reason": "批复"}"""
                                .formatted(today.minusDays(1))))
                .andExpect(status().isCreated());
    }

    private static void store(org.springframework.jdbc.core.simple.JdbcClient jdbc, long outfall, Instant at, double cod) {
        jdbc.sql("""
                INSERT INTO measurement (outfall_id, kind, data_time, factor, source, avg, flag, received_at)
                VALUES (?, 'MINUTE', ?, 'w01018', 'HJ212', ?, 'N', now())""")
                .params(outfall, java.sql.Timestamp.from(at), cod).update();
    }

    private static org.gongzhi.monitoring.MeasurementsStored.Span span(long outfall, Instant at) {
        return new org.gongzhi.monitoring.MeasurementsStored.Span(outfall, org.gongzhi.monitoring.MeasurementKind.MINUTE, at, at);
    }

    @Test
    void overlappingSpansOfAnOutfallAreReadOnce_aResentPacketNamesItsDataTimeTwice() {
        Instant t = Instant.parse("2026-11-29T02:00:00Z");
        var minute = org.gongzhi.monitoring.MeasurementKind.MINUTE;
        var hour = org.gongzhi.monitoring.MeasurementKind.HOUR;
        var merged = ComplianceEngine.merged(List.of(
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, minute, t.plusSeconds(120), t.plusSeconds(120)),
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, minute, t, t.plusSeconds(60)),
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, minute, t.plusSeconds(60), t.plusSeconds(60)),
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, hour, t, t)));
        assertThat(merged).containsExactly(
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, minute, t, t.plusSeconds(60)),
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, minute, t.plusSeconds(120), t.plusSeconds(120)),
                new org.gongzhi.monitoring.MeasurementsStored.Span(1, hour, t, t));
    }
}
