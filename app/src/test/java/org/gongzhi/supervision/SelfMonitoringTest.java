package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Self-monitoring uploads where no online monitor exists (issue 7, party duties), through the monitoring results
 * import: a party uploads results of its own outfalls only — a row of another party's outfall is a row error naming
 * its code, a source other than SELF too — and, accepted, they are stored as source SELF, audited, and shown on the
 * party's duties page as its self-monitoring record; they are not the regulator's LAB/MANUAL results.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SelfMonitoringTest {

    static final String HEADER = "排污口编码 nationalCode,采样时间 sampledAt,监测因子 factor,监测值 value,单位 unit,"
            + "数据来源 source,采样人 sampler,检测机构 lab,报告编号 reportNo\n";
    /** 合肥市蜀山区: a county no other test uses. */
    static final String COUNTY = "340104";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;

    private MockHttpServletResponse upload(CurrentUser by, String csv) throws Exception {
        return mvc.perform(multipart("/api/v1/measurements/imports")
                .file(new MockMultipartFile("file", "自行监测.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)))
                .with(accounts.as(by)).with(csrf())).andReturn().getResponse();
    }

    private JsonNode outfall(CurrentUser by, String name, long partyId) throws Exception {
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(by)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "%s", "typeCode": "OTH_URBAN_STORM", "lifecycle": "UNDER_SUPERVISION", "regionCode": "%s",
                         "longitude": 117.2, "latitude": 31.85, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                        .formatted(name, COUNTY, partyId))).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        return json.readTree(r.getContentAsString());
    }

    private static JsonNode problem(JsonNode report, int row) {
        for (JsonNode p : report.get("problems")) {
            if (p.get("row").asInt() == row) {
                return p;
            }
        }
        throw new AssertionError("no problem for row " + row + ": " + report);
    }

    @Test
    void aPartyUploadsItsOwnOutfallsSelfMonitoringOnly() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        CurrentUser regulator = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "340100"));
        Organization enterprise = accounts.party(COUNTY);
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        Organization neighbour = accounts.party(COUNTY);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, accounts.regulator(Organization.Level.CITY, "340100"));
        String own = outfall(regulator, "蜀山区" + tag + "雨水排口", enterprise.id()).get("nationalCode").asString();
        long ownId = jdbc.sql("SELECT id FROM outfall WHERE national_code = ?").param(own).query(Long.class).single();
        String theirs = outfall(regulator, "蜀山区" + tag + "邻厂排口", neighbour.id()).get("nationalCode").asString();
        String at = LocalDateTime.now().minusDays(2).withSecond(0).withNano(0).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));

        // The page says what a party may upload; an inspector may not upload at all
        MockHttpServletResponse form = mvc.perform(get("/monitoring/import").with(accounts.as(party))).andReturn().getResponse();
        assertThat(form.getStatus()).isEqualTo(200);
        assertThat(form.getContentAsString()).contains("只能上传本单位负责的排污口");
        assertThat(upload(inspector, HEADER).getStatus()).isEqualTo(403);
        assertThat(mvc.perform(get("/monitoring/import/template.csv").with(accounts.as(party))).andReturn().getResponse()
                .getContentAsString()).contains(",SELF,");

        // 1. A file with the neighbour's outfall and a LAB row: row errors, nothing written
        String bad = HEADER
                + own + "," + at + ",化学需氧量,18.2,mg/L,SELF,王化验,本厂化验室,ZX-" + tag + "\n"
                + theirs + "," + at + ",化学需氧量,25,mg/L,SELF,王化验,本厂化验室,ZX-" + tag + "\n"
                + own + "," + at + ",氨氮,0.8,mg/L,LAB,王化验,本厂化验室,ZX-" + tag + "\n";
        MockHttpServletResponse r = upload(party, bad);
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        JsonNode report = json.readTree(r.getContentAsString());
        assertThat(report.get("counts").get("invalid").asInt()).isEqualTo(2);
        JsonNode foreign = problem(report, 3);
        assertThat(foreign.get("value").asString()).isEqualTo(theirs);
        assertThat(foreign.get("reason_zh").asString()).contains("排污口 " + theirs + " 不是贵单位负责的排污口");
        assertThat(foreign.get("reason_en").asString()).contains("outfall " + theirs + " is not one your organization is responsible for");
        assertThat(problem(report, 4).get("reason_en").asString()).contains("the source must be SELF");

        // 2. The fixed file: accepted, stored as SELF, audited under the party's user
        String good = HEADER
                + own + "," + at + ",化学需氧量,18.2,mg/L,SELF,王化验,本厂化验室,ZX-" + tag + "\n"
                + own + "," + at + ",氨氮,ND,mg/L,自行监测,王化验,本厂化验室,ZX-" + tag + "\n";
        JsonNode checked = json.readTree(upload(party, good).getContentAsString());
        assertThat(checked.get("problems")).isEmpty();
        long batch = checked.get("id").asLong();
        assertThat(mvc.perform(post("/api/v1/measurements/imports/" + batch + "/accept").with(accounts.as(regulator)).with(csrf()))
                .andReturn().getResponse().getStatus()).as("a batch is its uploader's").isEqualTo(404);
        MockHttpServletResponse accepted = mvc.perform(post("/api/v1/measurements/imports/" + batch + "/accept")
                .with(accounts.as(party)).with(csrf())).andReturn().getResponse();
        assertThat(accepted.getStatus()).as(accepted.getContentAsString()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT source FROM measurement WHERE outfall_id = ? ORDER BY factor").param(ownId).query(String.class).list())
                .containsExactly("SELF", "SELF");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'measurement_import' AND entity_id = ? AND actor = ?")
                .params(String.valueOf(batch), party.username()).query(Long.class).single()).isEqualTo(1);

        // The outfall's chart can show the party's own results on their own
        String series = mvc.perform(get("/api/v1/outfalls/" + ownId + "/measurements").param("factor", "w01018")
                .param("source", "SELF").param("from", java.time.Instant.now().minus(java.time.Duration.ofDays(3)).toString())
                .with(accounts.as(party))).andReturn().getResponse().getContentAsString();
        assertThat(series).contains("\"source\":\"SELF\"").contains("18.2");

        // 3. The party's duties page shows the self-monitoring record; the neighbour's does not
        String duties = mvc.perform(get("/supervision/duties").with(accounts.as(party))).andReturn().getResponse().getContentAsString();
        assertThat(duties).contains("id=\"self-monitoring\"").contains("18.2").contains("ZX-" + tag).contains("蜀山区" + tag + "雨水排口");
        String neighbours = mvc.perform(get("/supervision/duties").with(accounts.as(accounts.user(Role.PARTY, neighbour))))
                .andReturn().getResponse().getContentAsString();
        assertThat(neighbours).doesNotContain("ZX-" + tag).contains("id=\"self-monitoring-none\"");
    }
}
