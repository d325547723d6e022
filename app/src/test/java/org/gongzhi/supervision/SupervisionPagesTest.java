package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bureau's forms on the campaign and dashboard pages (campaign, sampling, sample taken, tracing, plan, inspection
 * plan) and the party's 规范化建设 form with its review: each writes through the same services as the API, shows
 * its problems in the reader's language, and refuses 无锡 with 404.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SupervisionPagesTest {

    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;

    private MvcResult call(CurrentUser by, AbstractMockHttpServletRequestBuilder<?> b) throws Exception {
        return mvc.perform(b.with(accounts.as(by)).with(csrf())).andReturn();
    }

    private String page(CurrentUser by, String path) throws Exception {
        MockHttpServletResponse r = call(by, get(path)).getResponse();
        assertThat(r.getStatus()).as(path).isEqualTo(200);
        return r.getContentAsString(StandardCharsets.UTF_8);
    }

    /** Posts a form; returns the flash problems (empty when it was saved). */
    @SuppressWarnings("unchecked")
    private List<String> form(CurrentUser by, AbstractMockHttpServletRequestBuilder<?> b, String redirect) throws Exception {
        MvcResult r = call(by, b);
        assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(302);
        assertThat(r.getResponse().getRedirectedUrl()).startsWith(redirect);
        Object problems = r.getFlashMap().get("problems");
        return problems == null ? List.of() : (List<String>) problems;
    }

    @Test
    void theCampaignFormsRunSamplingTracingAndPlansAndThePartySubmitsItsStandardizationForReview() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "320500");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, bureau);
        Organization enterprise = accounts.party("320507");
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        MockHttpServletResponse created = call(regulator, post("/api/v1/outfalls").contentType(MediaType.APPLICATION_JSON).content("""
                {"outfall": {"name": "相城区页面%s号排口", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320507",
                 "longitude": 120.64, "latitude": 31.42}, "reason": "测试"}""".formatted(tag))).getResponse();
        long outfallId = json.readTree(created.getContentAsString()).get("id").asLong();

        // the campaign form: a problem in Chinese by default, in English on request
        assertThat(form(regulator, post("/supervision/campaigns").param("name", "x").param("level", "SELF_CHECK")
                .param("regionCode", "320200").param("startsOn", "2026-01-01").param("endsOn", "2026-12-31"), "/supervision"))
                .anySatisfy(p -> assertThat(p).contains("regionCode").contains("该行政区不在您的辖区内"));
        assertThat(form(regulator, post("/supervision/campaigns").param("lang", "en").param("name", "x").param("level", "SELF_CHECK")
                .param("regionCode", "320200").param("startsOn", "2026-01-01").param("endsOn", "2026-12-31"), "/supervision"))
                .anySatisfy(p -> assertThat(p).contains("outside your jurisdiction"));
        // a basin bureau takes part (流域局参与): it sees the campaign although the campaign names no basin
        Organization taihu = accounts.basinBureau(org.gongzhi.platform.Basin.TAIHU);
        CurrentUser basinUser = accounts.user(Role.REGULATOR, taihu);
        MvcResult made = call(regulator, post("/supervision/campaigns").param("name", "相城区排查" + tag).param("level", "SELF_CHECK")
                .param("regionCode", "320507").param("startsOn", "2026-01-01").param("endsOn", "2026-12-31")
                .param("participantIds", String.valueOf(taihu.id())));
        String campaignPath = made.getResponse().getRedirectedUrl();
        long campaignId = Long.parseLong(campaignPath.substring(campaignPath.lastIndexOf('/') + 1));
        call(regulator, post("/api/v1/campaigns/" + campaignId + "/outfalls").contentType(MediaType.APPLICATION_JSON)
                .content("{\"outfallId\": " + outfallId + "}"));
        assertThat(call(basinUser, get("/api/v1/campaigns/" + campaignId)).getResponse().getStatus()).isEqualTo(200);
        assertThat(form(inspector, post(campaignPath + "/points").param("ref", "FIELD-" + tag).param("longitude", "120.645")
                .param("latitude", "31.425").param("regionCode", "320507").param("note", "桥洞下暗管"), campaignPath)).isEmpty();
        assertThat(jdbc.sql("SELECT survey_level FROM campaign_point WHERE campaign_id = ? AND ref = ?").params(campaignId, "FIELD-" + tag)
                .query(Integer.class).single()).isEqualTo(3);
        String campaignPage = page(regulator, campaignPath);
        assertThat(campaignPage).contains("相城区排查" + tag).contains("id=\"sampling-new\"").contains("id=\"plan-new\"")
                .contains("相城区页面" + tag);

        // sampling, the sample taken, tracing, a plan — each through its form
        assertThat(form(inspector, post(campaignPath + "/sampling").param("outfallId", String.valueOf(outfallId))
                .param("dueOn", LocalDate.now().plusDays(7).toString()).param("factors", "w01018, w21003"), campaignPath)).isEmpty();
        long taskId = jdbc.sql("SELECT id FROM sampling_task WHERE campaign_id = ?").param(campaignId).query(Long.class).single();
        assertThat(jdbc.sql("SELECT array_to_string(factors, ',') FROM sampling_task WHERE id = ?").param(taskId)
                .query(String.class).single()).isEqualTo("w01018,w21003");
        String taken = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).minusHours(1).withSecond(0).withNano(0).toString();
        assertThat(form(inspector, post(campaignPath + "/sample").param("taskId", String.valueOf(taskId)).param("sampledAt", taken)
                .param("sampler", "赵强"), campaignPath)).isEmpty();
        assertThat(jdbc.sql("SELECT status FROM sampling_task WHERE id = ?").param(taskId).query(String.class).single()).isEqualTo("SAMPLED");
        assertThat(form(inspector, post(campaignPath + "/traces").param("outfallId", String.valueOf(outfallId))
                .param("partyId", String.valueOf(enterprise.id())).param("method", "管网排查").param("evidence", "厂区排水管接入排口"),
                campaignPath)).isEmpty();
        assertThat(form(regulator, post(campaignPath + "/plans").param("outfallId", String.valueOf(outfallId)).param("action", "MERGE")
                .param("deadline", LocalDate.now().plusDays(60).toString()).param("accountableId", String.valueOf(enterprise.id())),
                campaignPath)).anySatisfy(p -> assertThat(p).contains("mergeIntoOutfall"))
                .anySatisfy(p -> assertThat(p).contains("measures"));
        assertThat(form(regulator, post(campaignPath + "/plans").param("outfallId", String.valueOf(outfallId)).param("action", "MERGE")
                .param("mergeIntoSewer", "on").param("measures", "接入市政污水管网").param("deadline", LocalDate.now().plusDays(60).toString())
                .param("accountableId", String.valueOf(enterprise.id())), campaignPath)).isEmpty();
        assertThat(page(regulator, "/supervision/outfalls/" + outfallId)).contains("管网排查").contains("MERGE");
        String lifecycle = json.readTree(call(regulator, get("/api/v1/outfalls/" + outfallId)).getResponse().getContentAsString())
                .get("lifecycle").asString();
        assertThat(lifecycle).isEqualTo("REMEDIATION_PLANNED");

        // 无锡 cannot use the campaign's forms
        for (String path : List.of(campaignPath + "/sampling", campaignPath + "/traces", campaignPath + "/plans", campaignPath + "/sample")) {
            MockHttpServletResponse r = call(wuxi, post(path).param("outfallId", String.valueOf(outfallId))
                    .param("taskId", String.valueOf(taskId)).param("partyId", "1").param("method", "x").param("evidence", "x")
                    .param("action", "BAN").param("measures", "x").param("deadline", LocalDate.now().plusDays(3).toString())
                    .param("accountableId", "1").param("dueOn", LocalDate.now().toString()).param("sampledAt", taken).param("sampler", "x"))
                    .getResponse();
            assertThat(r.getStatus() == 404 || (r.getStatus() == 302 && r.getRedirectedUrl().startsWith(campaignPath))).as(path).isTrue();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM trace_record WHERE outfall_id = ?").param(outfallId).query(Long.class).single()).isEqualTo(1);
        assertThat(call(wuxi, get(campaignPath)).getResponse().getStatus()).isEqualTo(404);

        // the quarter's inspection plan from the dashboard
        assertThat(form(regulator, post("/supervision/inspection-plans").param("name", "抽查" + tag).param("regionCode", "320507")
                .param("quarter", "2026Q4").param("share.INDUSTRIAL", "100").param("findingWeight", "1")
                .param("inspector", inspector.username()), "/supervision")).allSatisfy(p -> assertThat(p).contains("2026Q4"));
        assertThat(jdbc.sql("SELECT count(*) FROM inspection i JOIN inspection_plan p ON p.id = i.plan_id WHERE p.name = ? AND i.outfall_id = ?")
                .params("抽查" + tag, outfallId).query(Long.class).single()).isEqualTo(1);

        // the party's 规范化建设: evidence and note in one form, then the regulator's review on the patrol-status page
        assertThat(page(party, "/supervision/duties")).contains("相城区页面" + tag).contains("id=\"std-" + outfallId + "\"");
        assertThat(form(party, multipart("/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD").param("note", ""),
                "/supervision/duties")).anySatisfy(p -> assertThat(p).contains("file"));
        assertThat(form(party, multipart("/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD")
                .file(new MockMultipartFile("file", "标识牌.png", "image/png", PNG)).param("note", "立式标识牌已安装"),
                "/supervision/duties")).isEmpty();
        assertThat(form(regulator, post("/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/review")
                .param("accept", "false"), "/supervision/duties")).anySatisfy(p -> assertThat(p).contains("reviewNote"));
        assertThat(form(regulator, post("/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/review")
                .param("accept", "true"), "/supervision/duties")).isEmpty();
        assertThat(page(party, "/supervision/outfalls/" + outfallId)).contains("标识牌 · 审核通过");
        assertThat(call(wuxi, post("/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/review").param("accept", "false")
                .param("note", "x")).getResponse().getStatus()).isEqualTo(404);

        // every page renders for the roles that use it
        assertThat(page(regulator, "/supervision")).contains("相城区排查" + tag).contains("id=\"region-progress\"")
                .contains("<td>相城区</td>").contains("id=\"inspection-stats\"");
        String overall = call(regulator, get("/api/v1/supervision/progress")).getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(json.readTree(overall).get("campaigns").get("total").get("plans").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(json.readTree(overall).get("inspections").get("scheduled").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(call(wuxi, get("/api/v1/supervision/progress")).getResponse().getContentAsString(StandardCharsets.UTF_8))
                .doesNotContain("相城区");
        assertThat(page(inspector, "/supervision/tasks")).contains("id=\"task-list\"");
        assertThat(page(party, "/supervision/duties")).contains("合并 · 相城区页面" + tag);
        assertThat(call(party, get("/supervision")).getResponse().getRedirectedUrl()).isEqualTo("/supervision/duties");
        // and speaks English on request
        assertThat(page(regulator, campaignPath + "?lang=en")).contains(">Progress</h2>").doesNotContain("排查点位</h2>")
                .contains("Survey points").contains("Export progress (XLSX)");
        assertThat(page(party, "/supervision/duties?lang=en")).contains("My duties").contains("Duties calendar");
    }
}
