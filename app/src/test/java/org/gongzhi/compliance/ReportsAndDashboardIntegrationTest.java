package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gongzhi.compliance.TestGateway.hour;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monthly report (DMR model) of an outfall for October 2026, computed by hand: COD 60 mg/L on the 5th (one hour
 * flagged D, excluded) and 40 mg/L on the 6th against GB 18918-2002 一级A ≤ 50 (daily mean); the party enters no-data
 * codes for the factors it does not measure online, signs, and the signed copy stays as it was when more data
 * arrives. And the jurisdiction's dashboard ranks the outfall; 无锡 sees neither.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ReportsAndDashboardIntegrationTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String PW = "pw654321";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired ApplicationContext context;
    @Autowired ComplianceEngine engine;
    @Autowired JdbcClient jdbc;

    CurrentUser suzhou;
    CurrentUser wuxi;
    CurrentUser partyUser;
    Organization party;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
        partyUser = accounts.user(Role.PARTY, party);
    }

    JsonNode read(CurrentUser as, String url) throws Exception {
        var r = mvc.perform(get(url).with(accounts.as(as))).andExpect(status().isOk()).andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    static JsonNode row(JsonNode report, String factor) {
        for (JsonNode r : report.get("content").get("rows")) {
            if (r.get("factor").asString().equals(factor)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void aMonthlyReportIsComputedFromTheData_completedByTheParty_signedOnceAndNeverRegenerated() throws Exception {
        var created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "月报测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(SEQ.incrementAndGet(), party.id()))).andExpect(status().isCreated()).andReturn();
        long outfall = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        String name = json.readTree(created.getResponse().getContentAsString()).get("name").asString();
        String mn = "DMR" + System.nanoTime() % 1_000_000_000L + "A" + SEQ.incrementAndGet();
        mvc.perform(post("/api/v1/data-loggers").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"mn": "%s", "password": "%s", "outfallId": %d, "factors": ["w01018", "w21003", "w01010"], "intervalSeconds": 3600}"""
                        .formatted(mn, PW, outfall))).andExpect(status().isCreated());
        mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"packCode": "GB18918-2002", "grade": "一级A", "builtBefore2006": false, "validFrom": "2026-01-01",
                         "reason": "登记"}""")).andExpect(status().isOk());
        List<Hj212Message> messages = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            messages.add(h == 5 ? hour(mn, PW, LocalDate.of(2026, 10, 5).atTime(h, 0), 999.0, "D", 6.0, 10.0)
                    : hour(mn, PW, LocalDate.of(2026, 10, 5).atTime(h, 0), 60.0, "N", 6.0, 10.0));
            messages.add(hour(mn, PW, LocalDate.of(2026, 10, 6).atTime(h, 0), 40.0, "N", 6.0, 10.0));
        }
        TestGateway.sendAll(context, messages);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();

        String url = "/api/v1/compliance/outfalls/" + outfall + "/report?month=2026-10";
        JsonNode r = read(suzhou, url);
        assertThat(r.get("status").asString()).isEqualTo("NONE");
        assertThat(r.get("canEdit").asBoolean()).as("regulators read; the party completes and signs").isFalse();
        JsonNode cod = row(r, "w01018");
        assertThat(cod.get("daysWithData").asInt()).isEqualTo(2);
        assertThat(cod.get("daysJudged").asInt()).isEqualTo(2);
        assertThat(cod.get("mean").asString()).isEqualTo("50"); // (60 + 40) / 2; the 999 flagged D is not in the 60
        assertThat(cod.get("max").asString()).isEqualTo("60");
        assertThat(cod.get("min").asString()).isEqualTo("40");
        assertThat(cod.get("exceedances")).hasSize(1);
        assertThat(cod.get("exceedances").get(0).get("day").asString()).isEqualTo("2026-10-05");
        assertThat(cod.get("exceedances").get(0).get("percent").asString()).isEqualTo("20"); // (60 − 50) / 50
        assertThat(cod.get("excluded").get(0).get("flag").asString()).isEqualTo("D");
        assertThat(cod.get("excluded").get(0).get("count").asInt()).isEqualTo(1);
        assertThat(cod.get("excluded").get(0).get("reasonZh").asString()).isEqualTo("仪器故障");
        assertThat(cod.get("limits").get(0).get("limit").asString()).startsWith("≤ 50 mg/L DAILY_MEAN · GB 18918-2002");
        assertThat(cod.get("limits").get(0).get("from").asString()).isEqualTo("2026-10-01");
        assertThat(cod.get("limits").get(0).get("to").asString()).isEqualTo("2026-10-31");
        assertThat(row(r, "w21003").get("exceedances")).as("NH3-N 6 at 10 °C against 8").isEmpty();
        List<String> missing = new ArrayList<>();
        r.get("missing").forEach(x -> missing.add(x.asString()));
        assertThat(missing).as("factors of the pack not measured online need a no-data code").contains("w01012", "w21011")
                .doesNotContain("w01018", "w21003");

        // who may complete it, and what is refused
        mvc.perform(put(url).with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"codes\": {}, \"comments\": \"x\"}")).andExpect(status().isForbidden());
        mvc.perform(put(url).with(accounts.as(partyUser)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"codes\": {\"w01012\": \"Z\"}}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.errors[0].field").value("codes.w01012"));
        mvc.perform(post("/api/v1/compliance/outfalls/" + outfall + "/report/sign").param("month", "2026-10")
                .with(accounts.as(partyUser)).with(csrf())).andExpect(status().isUnprocessableContent());
        mvc.perform(post("/api/v1/compliance/outfalls/" + outfall + "/report/sign").param("month", LocalDate.now(Evaluator.CHINA).toString().substring(0, 7))
                .with(accounts.as(partyUser)).with(csrf())).andExpect(status().isUnprocessableContent());

        Map<String, String> codes = new LinkedHashMap<>();
        missing.forEach(f -> codes.put(f, "9"));
        mvc.perform(put(url).with(accounts.as(partyUser)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("codes", codes, "comments", "10月5日进水冲击，已整改"))))
                .andExpect(status().isOk());
        JsonNode draft = read(partyUser, url);
        assertThat(draft.get("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.get("missing")).isEmpty();
        var signedResponse = mvc.perform(post("/api/v1/compliance/outfalls/" + outfall + "/report/sign").param("month", "2026-10")
                .with(accounts.as(partyUser)).with(csrf())).andExpect(status().isOk()).andReturn();
        JsonNode signed = json.readTree(signedResponse.getResponse().getContentAsString());
        assertThat(signed.get("status").asString()).isEqualTo("SIGNED");
        assertThat(signed.get("signedBy").asString()).isEqualTo(partyUser.username());
        String hash = signed.get("contentSha256").asString();
        assertThat(hash).hasSize(64);
        // the stored hash is the SHA-256 of the stored canonical text, computed independently by PostgreSQL
        assertThat(jdbc.sql("SELECT encode(sha256(convert_to(content, 'UTF8')), 'hex') FROM monthly_report WHERE outfall_id = ?")
                .param(outfall).query(String.class).single()).isEqualTo(hash);
        assertThat(row(signed, "w21011").get("nodi").asString()).isEqualTo("9");
        assertThat(signed.get("content").get("comments").asString()).isEqualTo("10月5日进水冲击，已整改");

        // the printable copy: Chinese text in the PDF, the same bytes every time
        byte[] pdf = mvc.perform(get("/compliance/outfalls/" + outfall + "/report.pdf").param("month", "2026-10")
                .with(accounts.as(suzhou))).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", ""); // table cells wrap
            assertThat(text).contains("入河排污口月度达标报告", name, "2026-10-05:60(+20%)", "<=50mg/L", hash,
                    partyUser.username());
        }
        byte[] again = mvc.perform(get("/compliance/outfalls/" + outfall + "/report.pdf").param("month", "2026-10")
                .with(accounts.as(partyUser))).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        assertThat(again).isEqualTo(pdf);

        // immutable: no second signature, no edits, not even in SQL; late data does not change the signed copy
        mvc.perform(put(url).with(accounts.as(partyUser)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"codes\": {}}")).andExpect(status().isUnprocessableContent());
        mvc.perform(post("/api/v1/compliance/outfalls/" + outfall + "/report/sign").param("month", "2026-10")
                .with(accounts.as(partyUser)).with(csrf())).andExpect(status().isUnprocessableContent());
        assertThatThrownBy(() -> jdbc.sql("UPDATE monthly_report SET comments = 'changed' WHERE outfall_id = ?").param(outfall).update())
                .hasMessageContaining("signed and cannot be changed");
        List<Hj212Message> late = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            late.add(hour(mn, PW, LocalDate.of(2026, 10, 7).atTime(h, 0), 90.0, "N", 6.0, 10.0));
        }
        TestGateway.sendAll(context, late);
        assertThat(engine.drain(Duration.ofSeconds(30))).isTrue();
        JsonNode after = read(suzhou, url);
        assertThat(row(after, "w01018").get("daysWithData").asInt()).isEqualTo(2);
        assertThat(after.get("contentSha256").asString()).isEqualTo(hash);

        // the page, and 无锡 sees nothing
        String page = mvc.perform(get("/compliance/outfalls/" + outfall + "/report").param("month", "2026-10")
                .with(accounts.as(suzhou))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains(hash).contains("data-factor=\"w01018\"");
        for (String u : List.of(url, "/compliance/outfalls/" + outfall + "/report?month=2026-10",
                "/compliance/outfalls/" + outfall + "/report.pdf?month=2026-10")) {
            mvc.perform(get(u).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        }

        // the dashboard of 苏州 ranks the outfall (violations on the 5th and the 7th); 无锡's does not show it
        JsonNode dash = read(suzhou, "/api/v1/compliance/dashboard?top=200");
        JsonNode mine = null;
        for (JsonNode o : dash.get("outfalls")) {
            if (o.get("outfallId").asLong() == outfall) {
                mine = o;
            }
        }
        assertThat(mine).as("the outfall in 苏州's ranking").isNotNull();
        assertThat(mine.get("violations").asInt()).isEqualTo(2);
        assertThat(mine.get("name").asString()).isEqualTo(name);
        boolean octoberCounted = false;
        for (JsonNode m : dash.get("trend")) {
            octoberCounted |= m.get("month").asString().equals("2026-10") && m.get("violations").asInt() >= 2;
        }
        assertThat(octoberCounted).isTrue();
        assertThat(read(wuxi, "/api/v1/compliance/dashboard?top=200").toString()).doesNotContain(name);
        String dashPage = mvc.perform(get("/compliance/dashboard").with(accounts.as(suzhou))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(dashPage).contains("dashboard-ranking");
        String csv = mvc.perform(get("/compliance/dashboard.csv").with(accounts.as(wuxi))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFrank,").doesNotContain(name);
    }
}
