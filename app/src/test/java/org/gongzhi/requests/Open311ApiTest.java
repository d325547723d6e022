package org.gongzhi.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gongzhi.disclosure.Bureaus;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Open311 client does what the citizen does in the browser, through GeoReport v2: discovers the endpoint, reads
 * the services and a definition, posts black water with its api_key, follows it by token and id, sees the bureau's
 * answers in the update feed, rates it unsatisfied and sends it back (the Gongzhi feedback extension), and sees it
 * closed. Every JSON response is validated against the published GeoReport v2 schemas; XML is parsed.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Open311ApiTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired Bureaus bureaus;

    JsonSchemaFactory schemas;
    String apiKey;
    String outfallCode;
    CurrentUser countyUser;
    Organization county;

    @BeforeAll
    void setUp() throws Exception {
        // Relative $refs (requests.json → request.json) resolve inside the copied schema folder.
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.schemaMappers(m -> m.mapPrefix("https://open311.test/", "classpath:open311/")));
        CurrentUser admin = accounts.existing("admin");
        MockHttpServletResponse issued = mvc.perform(post("/api/v1/open311/clients").with(accounts.as(admin)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"测试客户端" + System.nanoTime() + "\"}"))
                .andReturn().getResponse();
        assertThat(issued.getStatus()).as(issued.getContentAsString()).isEqualTo(201);
        apiKey = json.readTree(issued.getContentAsString()).get("apiKey").asString();
        assertThat(apiKey).startsWith("o311_");
        // Only the key's hash is listed, never the key.
        assertThat(mvc.perform(get("/api/v1/open311/clients").with(accounts.as(admin))).andReturn().getResponse()
                .getContentAsString()).doesNotContain(apiKey);

        county = bureaus.responsibleFor("320507").filter(o -> o.level() == Organization.Level.COUNTY)
                .orElseGet(() -> accounts.regulator(Organization.Level.COUNTY, "320507"));
        countyUser = accounts.user(Role.REGULATOR, county);
        Organization party = accounts.party("320507");
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(countyUser)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "相城区开放接口测试%s号排污口", "typeCode": "IND_ENT", "lifecycle": "VERIFIED",
                         "regionCode": "320507", "longitude": 120.6401, "latitude": 31.4302,
                         "parties": [{"organizationId": %d, "lead": true}]}, "reason": "排查"}"""
                        .formatted(System.nanoTime(), party.id()))).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        outfallCode = json.readTree(r.getContentAsString()).get("nationalCode").asString();
    }

    private void valid(String schema, String body) {
        JsonSchema s = schemas.getSchema(SchemaLocation.of("https://open311.test/" + schema));
        Set<ValidationMessage> problems = s.validate(body, InputFormat.JSON);
        assertThat(problems).as(schema + " for " + body).isEmpty();
    }

    private String ok(MockHttpServletRequestBuilder b) throws Exception {
        MockHttpServletResponse r = mvc.perform(b).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        return r.getContentAsString(StandardCharsets.UTF_8);
    }

    private static Document xml(String body) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode staff(long id, String action, String body) throws Exception {
        MockHttpServletResponse r = mvc.perform(post("/api/v1/requests/" + id + "/" + action).with(accounts.as(countyUser))
                .with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    @Test
    void theSchemasRefuseWhatGeoReportV2Forbids() {
        // So that "valid" above means something: a status other than open/closed, a missing id.
        JsonSchema s = schemas.getSchema(SchemaLocation.of("https://open311.test/requests.json"));
        assertThat(s.validate("[{\"service_request_id\":\"1\",\"status\":\"pending\",\"service_code\":\"X\","
                + "\"requested_datetime\":\"2026-11-29T10:00:00+08:00\"}]", InputFormat.JSON)).isNotEmpty();
        assertThat(s.validate("[{\"status\":\"open\",\"service_code\":\"X\",\"requested_datetime\":\"2026-11-29T10:00:00+08:00\"}]",
                InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void aClientReportsFollowsRatesAndReopensThroughGeoReportV2() throws Exception {
        JsonNode discovery = json.readTree(ok(get("/open311/v2/discovery.json")));
        assertThat(discovery.get("endpoints").get(0).get("url").asString()).endsWith("/open311/v2");
        assertThat(xml(ok(get("/open311/v2/discovery.xml"))).getDocumentElement().getTagName()).isEqualTo("discovery");

        String services = ok(get("/open311/v2/services.json").param("jurisdiction_id", "gongzhi"));
        valid("services.json", services);
        assertThat(services).contains("ABNORMAL_WATER").contains("COMPLAINT");
        Document servicesXml = xml(ok(get("/open311/v2/services.xml")));
        assertThat(servicesXml.getElementsByTagName("service").getLength()).isGreaterThanOrEqualTo(9);

        String definition = ok(get("/open311/v2/services/ABNORMAL_WATER.json"));
        valid("service-definition.json", definition);
        assertThat(definition).contains("\"code\":\"colour\"").contains("\"key\":\"black\"");
        assertThat(xml(ok(get("/open311/v2/services/ABNORMAL_WATER.xml"))).getElementsByTagName("value").getLength()).isGreaterThan(3);

        // POST without a key: 403 with an Open311 error list, in the format asked for.
        MockHttpServletResponse noKey = mvc.perform(post("/open311/v2/requests.xml").param("service_code", "ABNORMAL_WATER"))
                .andReturn().getResponse();
        assertThat(noKey.getStatus()).isEqualTo(403);
        assertThat(xml(noKey.getContentAsString()).getElementsByTagName("error").getLength()).isEqualTo(1);
        // Bad input: 400 naming the field.
        MockHttpServletResponse bad = mvc.perform(post("/open311/v2/requests.json").param("api_key", apiKey)
                .param("service_code", "ABNORMAL_WATER").param("address_id", outfallCode).param("description", "黑"))
                .andReturn().getResponse();
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.getContentAsString(StandardCharsets.UTF_8)).contains("description").contains("attribute[colour]");

        // The report.
        String created = mvc.perform(post("/open311/v2/requests.json").param("api_key", apiKey).param("jurisdiction_id", "gongzhi")
                .param("service_code", "ABNORMAL_WATER").param("address_id", outfallCode).param("attribute[colour]", "black")
                .param("description", "排污口下游河水发黑发臭").param("email", "citizen@example.org").param("device_id", "phone-1"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        JsonNode c = json.readTree(created).get(0);
        long id = Long.parseLong(c.get("service_request_id").asString());
        String token = c.get("token").asString();
        assertThat(json.readTree(ok(get("/open311/v2/tokens/" + token + ".json"))).get(0).get("service_request_id").asString())
                .isEqualTo(String.valueOf(id));

        String one = ok(get("/open311/v2/requests/" + id + ".json"));
        valid("requests.json", one);
        JsonNode req = json.readTree(one).get(0);
        assertThat(req.get("status").asString()).isEqualTo("open");
        assertThat(req.get("address_id").asString()).isEqualTo(outfallCode);
        assertThat(req.get("agency_responsible").asString()).isEqualTo(county.name());
        assertThat(one).doesNotContain("citizen@example.org");
        Document oneXml = xml(ok(get("/open311/v2/requests/" + id + ".xml")));
        assertThat(oneXml.getElementsByTagName("service_request_id").item(0).getTextContent()).isEqualTo(String.valueOf(id));

        String search = ok(get("/open311/v2/requests.json").param("service_code", "ABNORMAL_WATER").param("status", "open"));
        valid("requests.json", search);
        assertThat(search).contains("\"service_request_id\":\"" + id + "\"");
        assertThat(ok(get("/open311/v2/requests.json").param("service_code", "ABNORMAL_WATER").param("status", "closed")))
                .doesNotContain("\"service_request_id\":\"" + id + "\"");
        assertThat(ok(get("/open311/v2/requests.json").param("service_request_id", id + ",999999999")))
                .contains("\"service_request_id\":\"" + id + "\"");

        // The county bureau sees it with its deadline and answers; the feed shows the answer.
        staff(id, "accept", "{}");
        staff(id, "reply", "{\"reply\": \"已到现场取样，结果待出。\", \"resolved\": false}");
        String start = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).toString();
        String end = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(1).toString();
        String updates = ok(get("/open311/v2/servicerequestupdates.json").param("start_date", start).param("end_date", end));
        assertThat(updates).contains("\"service_request_id\":\"" + id + "\"").contains("\"status\":\"INVESTIGATING\"")
                .contains("\"status\":\"NO_FURTHER_ACTION\"").contains("已到现场取样");

        // Not satisfied: rated and sent back through the feedback extension (the token proves the requester).
        MockHttpServletResponse wrongToken = mvc.perform(post("/open311/v2/requests/" + id + "/feedback.json")
                .param("api_key", apiKey).param("token", "not-the-token").param("rating", "UNSATISFIED")).andReturn().getResponse();
        assertThat(wrongToken.getStatus()).isEqualTo(403);
        String fb = ok(post("/open311/v2/requests/" + id + "/feedback.json").param("api_key", apiKey).param("token", token)
                .param("rating", "UNSATISFIED").param("reopen", "true").param("reason", "仍然发黑"));
        valid("requests.json", fb);
        assertThat(json.readTree(fb).get(0).get("status").asString()).isEqualTo("open");

        // Resolved and closed by the bureau.
        staff(id, "reply", "{\"reply\": \"已封堵偷排暗管，水质恢复。\", \"resolved\": true}");
        staff(id, "close", "{}");
        String closed = ok(get("/open311/v2/requests/" + id + ".json"));
        valid("requests.json", closed);
        assertThat(json.readTree(closed).get(0).get("status").asString()).isEqualTo("closed");
        assertThat(json.readTree(closed).get(0).get("status_notes").asString()).contains("已封堵偷排暗管");
        String later = ok(get("/open311/v2/servicerequestupdates.xml").param("start_date", start).param("end_date", end));
        assertThat(later).contains("<status>FIXED</status>").contains("<status>CLOSED</status>").contains("<status>OPEN</status>");
        assertThat(xml(later).getDocumentElement().getTagName()).isEqualTo("service_request_updates");
    }

    @Test
    void wrongJurisdictionFormatsAndWindowsAreRefusedInOpen311sErrorFormat() throws Exception {
        MockHttpServletResponse jid = mvc.perform(get("/open311/v2/services.json").param("jurisdiction_id", "elsewhere"))
                .andReturn().getResponse();
        assertThat(jid.getStatus()).isEqualTo(404);
        JsonNode err = json.readTree(jid.getContentAsString()).get(0);
        assertThat(err.get("code").asInt()).isEqualTo(404);
        assertThat(err.get("description").asString()).contains("jurisdiction_id");
        assertThat(mvc.perform(get("/open311/v2/services.csv")).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/open311/v2/requests.json").param("start_date", "2026-01-01T00:00:00+08:00")
                .param("end_date", "2026-06-01T00:00:00+08:00")).andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(get("/open311/v2/servicerequestupdates.json")).andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(get("/open311/v2/requests/999999999.json")).andReturn().getResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void anAdministratorAddsACategoryWithItsAttributesAndClientsSeeItAtOnce() throws Exception {
        CurrentUser admin = accounts.existing("admin");
        String code = "FOAM_" + Long.toString(System.nanoTime(), 36).toUpperCase();
        String body = """
                {"code": "%s", "group": "OUTFALL", "nameZh": "水面泡沫", "nameEn": "Foam on the water",
                 "descriptionZh": "排污口附近水面有大量白色泡沫", "descriptionEn": "white foam near an outfall",
                 "responseHours": 4, "resolveAmount": 3, "resolveUnit": "WORKING_DAYS", "reason": "新增派单目录",
                 "attributes": [{"code": "extent", "datatype": "singlevaluelist", "required": true, "order": 1,
                   "description": "泡沫范围 Extent", "values": [{"key": "small", "name": "小片 small"}, {"key": "large", "name": "大片 large"}]}]}"""
                .formatted(code);
        MockHttpServletResponse notAdmin = mvc.perform(post("/api/v1/request-services").with(accounts.as(countyUser)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(notAdmin.getStatus()).isEqualTo(403);
        MockHttpServletResponse bad = mvc.perform(post("/api/v1/request-services").with(accounts.as(admin)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body.replace("singlevaluelist", "dropdown").replace("\"reason\": \"新增派单目录\",", "")))
                .andReturn().getResponse();
        assertThat(bad.getStatus()).isEqualTo(422);
        assertThat(bad.getContentAsString(StandardCharsets.UTF_8)).contains("attributes[0].datatype").contains("\"field\":\"reason\"");
        MockHttpServletResponse created = mvc.perform(post("/api/v1/request-services").with(accounts.as(admin)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);

        assertThat(ok(get("/open311/v2/services.json"))).contains(code);
        String definition = ok(get("/open311/v2/services/" + code + ".json"));
        valid("service-definition.json", definition);
        assertThat(definition).contains("\"code\":\"extent\"");
        // Its deadline is counted in working days, and its required attribute is enforced.
        MockHttpServletResponse missing = mvc.perform(post("/open311/v2/requests.json").param("api_key", apiKey)
                .param("service_code", code).param("address_id", outfallCode).param("description", "水面上有很多白色泡沫"))
                .andReturn().getResponse();
        assertThat(missing.getStatus()).isEqualTo(400);
        assertThat(missing.getContentAsString(StandardCharsets.UTF_8)).contains("attribute[extent]");
    }
}
