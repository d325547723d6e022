package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local standards (地方标准) as packs added by an admin from a CSV file: a new version per import, all or nothing with
 * each problem's row, column and reason; a regional admin for their own province only (《水污染防治法》第十四条);
 * a local pack assigned only within its province; versions never edited.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LocalPacksIntegrationTest {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired StandardPacks packs;
    @Autowired AuditLog audit;

    CurrentUser suzhouAdmin;
    CurrentUser suzhouRegulator;
    CurrentUser nationalAdmin;

    @BeforeEach
    void setUp() {
        Organization suzhou = accounts.regulator(Organization.Level.CITY, "320500");
        suzhouAdmin = accounts.user(Role.ADMIN, suzhou);
        suzhouRegulator = accounts.user(Role.REGULATOR, suzhou);
        nationalAdmin = accounts.existing("admin");
    }

    static final String GOOD = """
            等级/grade,因子/factor,统计方式/statistic,比较/comparison,限值/value,下限/low,上限/high,单位/unit,条件/condition,行业/scope,条款/clause,备注/note
            A,w01018,DAILY_MEAN,LE,40,,,mg/L,,,表1,
            A,w01001,DAILY_MEAN,RANGE,,6,9,无量纲,,,表1,
            B,w01018,DAILY_MEAN,LE,50,,,mg/L,,,表1,
            A,w21003,DAILY_MEAN,LE,3,,,mg/L,WATER_TEMP_GT_12,,表1,②
            A,w21003,DAILY_MEAN,LE,5,,,mg/L,WATER_TEMP_LE_12,,表1,②
            """;

    MockMultipartHttpServletRequestBuilder upload(String code, String province, String csv) {
        MockMultipartHttpServletRequestBuilder b = multipart("/api/v1/standard-packs")
                .file(new MockMultipartFile("file", "太湖地方标准.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)));
        b.param("code", code).param("nameZh", "太湖地区城镇污水处理厂主要水污染物排放限值").param("nameEn", "Taihu area WWTP limits")
                .param("kind", "DISCHARGE").param("grades", "A,B").param("designation", "DB32/1072-2018")
                .param("validFrom", "2021-01-01");
        if (province != null) {
            b.param("province", province);
        }
        return b;
    }

    @Test
    void aRegionalAdminAddsALocalStandardOfTheirProvinceAsNewVersions_allOrNothing() throws Exception {
        String code = "DB32-T" + System.nanoTime() % 100_000 + SEQ.incrementAndGet();
        // a regulator may not; a Suzhou admin may not add Zhejiang's
        mvc.perform(upload(code, null, GOOD).with(accounts.as(suzhouRegulator)).with(csrf())).andExpect(status().isForbidden());
        String zhejiang = mvc.perform(upload(code, "330000", GOOD).with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(zhejiang).contains("\"field\":\"province\"").contains("320000").contains("Water Pollution Prevention Law art. 14");

        // the Suzhou admin adds Jiangsu's (the province is theirs by default): version 1, limits marked LOCAL
        JsonNode v1 = json.readTree(mvc.perform(upload(code, null, GOOD).with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("province").asString()).isEqualTo("320000");
        assertThat(v1.get("designation").asString()).isEqualTo("DB32/1072-2018");
        assertThat(packs.limits(code, 1, null)).hasSize(5).allSatisfy(l -> assertThat(l.source()).isEqualTo(Limit.Source.LOCAL));
        assertThat(packs.limits(code, 1, "A")).filteredOn(l -> l.factor().equals("w01001"))
                .singleElement().satisfies(l -> assertThat(l.describe()).isEqualTo("6–9 无量纲 DAILY_MEAN"));
        assertThat(audit.forEntity("standard_pack", code + "@1")).extracting(AuditLog.Entry::action).containsExactly("ADD_PACK_VERSION");

        // a file with problems: nothing is written, every problem names its row (header = 1), column and reason
        String bad = """
                grade,factor,statistic,comparison,value,low,high,unit,clause
                A,w01018,DAILY_MEAN,LE,40,,,L/s,表1
                A,w99999,DAILY_MEAN,LE,40,,,mg/L,表1
                C,w21011,DAILY_MEAN,LE,0.5,,,mg/L,表1
                A,w21011,DAILY_MEAN,LE,abc,,,mg/L,
                A,w21001,DAILY_MEAN,RANGE,,9,6,mg/L,表1
                """;
        JsonNode problems = json.readTree(mvc.perform(upload(code, null, bad).with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8))
                .get("errors");
        assertThat(problems).extracting(p -> p.get("row").asInt() + " " + p.get("field").asString())
                .contains("2 unit", "3 factor", "4 grade", "5 value", "5 clause", "6 low");
        JsonNode unit = problems.get(0);
        assertThat(unit.get("reason_zh").asString()).isEqualTo("单位“L/s”不适用于化学需氧量（w01018），其单位为 mg/L");
        assertThat(unit.get("reason_en").asString()).contains("does not fit");
        assertThat(packs.latest(code).orElseThrow().version()).as("all or nothing").isEqualTo(1);

        // a correction is a new version; version 1 stays as it was
        JsonNode v2 = json.readTree(mvc.perform(upload(code, null, GOOD.replace("A,w01018,DAILY_MEAN,LE,40", "A,w01018,DAILY_MEAN,LE,30"))
                        .with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(packs.limits(code, 1, "A")).filteredOn(l -> l.factor().equals("w01018")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualByComparingTo("40"));
        assertThat(packs.limits(code, 2, "A")).filteredOn(l -> l.factor().equals("w01018")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualByComparingTo("30"));
        // a national standard's code cannot be taken over
        mvc.perform(upload("GB18918-2002", null, GOOD).with(accounts.as(suzhouAdmin)).with(csrf()))
                .andExpect(status().isUnprocessableContent());
    }

    @Test
    void aLocalPackIsAssignedWithinItsProvinceOnly_andTheNationalAdminChoosesTheProvince() throws Exception {
        String code = "DB33-T" + System.nanoTime() % 100_000 + SEQ.incrementAndGet();
        mvc.perform(upload(code, null, GOOD).with(accounts.as(nationalAdmin)).with(csrf()))
                .andExpect(status().isUnprocessableContent()); // a national admin must name the province
        mvc.perform(upload(code, "330000", GOOD).with(accounts.as(nationalAdmin)).with(csrf())).andExpect(status().isCreated());
        // an outfall in Suzhou (Jiangsu) cannot be held to Zhejiang's standard
        Organization party = accounts.party("320506");
        CurrentUser city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        long outfall = json.readTree(mvc.perform(post("/api/v1/outfalls").with(accounts.as(city)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "地方标准测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(SEQ.incrementAndGet(), party.id())))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString()).get("id").asLong();
        String refused = mvc.perform(put("/api/v1/outfalls/" + outfall + "/limit-assignment").with(accounts.as(city)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"packCode": "%s", "grade": "A", "reason": "试用"}""".formatted(code)))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(refused).contains("\"field\":\"packCode\"").contains("330000");
    }

    @Test
    void theAdminPageAddsAVersionFromAFileAndShowsProblemsByRow() throws Exception {
        String code = "DB32-P" + System.nanoTime() % 100_000 + SEQ.incrementAndGet();
        String list = mvc.perform(get("/compliance/packs").with(accounts.as(suzhouAdmin))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(list).contains("GB18918-2002").contains("id=\"pack-form\"").contains("320000");
        assertThat(mvc.perform(get("/compliance/packs").with(accounts.as(suzhouRegulator))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8)).doesNotContain("id=\"pack-form\"");
        mvc.perform(post("/compliance/packs").with(accounts.as(suzhouRegulator)).with(csrf())).andExpect(status().isForbidden());

        MockMultipartHttpServletRequestBuilder bad = multipart("/compliance/packs");
        bad.file(new MockMultipartFile("file", "bad.csv", "text/csv",
                "grade,factor,statistic,comparison,value,unit,clause\nA,w01018,DAILY_MEAN,LE,40,L/s,表1\n".getBytes(StandardCharsets.UTF_8)));
        bad.param("code", code).param("nameZh", "测试").param("nameEn", "Test").param("grades", "A")
                .param("designation", "DB32/0000-2026").param("validFrom", "2026-01-01");
        String page = mvc.perform(bad.with(accounts.as(suzhouAdmin)).with(csrf())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("id=\"pack-problems\"").contains("单位“L/s”不适用于化学需氧量（w01018）").contains("<td>2</td>");
        assertThat(packs.latest(code)).isEmpty();

        MockMultipartHttpServletRequestBuilder good = multipart("/compliance/packs");
        good.file(new MockMultipartFile("file", "good.csv", "text/csv", GOOD.getBytes(StandardCharsets.UTF_8)));
        good.param("code", code).param("nameZh", "测试").param("nameEn", "Test").param("grades", "A,B")
                .param("designation", "DB32/0000-2026").param("validFrom", "2026-01-01");
        String location = mvc.perform(good.with(accounts.as(suzhouAdmin)).with(csrf())).andExpect(status().is3xxRedirection())
                .andReturn().getResponse().getRedirectedUrl();
        assertThat(location).isEqualTo("/compliance/packs/" + code + "?version=1&added=true");
        assertThat(mvc.perform(get(location).with(accounts.as(suzhouRegulator))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("DB32/0000-2026").contains("≤ 40 mg/L");
        assertThat(mvc.perform(get("/compliance/packs/template.csv").with(accounts.as(suzhouRegulator))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("单位/unit");
    }
}
