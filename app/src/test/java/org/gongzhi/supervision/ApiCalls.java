package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.security.TestAccounts;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls of the supervision tests: as a user, with the CSRF token, the status checked and the JSON read. */
final class ApiCalls {

    /** A 1×1 PNG, the smallest photo the stored files accept. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private final MockMvc mvc;
    private final TestAccounts accounts;
    private final JsonMapper json;

    ApiCalls(MockMvc mvc, TestAccounts accounts, JsonMapper json) {
        this.mvc = mvc;
        this.accounts = accounts;
        this.json = json;
    }

    MockHttpServletResponse call(CurrentUser by, AbstractMockHttpServletRequestBuilder<?> b) throws Exception {
        return mvc.perform(b.with(accounts.as(by)).with(csrf())).andReturn().getResponse();
    }

    /** Sends a JSON body and expects this status; the answer's JSON, or null when empty. */
    JsonNode send(CurrentUser by, AbstractMockHttpServletRequestBuilder<?> b, String body, int expected) throws Exception {
        MockHttpServletResponse r = call(by, b.contentType(MediaType.APPLICATION_JSON).content(body));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(expected);
        return r.getContentAsString().isEmpty() ? null : json.readTree(r.getContentAsString());
    }

    JsonNode getJson(CurrentUser by, String path) throws Exception {
        MockHttpServletResponse r = call(by, get(path));
        assertThat(r.getStatus()).as(path + " " + r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    /** A page (or fragment) as text, expecting 200. */
    String page(CurrentUser by, String path) throws Exception {
        MockHttpServletResponse r = call(by, get(path));
        assertThat(r.getStatus()).as(path).isEqualTo(200);
        return r.getContentAsString();
    }

    void photo(CurrentUser by, String path) throws Exception {
        MockHttpServletResponse r = call(by, multipart(path).file(new MockMultipartFile("file", "证据.png", "image/png", PNG)));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
    }

    /** A ledger outfall under supervision with one lead party; returns it as the API answers. */
    JsonNode outfall(CurrentUser by, String county, String type, long partyId, String name) throws Exception {
        return send(by, post("/api/v1/outfalls"), """
                {"outfall": {"name": "%s", "typeCode": "%s", "lifecycle": "UNDER_SUPERVISION", "regionCode": "%s",
                 "longitude": 117.3, "latitude": 31.8, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(name, type, county, partyId), 201);
    }
}
