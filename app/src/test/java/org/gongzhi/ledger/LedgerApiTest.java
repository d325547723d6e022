package org.gongzhi.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LedgerApiTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;

    CurrentUser suzhou;      // 苏州市生态环境局 regulator
    CurrentUser wuxi;        // 无锡市 regulator: a foreign jurisdiction
    Organization party;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
    }

    private String body(String name, String region, String type, Double lon, Double lat) {
        return """
                {"outfall": {"name": "%s", "typeCode": "%s", "lifecycle": "VERIFIED", "regionCode": "%s",
                 "longitude": %s, "latitude": %s, "parties": [{"organizationId": %d, "lead": true}]},
                 "reason": "排查发现"}""".formatted(name, type, region, lon, lat, party.id());
    }

    private JsonNode create(CurrentUser as, String name, String region, String type) throws Exception {
        MvcResult r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(as)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(body(name, region, type, 120.6, 31.2)))
                .andExpect(status().isCreated()).andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor csrf() {
        return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf();
    }

    @Test
    void createdOutfallGetsACodeTheRegimeOfItsTypeAndAFirstVersion() throws Exception {
        JsonNode o = create(suzhou, "苏州市吴中区甲化工厂排污口", "320506", "IND_ENT");
        assertThat(o.get("nationalCode").asString()).matches("320506G\\d{5}");
        assertThat(o.get("regime").asString()).isEqualTo("APPROVAL");
        assertThat(o.get("version").asInt()).isEqualTo(1);

        JsonNode storm = create(suzhou, "苏州市吴中区甲化工厂雨洪排口", "320506", "IND_ENT_STORM");
        assertThat(storm.get("regime").asString()).isEqualTo("REGISTRATION");
        assertThat(storm.get("nationalCode").asString()).isNotEqualTo(o.get("nationalCode").asString());
    }

    @Test
    void aForeignJurisdictionCanNeitherSeeNorFindNorChangeTheOutfall() throws Exception {
        JsonNode o = create(suzhou, "苏州市吴中区乙厂排污口", "320506", "IND_ENT");
        long id = o.get("id").asLong();
        mvc.perform(get("/api/v1/outfalls/" + id).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/outfalls").param("q", "乙厂").with(accounts.as(wuxi)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(0));
        mvc.perform(put("/api/v1/outfalls/" + id).with(accounts.as(wuxi)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content(body("改名", "320506", "IND_ENT", 120.6, 31.2).replace("\"reason\"", "\"version\": 1, \"reason\"")))
                .andExpect(status().isNotFound());
        // and cannot create one in Suzhou either
        mvc.perform(post("/api/v1/outfalls").with(accounts.as(wuxi)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content(body("越权", "320506", "IND_ENT", 120.6, 31.2)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("regionCode"));
    }

    @Test
    void badInputNamesEachFieldWithReasonsInChineseAndEnglish() throws Exception {
        mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content(body("", "320500", "NOPE", 31.2, 120.6)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[?(@.field == 'name')].reason_zh").value("排污口名称必填"))
                .andExpect(jsonPath("$.errors[?(@.field == 'typeCode')].reason_en").value("not an HJ 1312 outfall type"))
                .andExpect(jsonPath("$.errors[?(@.field == 'regionCode')].reason_en").value("must be a county-level code, not a province or city"))
                .andExpect(jsonPath("$.errors[?(@.field == 'longitude')].value").value("31.2"));
    }

    @Test
    void everyChangeIsAVersionAndTheLedgerCanBeReadAsOfThePast() throws Exception {
        JsonNode o = create(suzhou, "苏州市吴中区丙厂排污口", "320506", "IND_ENT");
        long id = o.get("id").asLong();
        Instant between = Instant.now();
        Thread.sleep(5);
        String changed = body("苏州市吴中区丙厂1#排污口", "320506", "IND_ENT", 120.6, 31.2)
                .replace("\"reason\": \"排查发现\"", "\"version\": 1, \"reason\": \"更正名称\"");
        mvc.perform(put("/api/v1/outfalls/" + id).with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(changed))
                .andExpect(status().isOk()).andExpect(jsonPath("$.version").value(2));
        // the same change again, based on the old version, is refused: someone else got there first
        mvc.perform(put("/api/v1/outfalls/" + id).with(accounts.as(suzhou)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(changed))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].field").value("version"));

        mvc.perform(get("/api/v1/outfalls/" + id + "/history").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[1].reason").value("更正名称"))
                .andExpect(jsonPath("$[1].fields[0]").value("name"));
        mvc.perform(get("/api/v1/outfalls/" + id).param("asOf", between.toString()).with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.name").value("苏州市吴中区丙厂排污口"));
        mvc.perform(get("/api/v1/outfalls").param("asOf", between.toString()).param("q", "丙厂1#").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/v1/outfalls").param("q", "丙厂1#").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.total").value(1));
    }

    @Test
    void partyUsersSeeOnlyTheirOwnOutfallsAndCannotEdit() throws Exception {
        JsonNode mine = create(suzhou, "苏州市吴中区丁厂排污口", "320506", "IND_ENT");
        CurrentUser partyUser = accounts.user(Role.PARTY, party);
        Organization other = accounts.party("320506");
        String othersBody = body("苏州市吴中区戊厂排污口", "320506", "IND_ENT", 120.6, 31.2)
                .replace("\"organizationId\": " + party.id(), "\"organizationId\": " + other.id());
        mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(othersBody)).andExpect(status().isCreated());

        mvc.perform(get("/api/v1/outfalls").param("q", "吴中区").param("size", "500").with(accounts.as(partyUser)))
                .andExpect(jsonPath("$.items[*].parties[0].organizationId").value(org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is((int) party.id()))))
                .andExpect(jsonPath("$.items[?(@.id == " + mine.get("id").asLong() + ")]").exists());
        mvc.perform(post("/api/v1/outfalls").with(accounts.as(partyUser)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body("x", "320506", "IND_ENT", 120.6, 31.2)))
                .andExpect(status().isForbidden());
    }

    @Test
    void apiNeedsASignIn() throws Exception {
        mvc.perform(get("/api/v1/outfalls")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/outfalls").header("Authorization", "Bearer gz_forged")).andExpect(status().isUnauthorized());
        String token = accounts.token(suzhou);
        mvc.perform(get("/api/v1/outfalls").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
    }
}
