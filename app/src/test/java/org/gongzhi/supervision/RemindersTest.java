package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.LocalDate;
import java.util.List;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reminders that reach people: the daily job escalates an overdue rectification order and remediation plan once and
 * tells the party, the issuing bureau and the accountable unit through the platform's notice inbox — once, however
 * often it runs; the party reads it on /notices (and marks it read); another jurisdiction's users never see it.
 * Deadlines in working days: an order's deadline counted on the official calendar and stored; a count that reaches
 * into a year whose holiday notice is not loaded is refused, in both languages, naming the field.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RemindersTest {

    /** 合肥市庐阳区: a county no other test uses. */
    static final String COUNTY = "340103";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired Reminders reminders;
    @Autowired WorkingCalendar calendar;
    ApiCalls api;

    @org.junit.jupiter.api.BeforeEach
    void calls() {
        api = new ApiCalls(mvc, accounts, json);
    }

    private long notices(long organizationId, String keyPrefix) {
        return jdbc.sql("SELECT count(*) FROM notice WHERE organization_id = ? AND dedup_key LIKE ?")
                .params(organizationId, keyPrefix + "%").query(Long.class).single();
    }

    private static String completion(String findings) {
        return """
                {"checklist": {"SIGNBOARD": "FAIL", "SAMPLING_POINT": "PASS", "INSPECTION_WELL": "PASS",
                               "DISCHARGE_AS_APPROVED": "PASS", "ONLINE_MONITOR": "PASS", "PATROL_RECORDS": "PASS"},
                 "notes": {"SIGNBOARD": "标识牌缺失"}, "longitude": 117.27, "latitude": 31.86,
                 "findings": [%s], "inspectorName": "钱检查", "partyRepresentative": "吴经理"}""".formatted(findings);
    }

    @Test
    void overdueOrdersAndPlansAreEscalatedOnceAndRemindedThroughTheNoticeInbox() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "340100");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser inspector = accounts.user(Role.INSPECTOR, bureau);
        Organization enterprise = accounts.party(COUNTY);
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        CurrentUser colleague = accounts.user(Role.PARTY, enterprise);
        CurrentUser otherParty = accounts.user(Role.PARTY, accounts.party(COUNTY));
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        CurrentUser wuxiParty = accounts.user(Role.PARTY, accounts.party("320205"));

        String name = "庐阳区" + tag + "工业排污口";
        long outfall = api.send(regulator, post("/api/v1/outfalls"), """
                {"outfall": {"name": "%s", "typeCode": "IND_ENT", "lifecycle": "UNDER_SUPERVISION", "regionCode": "%s",
                 "longitude": 117.27, "latitude": 31.86, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(name, COUNTY, enterprise.id()), 201).get("id").asLong();

        // An inspection whose finding's deadline is given in working days: counted on the official calendar and stored
        long inspection = api.send(regulator, post("/api/v1/inspections"), """
                {"outfallId": %d, "origin": "AD_HOC", "inspector": "%s"}""".formatted(outfall, inspector.username()), 201)
                .get("id").asLong();
        String finding = """
                {"item": "SIGNBOARD", "description": "未设置标识牌", "legalBasis": "《入河排污口监督管理办法》规范化建设；HJ 1309 §7",
                 "requirement": "设置标识牌", "workingDays": %d}""";
        JsonNode tooFar = api.send(inspector, post("/api/v1/inspections/" + inspection + "/completion"),
                completion(finding.formatted(366)), 422);
        int lastYear = calendar.loadedYears().get(calendar.loadedYears().size() - 1);
        assertThat(tooFar.get("errors").get(0).get("field").asString()).isEqualTo("findings[0].workingDays");
        assertThat(tooFar.get("errors").get(0).get("reason_zh").asString()).contains("工作日历尚未载入 " + (lastYear + 1) + " 年");
        assertThat(tooFar.get("errors").get(0).get("reason_en").asString()).contains("holiday notice for " + (lastYear + 1));
        api.send(inspector, post("/api/v1/inspections/" + inspection + "/completion"), completion(finding.formatted(5)), 200);
        JsonNode order = api.send(party, get("/api/v1/rectification-orders"), "", 200).get(0);
        LocalDate today = LocalDate.now(Remediation.CHINA);
        assertThat(order.get("deadline").asString()).isEqualTo(calendar.addWorkingDays(today, 5).toString());
        assertThat(order.get("deadlineWorkingDays").asInt()).isEqualTo(5);
        long orderId = order.get("id").asLong();

        // Two days before the deadline the order falls due within three days: the party is reminded, nothing escalated
        assertThat(reminders.run(LocalDate.parse(order.get("deadline").asString()).minusDays(2)).ordersEscalated()).isZero();
        assertThat(notices(enterprise.id(), "supervision:order-due:" + orderId + ":")).isEqualTo(1);
        assertThat(notices(enterprise.id(), "supervision:order-overdue:" + orderId + ":")).isZero();

        // A remediation plan of the same outfall, due tomorrow
        long plan = api.send(regulator, post("/api/v1/remediation-plans"), """
                {"outfallId": %d, "action": "REGULARIZE", "measures": "规范化建设", "deadline": "%s", "accountableId": %d}"""
                .formatted(outfall, today.plusDays(1), enterprise.id()), 201).get("id").asLong();

        // Both past their deadlines: the job runs twice (a rerun, a second node) — one escalation, one notice each
        jdbc.sql("UPDATE rectification_order SET deadline = ? WHERE id = ?").params(today.minusDays(1), orderId).update();
        jdbc.sql("UPDATE remediation_plan SET deadline = ? WHERE id = ?").params(today.minusDays(1), plan).update();
        Reminders.Run first = reminders.run(today);
        Reminders.Run second = reminders.run(today);
        assertThat(first.ordersEscalated()).isGreaterThanOrEqualTo(1);
        assertThat(second.ordersEscalated()).isZero();
        assertThat(second.plansEscalated()).isZero();
        assertThat(notices(enterprise.id(), "supervision:order-overdue:" + orderId + ":")).isEqualTo(1);
        assertThat(notices(bureau.id(), "supervision:order-overdue:" + orderId + ":")).as("the issuing bureau").isEqualTo(1);
        assertThat(notices(enterprise.id(), "supervision:plan-overdue:" + plan + ":")).as("the accountable unit").isEqualTo(1);
        assertThat(notices(bureau.id(), "supervision:plan-overdue:" + plan + ":")).as("the plan's bureau").isEqualTo(1);
        assertThat(api.send(regulator, get("/api/v1/rectification-orders/" + orderId), "", 200).get("escalatedAt").isNull()).isFalse();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'rectification_order' AND entity_id = ? AND action = 'ESCALATE'")
                .param(String.valueOf(orderId)).query(Long.class).single()).isEqualTo(1);

        // The party sees the reminders in its inbox, with the unread count; a colleague's read mark is their own
        String inbox = api.page(party, "/notices");
        assertThat(inbox).as("the navigation's notices item with its htmx badge").contains("id=\"nav-notices\"")
                .contains("hx-get=\"/notices/unread-count\"");
        assertThat(inbox).contains("整改通知已逾期").contains(name).contains("整治方案逾期未完成");
        assertThat(api.page(party, "/notices?lang=en")).contains("Rectification order overdue");
        assertThat(api.page(party, "/notices/unread-count")).contains(">3<");
        JsonNode mine = api.send(party, get("/api/v1/notices"), "", 200);
        long overdueNotice = -1;
        for (JsonNode n : mine) {
            if (n.get("titleZh").asString().equals("整改通知已逾期")) {
                overdueNotice = n.get("id").asLong();
                assertThat(n.get("link").asString()).isEqualTo("/supervision/orders/" + orderId);
            }
        }
        assertThat(api.call(party, post("/notices/" + overdueNotice + "/read").param("follow", "true")).getRedirectedUrl())
                .isEqualTo("/supervision/orders/" + orderId);
        assertThat(api.page(party, "/notices/unread-count")).contains(">2<");
        assertThat(api.page(colleague, "/notices/unread-count")).contains(">3<");
        assertThat(api.call(party, post("/notices/read-all")).getStatus()).isEqualTo(302);
        assertThat(api.page(party, "/notices/unread-count")).isEmpty();

        // Nobody else sees them: another party of the same county, 无锡's bureau and party
        for (CurrentUser other : List.of(otherParty, wuxi, wuxiParty)) {
            assertThat(api.page(other, "/notices")).doesNotContain(name).doesNotContain("整改通知已逾期");
            assertThat(api.send(other, get("/api/v1/notices"), "", 200).toString()).doesNotContain(name);
            assertThat(api.call(other, post("/api/v1/notices/" + overdueNotice + "/read")).getStatus()).isEqualTo(404);
            assertThat(api.call(other, post("/notices/" + overdueNotice + "/read")).getStatus()).isEqualTo(404);
        }

        // The party answers; once the review date (working days) has passed, the bureau is reminded to review
        api.photo(party, "/api/v1/rectification-orders/" + orderId + "/files");
        JsonNode responded = api.send(party, post("/api/v1/rectification-orders/" + orderId + "/response"), "{\"note\": \"已设置\"}", 200);
        LocalDate reviewDue = LocalDate.parse(responded.get("reviewDueOn").asString());
        assertThat(reviewDue).isEqualTo(calendar.addWorkingDays(today, 5));
        reminders.run(reviewDue.plusDays(1));
        reminders.run(reviewDue.plusDays(1));
        assertThat(notices(bureau.id(), "supervision:order-review-overdue:" + orderId + ":")).isEqualTo(1);
        assertThat(notices(enterprise.id(), "supervision:order-review-overdue:")).isZero();
    }

    @Test
    void anOverduePatrolRemindsTheLeadPartyOnce() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "340100");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        Organization enterprise = accounts.party(COUNTY);
        CurrentUser party = accounts.user(Role.PARTY, enterprise);
        long outfall = api.send(regulator, post("/api/v1/outfalls"), """
                {"outfall": {"name": "庐阳区%s巡查排污口", "typeCode": "IND_ENT", "lifecycle": "UNDER_SUPERVISION", "regionCode": "%s",
                 "longitude": 117.28, "latitude": 31.87, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(tag, COUNTY, enterprise.id()), 201).get("id").asLong();
        LocalDate longAgo = LocalDate.now(Remediation.CHINA).minusDays(45);
        api.send(party, post("/api/v1/supervision/outfalls/" + outfall + "/patrols"), """
                {"patrolledOn": "%s", "person": "王巡查", "checked": "排污通道、口门"}""".formatted(longAgo), 201);
        reminders.run(LocalDate.now(Remediation.CHINA));
        reminders.run(LocalDate.now(Remediation.CHINA));
        assertThat(notices(enterprise.id(), "supervision:patrol-overdue:" + outfall + ":" + longAgo.plusDays(30))).isEqualTo(1);
        assertThat(api.page(party, "/notices")).contains("排污口巡查已逾期");
        assertThat(api.send(party, get("/api/v1/notices"), "", 200).get(0).get("link").asString())
                .isEqualTo("/supervision/duties#patrol-" + outfall);
    }
}
