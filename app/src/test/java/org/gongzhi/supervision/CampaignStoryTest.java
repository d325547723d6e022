package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
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
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The "done when", first half: a prefecture runs a campaign from imported UAV points through field
 * verification, sampling, tracing and remediation plans to verified completion, with the ledger updated at each step;
 * the progress table counts it; and 无锡 gets 404 for every one of 苏州's records.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CampaignStoryTest {

    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired Organizations organizations;
    @Autowired Reminders reminders;
    @Autowired TransactionTemplate tx;

    private MockHttpServletResponse call(CurrentUser by, org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder<?> b)
            throws Exception {
        return mvc.perform(b.with(accounts.as(by)).with(csrf())).andReturn().getResponse();
    }

    private JsonNode postJson(CurrentUser by, String path, String body, int expected) throws Exception {
        MockHttpServletResponse r = call(by, post(path).contentType(MediaType.APPLICATION_JSON).content(body));
        assertThat(r.getStatus()).as(path + " → " + r.getContentAsString()).isEqualTo(expected);
        return r.getContentAsString().isEmpty() ? null : json.readTree(r.getContentAsString());
    }

    private JsonNode getJson(CurrentUser by, String path) throws Exception {
        MockHttpServletResponse r = call(by, get(path));
        assertThat(r.getStatus()).as(path + " → " + r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    private JsonNode upload(CurrentUser by, String path, String filename, byte[] content, int expected) throws Exception {
        MockHttpServletResponse r = call(by, multipart(path).file(new MockMultipartFile("file", filename, "application/octet-stream", content)));
        assertThat(r.getStatus()).as(path + " → " + r.getContentAsString()).isEqualTo(expected);
        return json.readTree(r.getContentAsString());
    }

    private JsonNode outfall(CurrentUser by, long id) throws Exception {
        return getJson(by, "/api/v1/outfalls/" + id);
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("row").asInt() + ":" + e.get("field").asString()));
        return out;
    }

    @Test
    void aCampaignRunsFromUavPointsToVerifiedRemediationWithTheLedgerFollowingEachStep() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "320500");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser chief = accounts.user(Role.REGULATOR, bureau);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, bureau);
        Organization enterprise = accounts.party("320506");
        CurrentUser partyUser = accounts.user(Role.PARTY, enterprise);
        Organization township = tx.execute(s -> organizations.create(new Organization(0, Organization.Kind.PARTY,
                "苏州市吴中区临湖镇人民政府" + tag, null, "320506", null, Organization.PartyType.GOVERNMENT_BACKSTOP, null, null),
                CurrentUser.system()));
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));

        // An outfall already in the ledger, 20 m from one of the UAV points.
        JsonNode known = postJson(regulator, "/api/v1/outfalls", """
                {"outfall": {"name": "吴中区临湖已登记%s号排口", "typeCode": "OTH_RURAL_SCATTERED", "lifecycle": "VERIFIED",
                 "regionCode": "320506", "longitude": 120.400000, "latitude": 31.100000}, "reason": "既有台账"}""".formatted(tag), 201);
        long knownId = known.get("id").asLong();

        // 1. The campaign
        JsonNode campaign = postJson(regulator, "/api/v1/campaigns", """
                {"name": "2026年吴中区入河排污口排查整治%s", "level": "SELF_CHECK", "regionCode": "320506",
                 "startsOn": "2026-01-01", "endsOn": "2026-12-31", "duplicateRadiusM": 50}""".formatted(tag), 201);
        long campaignId = campaign.get("id").asLong();
        JsonNode bad = postJson(regulator, "/api/v1/campaigns", """
                {"name": "", "regionCode": "320200", "startsOn": "2026-05-01", "endsOn": "2026-01-01"}""", 422);
        assertThat(fields(bad)).contains("0:name", "0:level", "0:regionCode", "0:endsOn");
        assertThat(bad.toString()).contains("该行政区不在您的辖区内").contains("outside your jurisdiction");

        // 2. Level-1 points from the UAV interpretation: a bad file is reported row by row and nothing is written
        String header = "点位编号 ref,经度 longitude,纬度 latitude,行政区划代码 regionCode,来源 source,疑似类型 typeHint,备注 note\n";
        String rows = "UAV-%s-1,120.410000,31.110000,320506,UAV,农村生活污水散排口,桥下暗管\n".formatted(tag)
                + "UAV-%s-2,120.400200,31.100050,320506,无人机,,已登记排口附近\n".formatted(tag)
                + "UAV-%s-3,120.420000,31.120000,320506,UAV,,疑似\n".formatted(tag);
        String badRows = rows + "UAV-%s-4,31.13,120.43,320506,UAV,,经纬度填反\n".formatted(tag)
                + "UAV-%s-5,120.44,31.14,320205,UAV,,无锡的点\n".formatted(tag);
        JsonNode report = upload(inspector, "/api/v1/campaigns/" + campaignId + "/points/import", "uav.csv",
                (header + badRows).getBytes(StandardCharsets.UTF_8), 200);
        assertThat(report.get("written").asBoolean()).isFalse();
        assertThat(report.get("rows").asInt()).isEqualTo(5);
        assertThat(report.toString()).contains("\"row\":5").contains("longitude").contains("经度超出中国范围")
                .contains("\"row\":6").contains("不在本次排查区域内").contains("outside the campaign's area");
        assertThat(getJson(regulator, "/api/v1/campaigns/" + campaignId + "/points").size()).isZero();

        report = upload(inspector, "/api/v1/campaigns/" + campaignId + "/points/import", "uav.csv",
                (header + rows).getBytes(StandardCharsets.UTF_8), 200);
        assertThat(report.get("written").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("created").asInt()).isEqualTo(3);
        assertThat(report.get("possibleDuplicates").asInt()).isEqualTo(1);
        // GeoJSON works too, and a re-import of known references is harmless
        String geojson = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.41, 31.11]},
                   "properties": {"ref": "UAV-%s-1", "regionCode": "320506"}},
                  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.43, 31.13]},
                   "properties": {"ref": "SAT-%s-1", "regionCode": "320506", "source": "SATELLITE"}}]}""".formatted(tag, tag);
        report = upload(inspector, "/api/v1/campaigns/" + campaignId + "/points/import", "points.geojson",
                geojson.getBytes(StandardCharsets.UTF_8), 200);
        assertThat(report.get("format").asString()).isEqualTo("GEOJSON");
        assertThat(report.get("created").asInt()).isEqualTo(1);
        assertThat(report.get("unchanged").asInt()).isEqualTo(1);

        JsonNode points = getJson(inspector, "/api/v1/campaigns/" + campaignId + "/points");
        assertThat(points.size()).isEqualTo(4);
        long p1 = 0, p2 = 0, p3 = 0;
        for (JsonNode p : points) {
            String ref = p.get("ref").asString();
            if (ref.endsWith("-1") && ref.startsWith("UAV")) {
                p1 = p.get("id").asLong();
            } else if (ref.endsWith("-2")) {
                p2 = p.get("id").asLong();
                assertThat(p.get("nearestOutfallId").asLong()).as("flagged as a possible duplicate").isEqualTo(knownId);
                assertThat(p.get("nearestDistanceM").asDouble()).isBetween(15.0, 30.0);
            } else if (ref.endsWith("-3")) {
                p3 = p.get("id").asLong();
            }
        }

        // 3. Level-2 field verification by the inspector, with a photo: confirm, merge, reject
        upload(inspector, "/api/v1/campaign-points/" + p1 + "/photos", "现场.png", PNG, 201);
        JsonNode v1 = postJson(inspector, "/api/v1/campaign-points/" + p1 + "/verification", """
                {"decision": "CONFIRM", "name": "吴中区临湖%s村1#农村生活污水散排口", "longitude": 120.410050, "latitude": 31.110020}"""
                .formatted(tag), 200);
        assertThat(v1.get("status").asString()).isEqualTo("CONFIRMED");
        long newId = v1.get("outfallId").asLong();
        JsonNode created = outfall(regulator, newId);
        assertThat(created.get("lifecycle").asString()).isEqualTo("VERIFIED");
        assertThat(created.get("typeCode").asString()).as("the UAV's type hint").isEqualTo("OTH_RURAL_SCATTERED");
        assertThat(created.get("updatedBy").asString()).as("written in the inspector's name").isEqualTo(inspector.username());

        JsonNode v2 = postJson(inspector, "/api/v1/campaign-points/" + p2 + "/verification", "{\"decision\": \"MERGE\"}", 200);
        assertThat(v2.get("status").asString()).isEqualTo("MERGED");
        assertThat(v2.get("outfallId").asLong()).isEqualTo(knownId);

        JsonNode noNote = postJson(inspector, "/api/v1/campaign-points/" + p3 + "/verification", "{\"decision\": \"REJECT\"}", 422);
        assertThat(fields(noNote)).containsExactly("0:note");
        postJson(inspector, "/api/v1/campaign-points/" + p3 + "/verification",
                "{\"decision\": \"REJECT\", \"note\": \"农田灌溉退水沟，非排污口\"}", 200);
        postJson(inspector, "/api/v1/campaign-points/" + p3 + "/verification",
                "{\"decision\": \"REJECT\", \"note\": \"again\"}", 422);

        // Level 3: a point the UAV missed, found on foot
        JsonNode gap = postJson(inspector, "/api/v1/campaigns/" + campaignId + "/points", """
                {"ref": "FIELD-%s-1", "longitude": 120.45, "latitude": 31.15, "regionCode": "320506", "note": "树荫下暗管"}"""
                .formatted(tag), 201);
        assertThat(gap.get("surveyLevel").asInt()).isEqualTo(3);

        // 4. Sampling; the lab's results come through the monitoring results import and attach to the task
        JsonNode task = postJson(inspector, "/api/v1/campaigns/" + campaignId + "/sampling-tasks",
                "{\"outfallId\": %d, \"dueOn\": \"%s\", \"factors\": [\"w01018\"]}".formatted(newId, LocalDate.now().plusDays(7)), 201);
        long taskId = task.get("id").asLong();
        ZonedDateTime sampled = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).minusHours(3).withSecond(0).withNano(0);
        task = postJson(inspector, "/api/v1/sampling-tasks/" + taskId + "/sample",
                "{\"sampledAt\": \"%s\", \"sampler\": \"赵强\"}".formatted(sampled.toInstant()), 200);
        assertThat(task.get("status").asString()).isEqualTo("SAMPLED");
        assertThat(outfall(regulator, newId).get("lifecycle").asString()).isEqualTo("VERIFIED");

        String code = created.get("nationalCode").asString();
        String lab = "排污口编码 nationalCode,采样时间 sampledAt,监测因子 factor,监测值 value,单位 unit,数据来源 source,检测机构 lab\n"
                + code + "," + sampled.toLocalDateTime().plusMinutes(10).toString().replace('T', ' ') + ",化学需氧量,86,mg/L,LAB,苏州市环境监测中心站\n";
        JsonNode labReport = upload(regulator, "/api/v1/measurements/imports", "lab.csv", lab.getBytes(StandardCharsets.UTF_8), 201);
        postJson(regulator, "/api/v1/measurements/imports/" + labReport.get("id").asLong() + "/accept", "{}", 200);
        task = getJson(inspector, "/api/v1/campaigns/" + campaignId + "/sampling-tasks").get(0);
        assertThat(task.get("status").asString()).isEqualTo("RESULTS_IN");
        assertThat(task.get("resultCount").asInt()).isEqualTo(1);
        assertThat(outfall(regulator, newId).get("lifecycle").asString()).isEqualTo("MONITORED");

        // 5. Tracing: the polluter for the new outfall; the township government as backstop for the known one
        JsonNode noEvidence = postJson(regulator, "/api/v1/campaigns/" + campaignId + "/traces",
                "{\"outfallId\": %d, \"partyId\": %d, \"backstop\": true, \"method\": \"\"}".formatted(newId, enterprise.id()), 422);
        assertThat(fields(noEvidence)).contains("0:partyId", "0:method", "0:evidence");
        postJson(regulator, "/api/v1/campaigns/" + campaignId + "/traces", """
                {"outfallId": %d, "partyId": %d, "method": "管网排查+示踪剂", "evidence": "示踪剂于厂区雨水井投放后30分钟在排口检出"}"""
                .formatted(newId, enterprise.id()), 201);
        JsonNode traced = outfall(regulator, newId);
        assertThat(traced.get("lifecycle").asString()).isEqualTo("TRACED");
        assertThat(traced.get("parties").get(0).get("organizationId").asLong()).isEqualTo(enterprise.id());
        postJson(regulator, "/api/v1/campaigns/" + campaignId + "/traces", """
                {"outfallId": %d, "partyId": %d, "backstop": true, "method": "走访", "evidence": "无法确定排污单位，由属地政府兜底"}"""
                .formatted(knownId, township.id()), 201);
        assertThat(outfall(regulator, knownId).get("parties").get(0).get("name").asString()).startsWith("苏州市吴中区临湖镇人民政府");

        // 6. Remediation plans (一口一策): regularize the new one, merge the known one into the sewer
        JsonNode badPlan = postJson(regulator, "/api/v1/remediation-plans", """
                {"outfallId": %d, "action": "MERGE", "measures": "", "deadline": "2020-01-01"}""".formatted(knownId), 422);
        assertThat(fields(badPlan)).contains("0:mergeIntoOutfall", "0:measures", "0:deadline", "0:accountableId");
        LocalDate deadline = LocalDate.now().plusDays(30);
        JsonNode plan1 = postJson(regulator, "/api/v1/remediation-plans", """
                {"campaignId": %d, "outfallId": %d, "action": "REGULARIZE", "measures": "设置标识牌和采样点，雨污分流改造",
                 "deadline": "%s", "accountableId": %d}""".formatted(campaignId, newId, deadline, enterprise.id()), 201);
        JsonNode plan2 = postJson(regulator, "/api/v1/remediation-plans", """
                {"campaignId": %d, "outfallId": %d, "action": "MERGE", "mergeIntoSewer": true, "measures": "接入市政污水管网，封堵排口",
                 "deadline": "%s", "accountableId": %d}""".formatted(campaignId, knownId, deadline, township.id()), 201);
        assertThat(outfall(regulator, newId).get("lifecycle").asString()).isEqualTo("REMEDIATION_PLANNED");
        assertThat(outfall(regulator, knownId).get("lifecycle").asString()).isEqualTo("REMEDIATION_PLANNED");
        JsonNode second = postJson(regulator, "/api/v1/remediation-plans", """
                {"outfallId": %d, "action": "BAN", "measures": "x", "deadline": "%s", "accountableId": %d}"""
                .formatted(newId, deadline, enterprise.id()), 422);
        assertThat(second.toString()).contains("one plan per outfall");

        // 7. Completion with evidence, verified by someone other than the reporter, before it counts
        long plan1Id = plan1.get("id").asLong();
        JsonNode noFile = postJson(partyUser, "/api/v1/remediation-plans/" + plan1Id + "/completion", "{\"note\": \"已完成\"}", 422);
        assertThat(fields(noFile)).containsExactly("0:file");
        upload(partyUser, "/api/v1/remediation-plans/" + plan1Id + "/files", "标识牌.png", PNG, 201);
        postJson(partyUser, "/api/v1/remediation-plans/" + plan1Id + "/completion", "{\"note\": \"标识牌、采样点已设置\"}", 200);
        assertThat(outfall(regulator, newId).get("lifecycle").asString()).as("not yet: reported only").isEqualTo("REMEDIATION_PLANNED");
        JsonNode verified = postJson(regulator, "/api/v1/remediation-plans/" + plan1Id + "/verification", "{\"accept\": true}", 200);
        assertThat(verified.get("status").asString()).isEqualTo("VERIFIED");
        assertThat(outfall(regulator, newId).get("lifecycle").asString()).isEqualTo("REMEDIATED");

        long plan2Id = plan2.get("id").asLong();
        upload(regulator, "/api/v1/remediation-plans/" + plan2Id + "/files", "封堵.png", PNG, 201);
        postJson(regulator, "/api/v1/remediation-plans/" + plan2Id + "/completion", "{\"note\": \"已接管封堵\"}", 200);
        JsonNode self = postJson(regulator, "/api/v1/remediation-plans/" + plan2Id + "/verification", "{\"accept\": true}", 422);
        assertThat(self.toString()).contains("cannot verify it");
        postJson(chief, "/api/v1/remediation-plans/" + plan2Id + "/verification", "{\"accept\": true, \"note\": \"现场复核\"}", 200);
        assertThat(outfall(regulator, knownId).get("lifecycle").asString()).isEqualTo("CANCELLED");

        // The ledger's history shows each step with its reason
        JsonNode history = getJson(regulator, "/api/v1/outfalls/" + newId + "/history");
        List<String> states = new ArrayList<>();
        history.forEach(h -> states.add(h.get("snapshot").get("lifecycle").asString()));
        assertThat(states).containsExactly("VERIFIED", "MONITORED", "TRACED", "REMEDIATION_PLANNED", "REMEDIATED");

        // 8. Progress: by stage and county, and the XLSX a bureau reports upward
        JsonNode progress = getJson(regulator, "/api/v1/campaigns/" + campaignId + "/progress");
        JsonNode total = progress.get("total");
        assertThat(total.get("points").asInt()).isEqualTo(5);
        assertThat(total.get("confirmed").asInt()).isEqualTo(1);
        assertThat(total.get("merged").asInt()).isEqualTo(1);
        assertThat(total.get("rejected").asInt()).isEqualTo(1);
        assertThat(total.get("suspected").asInt()).isEqualTo(2);
        assertThat(total.get("duplicates").asInt()).isEqualTo(1);
        assertThat(total.get("sampled").asInt()).isEqualTo(1);
        assertThat(total.get("traced").asInt()).isEqualTo(2);
        assertThat(total.get("plans").asInt()).isEqualTo(2);
        assertThat(total.get("verified").asInt()).isEqualTo(2);
        assertThat(total.get("onTimeRate").asDouble()).isEqualTo(100.0);
        MockHttpServletResponse xlsx = call(regulator, get("/api/v1/campaigns/" + campaignId + "/progress.xlsx"));
        assertThat(xlsx.getStatus()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.getContentAsByteArray()))) {
            Sheet sheet = wb.getSheetAt(0);
            Row county = sheet.getRow(2);
            assertThat(county.getCell(1).getStringCellValue()).isEqualTo("吴中区");
            assertThat(county.getCell(2).getNumericCellValue()).isEqualTo(5);
            assertThat(sheet.getRow(1).getCell(19).getStringCellValue()).contains("按期完成率");
            assertThat(county.getCell(19).getNumericCellValue()).isEqualTo(100.0);
        }

        // 9. 无锡 gets 404 for every record of 苏州's campaign, and cannot act on them
        for (String path : List.of("/api/v1/campaigns/" + campaignId, "/api/v1/campaigns/" + campaignId + "/points",
                "/api/v1/campaigns/" + campaignId + "/progress", "/api/v1/campaigns/" + campaignId + "/progress.xlsx",
                "/api/v1/remediation-plans/" + plan1Id, "/api/v1/campaigns/" + campaignId + "/sampling-tasks")) {
            assertThat(call(wuxi, get(path)).getStatus()).as(path).isEqualTo(404);
        }
        assertThat(call(wuxi, post("/api/v1/campaign-points/" + gap.get("id").asLong() + "/verification")
                .contentType(MediaType.APPLICATION_JSON).content("{\"decision\": \"REJECT\", \"note\": \"x\"}")).getStatus()).isEqualTo(404);
        assertThat(getJson(wuxi, "/api/v1/campaigns").toString()).doesNotContain(tag);
        assertThat(getJson(wuxi, "/api/v1/remediation-plans").toString()).doesNotContain("\"outfallId\":" + newId + ",");

        // 10. Every step is in the audit log
        long audited = jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type IN ('campaign', 'campaign_point', 'sampling_task', "
                + "'trace_record', 'remediation_plan') AND (entity_id = ? OR entity_id IN (?, ?, ?) OR entity_id = ? OR entity_id IN (?, ?))")
                .params(String.valueOf(campaignId), String.valueOf(p1), String.valueOf(p2), String.valueOf(p3),
                        String.valueOf(taskId), String.valueOf(plan1Id), String.valueOf(plan2Id))
                .query(Long.class).single();
        assertThat(audited).isGreaterThanOrEqualTo(12);
    }

    @Test
    void overduePlansAreEscalatedOnce() throws Exception {
        Organization bureau = accounts.regulator(Organization.Level.COUNTY, "320506");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        Organization party = accounts.party("320506");
        JsonNode o = postJson(regulator, "/api/v1/outfalls", """
                {"outfall": {"name": "逾期测试排口%d", "typeCode": "OTH_URBAN_STORM", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.5, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(System.nanoTime(), party.id()), 201);
        JsonNode plan = postJson(regulator, "/api/v1/remediation-plans", """
                {"outfallId": %d, "action": "BAN", "measures": "拆除", "deadline": "%s", "accountableId": %d}"""
                .formatted(o.get("id").asLong(), LocalDate.now().plusDays(1), party.id()), 201);
        long id = plan.get("id").asLong();
        reminders.run(LocalDate.now().plusDays(1));
        assertThat(getJson(regulator, "/api/v1/remediation-plans/" + id).get("escalatedAt").isNull()).as("not overdue yet").isTrue();
        assertThat(reminders.run(LocalDate.now().plusDays(3)).plansEscalated()).isGreaterThanOrEqualTo(1);
        assertThat(getJson(regulator, "/api/v1/remediation-plans/" + id).get("escalatedAt").isNull()).isFalse();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'remediation_plan' AND entity_id = ? AND action = 'ESCALATE'")
                .param(String.valueOf(id)).query(Long.class).single()).isEqualTo(1);
        reminders.run(LocalDate.now().plusDays(4));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'remediation_plan' AND entity_id = ? AND action = 'ESCALATE'")
                .param(String.valueOf(id)).query(Long.class).single()).as("once").isEqualTo(1);
    }
}
