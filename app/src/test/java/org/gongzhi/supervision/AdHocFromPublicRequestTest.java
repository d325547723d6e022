package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.List;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.gongzhi.requests.PublicRequests;
import org.gongzhi.requests.Request;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ad-hoc inspection typed in after a public request (接诉即办): the request id is checked through
 * {@link PublicRequestReferences} (implemented by the requests module) — an unknown id, or another jurisdiction's
 * request, is refused with a bilingual reason naming the field; a known one gives the inspection its outfall.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AdHocFromPublicRequestTest {

    /** 合肥市包河区: a county no other test uses. */
    static final String COUNTY = "340111";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired PublicRequests requests;

    private JsonNode send(CurrentUser by, String path, String body, int expected) throws Exception {
        MockHttpServletResponse r = mvc.perform(post(path).with(accounts.as(by)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(expected);
        return json.readTree(r.getContentAsString());
    }

    @Test
    void theRequestIdIsCheckedAndGivesTheOutfall() throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Organization bureau = accounts.regulator(Organization.Level.CITY, "340100");
        CurrentUser regulator = accounts.user(Role.REGULATOR, bureau);
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Organization enterprise = accounts.party(COUNTY);
        JsonNode outfall = send(regulator, "/api/v1/outfalls", """
                {"outfall": {"name": "包河区%s排污口", "typeCode": "IND_ENT", "lifecycle": "UNDER_SUPERVISION", "regionCode": "%s",
                 "longitude": 117.31, "latitude": 31.79, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(tag, COUNTY, enterprise.id()), 201);
        long outfallId = outfall.get("id").asLong();
        Request request = requests.submit(new PublicRequests.Intake("SIGNBOARD_DAMAGED", outfall.get("nationalCode").asString(),
                null, null, COUNTY, null, "标识牌倒在河边，二维码扫不出来", Map.of(), null, null, null, null,
                Request.Channel.WEB, null, List.of()));

        JsonNode unknown = send(regulator, "/api/v1/inspections", """
                {"outfallId": %d, "origin": "PUBLIC_REQUEST", "originRef": "999999999"}""".formatted(outfallId), 422);
        assertThat(unknown.get("errors").get(0).get("field").asString()).isEqualTo("originRef");
        assertThat(unknown.get("errors").get(0).get("reason_zh").asString()).contains("没有该公众诉求");
        assertThat(unknown.get("errors").get(0).get("reason_en").asString()).contains("no such public request");
        JsonNode notANumber = send(regulator, "/api/v1/inspections", """
                {"outfallId": %d, "origin": "PUBLIC_REQUEST", "originRef": "12345678901234567890"}""".formatted(outfallId), 422);
        assertThat(notANumber.get("errors").get(0).get("field").asString()).isEqualTo("originRef");

        // 无锡 cannot refer to 合肥's request (nor learn that it exists)
        JsonNode foreign = send(wuxi, "/api/v1/inspections", """
                {"origin": "PUBLIC_REQUEST", "originRef": "%d"}""".formatted(request.id()), 422);
        assertThat(foreign.get("errors").toString()).contains("originRef").contains("no such public request");

        // The request names its outfall: another outfall is refused, none given takes the request's
        JsonNode wrongOutfall = send(regulator, "/api/v1/inspections", """
                {"outfallId": %d, "origin": "PUBLIC_REQUEST", "originRef": "%d"}""".formatted(outfallId + 100000, request.id()), 422);
        assertThat(wrongOutfall.get("errors").get(0).get("field").asString()).isEqualTo("outfallId");
        JsonNode inspection = send(regulator, "/api/v1/inspections", """
                {"origin": "PUBLIC_REQUEST", "originRef": "%d"}""".formatted(request.id()), 201);
        assertThat(inspection.get("outfallId").asLong()).isEqualTo(outfallId);
        assertThat(inspection.get("originRef").asString()).isEqualTo(String.valueOf(request.id()));

        // The page's form says why, in the page's language
        var page = mvc.perform(post("/supervision/inspections").param("origin", "PUBLIC_REQUEST")
                .param("originRef", "999999999").param("outfallId", String.valueOf(outfallId)).with(accounts.as(regulator)).with(csrf())
                .param("lang", "en")).andReturn();
        assertThat(page.getResponse().getRedirectedUrl()).isEqualTo("/supervision");
        assertThat(page.getFlashMap().get("problems").toString()).contains("originRef (999999999): no such public request");
    }
}
