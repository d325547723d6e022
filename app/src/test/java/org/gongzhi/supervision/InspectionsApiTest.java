package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Inspections through the REST API: a quarter's plan drawn by rules (share per type, weighted by open findings,
 * reproducible from its seed), an ad-hoc inspection from a compliance finding, the record's validation, findings
 * becoming rectification orders and (serious ones) enforcement case records, the order's life to closure with
 * evidence, the party's patrol log and 规范化建设 review; 无锡 gets 404 for each of these records.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class InspectionsApiTest {

    /** 合肥市瑶海区: a county no other test uses, so that the plan draws from this test's outfalls only. */
    static final String COUNTY = "340102";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    ApiCalls api;

    @org.junit.jupiter.api.BeforeEach
    void calls() {
        api = new ApiCalls(mvc, accounts, json);
    }

    private long outfall(CurrentUser by, String type, long partyId, String name) throws Exception {
        return api.outfall(by, COUNTY, type, partyId, name).get("id").asLong();
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asString()));
        return out;
    }

    private long plannedOne(long planId) {
        return jdbc.sql("SELECT min(id) FROM inspection WHERE plan_id = ?").param(planId).query(Long.class).single();
    }

    private Set<Long> planned(CurrentUser by, long planId) {
        return new HashSet<>(jdbc.sql("SELECT outfall_id FROM inspection WHERE plan_id = ?").param(planId).query(Long.class).list());
    }

    @Test
    void plansDrawBySharePerTypeWeightedByOpenFindingsAndInspectionsEndInOrdersClosedWithEvidence() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "340100");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, bureau);
        Organization enterprise = accounts.party(COUNTY);
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        CurrentUser otherParty = accounts.user(Role.PARTY, accounts.party(COUNTY));
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));

        List<Long> industrial = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            industrial.add(outfall(regulator, "IND_ENT", enterprise.id(), "瑶海区" + tag + "工业" + i + "号排污口"));
        }
        List<Long> other = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            other.add(outfall(regulator, "OTH_URBAN_STORM", enterprise.id(), "瑶海区" + tag + "雨洪" + i + "号排口"));
        }
        // Open compliance findings (written as the compliance engine writes them) make one outfall far likelier to be drawn.
        long heavy = industrial.get(7);
        long findingId = 0;
        for (int k = 0; k < 50; k++) {
            findingId = jdbc.sql("""
                    INSERT INTO finding (outfall_id, factor, statistic, window_start, window_end, kind, limit_ref, values_used)
                    VALUES (?, 'w01018', 'DAY_AVG', now() - make_interval(days => ?), now() - make_interval(days => ? - 1),
                            'VIOLATION', '{}'::jsonb, '[]'::jsonb) RETURNING id""")
                    .params(heavy, k + 2, k + 2).query(Long.class).single();
        }

        // 1. The quarter's plan: 10 % of the industrial outfalls, 50 % of the others
        String planBody = """
                {"name": "2026年第四季度双随机抽查%s", "regionCode": "%s", "quarter": "2026Q4",
                 "shares": {"INDUSTRIAL": 10, "OTHER": 50}, "findingWeight": 100, "inspector": "%s", "seed": 20261001}"""
                .formatted(tag, COUNTY, inspector.username());
        JsonNode bad = api.send(regulator, post("/api/v1/inspection-plans"), """
                {"name": "", "regionCode": "320506", "quarter": "2026-4", "shares": {"FACTORY": 10}, "inspector": "nobody"}""", 422);
        assertThat(fields(bad)).contains("name", "regionCode", "quarter", "shares", "inspector");
        JsonNode plan = api.send(regulator, post("/api/v1/inspection-plans"), planBody, 201);
        Set<Long> drawn = planned(regulator, plan.get("id").asLong());
        assertThat(drawn).hasSize(1 + 2);
        assertThat(drawn).as("weighted by its 50 open findings").contains(heavy);
        assertThat(drawn.stream().filter(other::contains).count()).isEqualTo(2);
        JsonNode again = api.send(regulator, post("/api/v1/inspection-plans"), planBody, 201);
        assertThat(planned(regulator, again.get("id").asLong())).as("the same seed draws the same outfalls").isEqualTo(drawn);
        assertThat(jdbc.sql("SELECT min(scheduled_on) >= '2026-10-01' AND max(scheduled_on) <= '2026-12-31' FROM inspection WHERE plan_id = ?")
                .param(plan.get("id").asLong()).query(Boolean.class).single()).isTrue();

        // 2. An ad-hoc inspection from a compliance finding; 无锡 cannot use 苏州's… here 合肥's finding
        JsonNode adHoc = api.send(regulator, post("/api/v1/inspections"), """
                {"origin": "FINDING", "originRef": "%d", "inspector": "%s", "scheduledOn": "%s"}"""
                .formatted(findingId, inspector.username(), LocalDate.now()), 201);
        assertThat(adHoc.get("outfallId").asLong()).isEqualTo(heavy);
        JsonNode foreign = api.send(wuxi, post("/api/v1/inspections"), """
                {"origin": "FINDING", "originRef": "%d"}""".formatted(findingId), 422);
        assertThat(fields(foreign)).contains("originRef");
        long inspectionId = adHoc.get("id").asLong();

        // 3. The record: everything missing is named; then completed with a serious finding
        JsonNode incomplete = api.send(inspector, post("/api/v1/inspections/" + inspectionId + "/completion"), """
                {"checklist": {"SIGNBOARD": "FAIL"}, "findings": [{"description": "在线监测数据与现场工况不符"}]}""", 422);
        assertThat(fields(incomplete)).contains("checklist.SAMPLING_POINT", "checklist.INSPECTION_WELL", "checklist.ONLINE_MONITOR",
                "notes.SIGNBOARD", "longitude", "findings[0].legalBasis", "findings[0].requirement",
                "inspectorName", "partyRepresentative");
        assertThat(incomplete.toString()).contains("reason_zh").contains("reason_en");
        api.photo(inspector, "/api/v1/inspections/" + inspectionId + "/photos");
        String deadline = LocalDate.now().plusDays(15).toString();
        JsonNode done = api.send(inspector, post("/api/v1/inspections/" + inspectionId + "/completion"), """
                {"checklist": {"SIGNBOARD": "PASS", "SAMPLING_POINT": "PASS", "INSPECTION_WELL": "PASS",
                               "DISCHARGE_AS_APPROVED": "FAIL", "ONLINE_MONITOR": "FAIL", "PATROL_RECORDS": "PASS"},
                 "notes": {"DISCHARGE_AS_APPROVED": "旁路暗管排放", "ONLINE_MONITOR": "数据标记为N但设备停运"},
                 "longitude": 117.300100, "latitude": 31.800200, "samples": "COD 1瓶",
                 "findings": [
                   {"item": "DISCHARGE_AS_APPROVED", "description": "设置旁路暗管，未按批准要求排放",
                    "legalBasis": "《入河排污口监督管理办法》；《水污染防治法》第八十四条", "serious": true,
                    "requirement": "立即封堵暗管", "deadline": "%s"},
                   {"item": "ONLINE_MONITOR", "description": "在线监测设备停运但数据标记正常",
                    "legalBasis": "HJ 212 数据标记", "requirement": "恢复设备运行并说明", "deadline": "%s"}],
                 "inspectorName": "孙检查", "partyRepresentative": "周厂长"}""".formatted(deadline, deadline), 200);
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("contentHash").asString()).hasSize(64);
        assertThat(done.get("partySignature").asString()).contains("周厂长").contains(done.get("contentHash").asString());
        api.send(inspector, post("/api/v1/inspections/" + inspectionId + "/completion"), "{}", 422);
        // the completed record as a PDF, with its Chinese text as text
        MockHttpServletResponse pdf = api.call(regulator, get("/supervision/inspections/" + inspectionId + "/record.pdf"));
        assertThat(pdf.getStatus()).isEqualTo(200);
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.getContentAsByteArray())) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc).replaceAll("\\s+", "");
            assertThat(text).contains("入河排污口现场检查记录").contains("瑶海区" + tag + "工业7号排污口").contains("设置旁路暗管")
                    .contains("周厂长").contains("孙检查").contains(done.get("contentHash").asString()).contains("第八十四条");
        }
        assertThat(api.call(regulator, get("/supervision/inspections/" + plannedOne(plan.get("id").asLong()) + "/record.pdf")).getStatus())
                .as("not completed yet").isEqualTo(404);

        JsonNode view = api.getJson(regulator, "/api/v1/inspections/" + inspectionId);
        assertThat(view.get("orders").size()).isEqualTo(2);
        assertThat(view.get("cases").size()).isEqualTo(1);
        assertThat(view.get("cases").get(0).get("basis").asString()).contains("水污染防治法》第八十四条").contains("水法》第六十七条");
        long orderId = view.get("orders").get(0).get("id").asLong();
        assertThat(view.get("orders").get(0).get("partyId").asLong()).isEqualTo(enterprise.id());

        // 4. The order: the party answers with evidence; the inspector sends it back once, then closes it
        assertThat(api.getJson(party, "/api/v1/rectification-orders").toString()).contains("立即封堵暗管");
        assertThat(api.call(otherParty, get("/api/v1/rectification-orders/" + orderId)).getStatus()).as("another party").isEqualTo(404);
        JsonNode noEvidence = api.send(party, post("/api/v1/rectification-orders/" + orderId + "/response"), "{\"note\": \"已封堵\"}", 422);
        assertThat(fields(noEvidence)).containsExactly("file");
        api.photo(party, "/api/v1/rectification-orders/" + orderId + "/files");
        assertThat(api.send(party, post("/api/v1/rectification-orders/" + orderId + "/response"), "{\"note\": \"已封堵\"}", 200)
                .get("status").asString()).isEqualTo("RESPONDED");
        api.send(inspector, post("/api/v1/rectification-orders/" + orderId + "/review"), "{\"accept\": false}", 422);
        assertThat(api.send(inspector, post("/api/v1/rectification-orders/" + orderId + "/review"),
                "{\"accept\": false, \"note\": \"照片看不出封堵位置\"}", 200).get("status").asString()).isEqualTo("OPEN");
        api.send(party, post("/api/v1/rectification-orders/" + orderId + "/response"), "{\"note\": \"已封堵，补充现场全景照片\"}", 200);
        JsonNode closed = api.send(inspector, post("/api/v1/rectification-orders/" + orderId + "/review"), "{\"accept\": true}", 200);
        assertThat(closed.get("status").asString()).isEqualTo("CLOSED");
        assertThat(closed.get("closedBy").asString()).isEqualTo(inspector.username());

        // 5. The party's duties: patrols and 规范化建设
        long outfallId = industrial.get(0);
        JsonNode future = api.send(party, post("/api/v1/supervision/outfalls/" + outfallId + "/patrols"), """
                {"patrolledOn": "%s", "person": "", "checked": ""}""".formatted(LocalDate.now().plusDays(2)), 422);
        assertThat(fields(future)).contains("patrolledOn", "person", "checked");
        long patrolId = api.send(party, post("/api/v1/supervision/outfalls/" + outfallId + "/patrols"), """
                {"patrolledOn": "%s", "person": "钱工", "checked": "排污通道、口门、标识牌", "problems": "口门有垃圾，已清理"}"""
                .formatted(LocalDate.now()), 201).get("id").asLong();
        api.photo(party, "/api/v1/supervision/patrols/" + patrolId + "/photos");
        assertThat(api.getJson(regulator, "/api/v1/supervision/outfalls/" + outfallId + "/patrols").get(0).get("photoIds").size()).isEqualTo(1);
        assertThat(api.call(wuxi, multipart("/api/v1/supervision/patrols/" + patrolId + "/photos")
                .file(new MockMultipartFile("file", "x.png", "image/png", ApiCalls.PNG))).getStatus()).isEqualTo(404);
        assertThat(api.getJson(regulator, "/api/v1/supervision/outfalls/" + outfallId + "/patrols").get(0).get("person").asString())
                .isEqualTo("钱工");
        api.send(party, put("/api/v1/supervision/outfalls/" + outfallId + "/patrol-interval"), "{\"intervalDays\": 7}", 403);
        api.send(regulator, put("/api/v1/supervision/outfalls/" + outfallId + "/patrol-interval"), "{\"intervalDays\": 0}", 422);
        api.send(regulator, put("/api/v1/supervision/outfalls/" + outfallId + "/patrol-interval"), "{\"intervalDays\": 7}", 204);
        JsonNode noFile = api.send(party, post("/api/v1/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD"),
                "{\"note\": \"立式标识牌已安装\"}", 422);
        assertThat(fields(noFile)).containsExactly("file");
        api.photo(party, "/api/v1/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/files");
        api.send(party, post("/api/v1/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD"), "{\"note\": \"立式标识牌已安装\"}", 200);
        api.send(party, post("/api/v1/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/review"), "{\"accept\": true}", 403);
        JsonNode accepted = api.send(regulator, post("/api/v1/supervision/outfalls/" + outfallId + "/standardization/SIGNBOARD/review"),
                "{\"accept\": true}", 200);
        assertThat(accepted.get("status").asString()).isEqualTo("ACCEPTED");
        JsonNode items = api.getJson(party, "/api/v1/supervision/outfalls/" + outfallId + "/standardization");
        assertThat(items.size()).isEqualTo(5);
        assertThat(items.toString()).contains("\"MISSING\"");

        // 6. 无锡 gets 404 for every one of these records
        long fileId = jdbc.sql("SELECT max(id) FROM stored_file WHERE owner_type = 'rectification_order' AND owner_id = ?")
                .param(orderId).query(Long.class).single();
        for (String path : List.of("/api/v1/inspections/" + inspectionId, "/api/v1/inspection-plans/" + plan.get("id").asLong(),
                "/api/v1/rectification-orders/" + orderId, "/api/v1/supervision/files/" + fileId,
                "/api/v1/supervision/outfalls/" + outfallId + "/patrols", "/api/v1/supervision/outfalls/" + outfallId + "/standardization",
                "/supervision/inspections/" + inspectionId, "/supervision/inspections/" + inspectionId + "/record.pdf",
                "/supervision/orders/" + orderId, "/supervision/outfalls/" + outfallId)) {
            MockHttpServletResponse r = api.call(wuxi, get(path));
            assertThat(r.getStatus()).as(path).isEqualTo(404);
            assertThat(r.getContentAsString(StandardCharsets.UTF_8)).doesNotContain("瑶海区" + tag);
        }
        assertThat(api.call(wuxi, post("/api/v1/rectification-orders/" + orderId + "/review").contentType(MediaType.APPLICATION_JSON)
                .content("{\"accept\": false, \"note\": \"x\"}")).getStatus()).isEqualTo(404);
        assertThat(api.getJson(wuxi, "/api/v1/inspections").toString()).doesNotContain("\"outfallId\":" + heavy + ",");
        assertThat(api.getJson(party, "/api/v1/inspections").toString()).as("the party sees the inspections of its outfalls")
                .contains("\"id\":" + inspectionId + ",");

        // 7. Audited: the completed record with its hash, the order's steps, the case
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'inspection' AND entity_id = ? AND action = 'COMPLETE' "
                + "AND after_json LIKE ?").params(String.valueOf(inspectionId), "%" + done.get("contentHash").asString() + "%")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'rectification_order' AND entity_id = ?")
                .param(String.valueOf(orderId)).query(Long.class).single()).isGreaterThanOrEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'enforcement_case' AND action = 'OPEN_CASE' AND reason LIKE '%第八十四条%'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1);
    }
}
