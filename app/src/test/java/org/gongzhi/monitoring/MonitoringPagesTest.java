package org.gongzhi.monitoring;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The monitoring pages render, register through the form, and stay inside the jurisdiction. */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MonitoringPagesTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;

    @Test
    void devicesOutfallAndRejectedPagesRenderAndStayInTheirJurisdiction() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Organization party = accounts.party("320506");
        String body = """
                {"outfall": {"name": "页面测试排污口", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                 "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(party.id());
        long id = json.readTree(mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou))
                        .with(SecurityMockMvcRequestPostProcessors.csrf()).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString()).get("id").asLong();
        String mn = "PAGE" + System.nanoTime();

        mvc.perform(post("/monitoring/devices").with(accounts.as(suzhou)).with(SecurityMockMvcRequestPostProcessors.csrf())
                        .param("mn", mn).param("password", "pw").param("outfallId", String.valueOf(id))
                        .param("factors", "w01018, w21003").param("intervalSeconds", "600"))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/monitoring/devices"));
        mvc.perform(get("/monitoring/devices").with(accounts.as(suzhou)))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString(mn)))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("登记数采仪")));
        mvc.perform(get("/monitoring/devices").with(accounts.as(wuxi)))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString(mn))));
        // a bad form comes back with the reasons
        mvc.perform(post("/monitoring/devices").with(accounts.as(suzhou)).with(SecurityMockMvcRequestPostProcessors.csrf())
                        .param("mn", "").param("password", "").param("intervalSeconds", "600"))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString("MN（device id）".substring(0, 2))));
        mvc.perform(get("/monitoring/outfalls/" + id).with(accounts.as(suzhou)))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString("monitoring-chart.js")));
        mvc.perform(get("/monitoring/outfalls/" + id).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        mvc.perform(get("/monitoring/rejected").with(accounts.as(suzhou))).andExpect(status().isOk());
        mvc.perform(get("/monitoring/outfalls/" + id).with(accounts.as(suzhou)).param("lang", "en"))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString("Latest values")));
        mvc.perform(get("/api/v1/data-loggers/" + mn).with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.factors[1]").value("w21003"));
        // a command's arguments are checked before anything is sent, with the field named
        mvc.perform(post("/api/v1/data-loggers/" + mn + "/commands").with(accounts.as(suzhou)).with(SecurityMockMvcRequestPostProcessors.csrf())
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON).content("{\"cn\": \"1064\", \"minInterval\": 7}"))
                .andExpect(status().isUnprocessableContent()).andExpect(content().string(org.hamcrest.Matchers.containsString("minInterval")));
        mvc.perform(post("/api/v1/data-loggers/" + mn + "/commands").with(accounts.as(suzhou)).with(SecurityMockMvcRequestPostProcessors.csrf())
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON).content("{\"cn\": \"1062\", \"rtdInterval\": 5}"))
                .andExpect(status().isUnprocessableContent()).andExpect(content().string(org.hamcrest.Matchers.containsString("rtdInterval")));
    }
}
