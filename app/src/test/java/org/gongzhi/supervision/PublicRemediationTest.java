package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;

import java.time.LocalDate;
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
 * The public read of remediation: a 规范整治 plan in a campaign shows its campaign, kind, deadline and stage through
 * completion and verification, open rectification orders are counted (closed ones not), and nothing personal is in
 * the record.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PublicRemediationTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired PublicRemediation publicRemediation;

    private JsonNode send(CurrentUser by, org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder<?> b, int expected) throws Exception {
        MockHttpServletResponse r = mvc.perform(b.with(accounts.as(by)).with(csrf())).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(expected);
        return r.getContentAsString().isEmpty() ? null : json.readTree(r.getContentAsString());
    }

    private JsonNode post(CurrentUser by, String path, String body, int expected) throws Exception {
        return send(by, org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .contentType(MediaType.APPLICATION_JSON).content(body), expected);
    }

    @Test
    void aPlanInACampaignIsPublicFromPlanningToVerifiedCompletion_withTheOpenOrdersCounted() throws Exception {
        Organization bureau = accounts.regulator(Organization.Level.CITY, "320500");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser chief = accounts.user(Role.REGULATOR, bureau);
        Organization party = accounts.party("320506");
        long outfall = post(regulator, "/api/v1/outfalls", """
                {"outfall": {"name": "公开整治测试排口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.5, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(System.nanoTime(), party.id()), 201).get("id").asLong();
        assertThat(publicRemediation.of(outfall)).isEqualTo(new PublicRemediation.Status(null, 0));

        String name = "公开整治测试行动" + System.nanoTime();
        long campaign = post(regulator, "/api/v1/campaigns", """
                {"name": "%s", "level": "SELF_CHECK", "regionCode": "320500", "startsOn": "%s", "endsOn": "%s"}"""
                .formatted(name, LocalDate.now().minusDays(10), LocalDate.now().plusDays(100)), 201).get("id").asLong();
        post(regulator, "/api/v1/campaigns/" + campaign + "/outfalls", "{\"outfallId\": " + outfall + "}", 204);
        LocalDate deadline = LocalDate.now(Remediation.CHINA).plusDays(30);
        long plan = post(regulator, "/api/v1/remediation-plans", """
                {"campaignId": %d, "outfallId": %d, "action": "REGULARIZE", "measures": "更换标识牌，张三负责", "deadline": "%s",
                 "accountableId": %d}""".formatted(campaign, outfall, deadline, party.id()), 201).get("id").asLong();

        PublicRemediation.Status planned = publicRemediation.of(outfall);
        assertThat(planned.plan()).isEqualTo(new PublicRemediation.Plan(name, PublicRemediation.Kind.REGULARIZE, deadline,
                PublicRemediation.Stage.PLANNED, false, null));
        // the record has no room for measures, names or notes: "张三" cannot leak
        assertThat(planned.toString()).doesNotContain("张三");

        send(regulator, multipart("/api/v1/remediation-plans/" + plan + "/files")
                .file(new MockMultipartFile("file", "标识牌.png", "image/png", CampaignStoryTest.PNG)), 201);
        post(regulator, "/api/v1/remediation-plans/" + plan + "/completion", "{\"note\": \"已更换\"}", 200);
        assertThat(publicRemediation.of(outfall).plan().stage()).isEqualTo(PublicRemediation.Stage.REPORTED);
        post(chief, "/api/v1/remediation-plans/" + plan + "/verification", "{\"accept\": true}", 200);
        PublicRemediation.Plan verified = publicRemediation.of(outfall).plan();
        assertThat(verified.stage()).isEqualTo(PublicRemediation.Stage.VERIFIED);
        assertThat(verified.verifiedOn()).isEqualTo(LocalDate.now(Remediation.CHINA));
        assertThat(verified.overdue()).isFalse();

        // Rectification orders of an inspection (rows as Inspections writes them): open ones count, closed ones not.
        long inspection = jdbc.sql("""
                INSERT INTO inspection (outfall_id, region_code, party_id, origin, inspector, scheduled_on, created_by)
                VALUES (?, '320506', ?, 'AD_HOC', 'test', current_date, 'test') RETURNING id""")
                .params(outfall, party.id()).query(Long.class).single();
        long finding = jdbc.sql("""
                INSERT INTO inspection_finding (inspection_id, item, description, legal_basis, serious)
                VALUES (?, 'SIGNBOARD', '标识牌缺失', 'HJ 1309', false) RETURNING id""").param(inspection).query(Long.class).single();
        for (String status : new String[] {"OPEN", "RESPONDED", "CLOSED"}) {
            jdbc.sql("""
                    INSERT INTO rectification_order (finding_id, inspection_id, outfall_id, region_code, party_id, requirement,
                        deadline, status, created_by) VALUES (?, ?, ?, '320506', ?, '设置标识牌', current_date + 10, ?, 'test')""")
                    .params(finding, inspection, outfall, party.id(), status).update();
        }
        assertThat(publicRemediation.of(outfall).openRectificationOrders()).isEqualTo(2);
    }
}
