package org.gongzhi.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.disclosure.Bureaus;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request channel end to end through the web layer, on the real database: a citizen reports black water with a
 * photo from an outfall's page; the county bureau gets it with its deadlines, answers; the citizen rates the answer
 * unsatisfactory and sends it back; the bureau resolves it and closes it; the metrics count it. Plus routing by pin,
 * transfer, objection, merging, moderation, abuse resistance, and a foreign jurisdiction (无锡) that never sees it.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestsIntegrationTest {

    static final AtomicInteger IP = new AtomicInteger(1);

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired Bureaus bureaus;
    @Autowired StoredFiles files;
    @Autowired AuditLog audit;
    @Autowired WorkingCalendar calendar;
    @Autowired PublicRequests requests;
    @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

    Organization county;
    CurrentUser countyUser;
    CurrentUser cityUser;
    CurrentUser wuxiUser;
    String tag;
    String outfallCode;
    String outfallName;
    static final double LON = 120.7771, LAT = 31.0123;

    @BeforeAll
    void setUp() throws Exception {
        tag = Long.toString(System.nanoTime(), 36);
        // The bureau a request for 吴中区 goes to: the county bureau (one may exist from other tests; else ours).
        county = bureaus.responsibleFor("320506").filter(o -> o.level() == Organization.Level.COUNTY)
                .orElseGet(() -> accounts.regulator(Organization.Level.COUNTY, "320506"));
        countyUser = accounts.user(Role.REGULATOR, county);
        cityUser = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxiUser = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Organization party = accounts.party("320506");
        outfallName = "吴中区诉求测试" + tag + "号排污口";
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(cityUser)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "%s", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320506",
                         "longitude": %s, "latitude": %s, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "排查"}"""
                        .formatted(outfallName, LON, LAT, party.id()))).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        outfallCode = json.readTree(r.getContentAsString()).get("nationalCode").asString();
    }

    /** Each test posts from its own client IP, so that the per-IP limit of one test does not starve another. */
    private static RequestPostProcessor ip(String addr) {
        return req -> {
            req.setRemoteAddr(addr);
            return req;
        };
    }

    private static String newIp() {
        return "10.0.0." + IP.incrementAndGet();
    }

    private MockHttpServletResponse report(String ip, Cookie device, String... fields) throws Exception {
        return report(ip, device, null, fields);
    }

    private MockHttpServletResponse report(String ip, Cookie device, MockMultipartFile photo, String... fields) throws Exception {
        var b = multipart("/report").with(csrf()).with(ip(ip));
        if (photo != null) {
            b.file(photo);
        }
        for (int i = 0; i < fields.length; i += 2) {
            b.param(fields[i], fields[i + 1]);
        }
        if (device != null) {
            b.cookie(device);
        }
        return mvc.perform(b).andReturn().getResponse();
    }

    private static String token(MockHttpServletResponse r) {
        assertThat(r.getStatus()).as(r.getContentAsByteArray().length + " " + safe(r)).isEqualTo(302);
        Matcher m = Pattern.compile("/r/([A-Za-z0-9_-]+)\\?new").matcher(r.getRedirectedUrl());
        assertThat(m.find()).as(r.getRedirectedUrl()).isTrue();
        return m.group(1);
    }

    private static String safe(MockHttpServletResponse r) {
        try {
            return r.getContentAsString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    private String page(MockHttpServletRequestBuilder b) throws Exception {
        MockHttpServletResponse r = mvc.perform(b).andReturn().getResponse();
        assertThat(r.getStatus()).as(safe(r)).isEqualTo(200);
        return r.getContentAsString(StandardCharsets.UTF_8);
    }

    private long idOf(String token) throws Exception {
        Matcher m = Pattern.compile("id=\"request-id\">(\\d+)<").matcher(page(get("/r/" + token)));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private JsonNode api(CurrentUser u, long id) throws Exception {
        MockHttpServletResponse r = mvc.perform(get("/api/v1/requests/" + id).with(accounts.as(u))).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString()).get("request");
    }

    private JsonNode act(CurrentUser u, long id, String action, String body) throws Exception {
        MockHttpServletResponse r = mvc.perform(post("/api/v1/requests/" + id + "/" + action).with(accounts.as(u)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(r.getStatus()).as(action + ": " + r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    private JsonNode metricsRow(CurrentUser u, String by, String key) throws Exception {
        LocalDate today = LocalDate.now(Deadlines.CHINA);
        JsonNode rows = json.readTree(mvc.perform(get("/api/v1/requests/metrics").param("by", by)
                .param("from", today.minusDays(1).toString()).param("to", today.plusDays(1).toString())
                .with(accounts.as(u))).andReturn().getResponse().getContentAsString());
        for (JsonNode row : rows) {
            if (row.get("key").asString().equals(key)) {
                return row;
            }
        }
        return null;
    }

    private static long n(JsonNode row, String field) {
        return row == null ? 0 : row.get(field).asLong();
    }

    @Test
    void blackWaterFromTheOutfallPageGoesToTheCountyAndThroughTheWholeLifecycle() throws Exception {
        String ip = newIp();
        String unit = String.valueOf(county.id());
        JsonNode before = metricsRow(countyUser, "UNIT", unit);

        // The public page offers the button, and the form knows the outfall.
        String outfallPage = page(get("/o/" + outfallCode));
        assertThat(outfallPage).contains(outfallName).contains("/report?outfall=" + outfallCode);
        assertThat(page(get("/report").param("outfall", outfallCode))).contains(outfallName).contains("ABNORMAL_WATER");

        String token = token(report(ip, null, new MockMultipartFile("photo", "IMG_0001.jpg", "image/jpeg", TestImages.jpegWithGps()),
                "outfall", outfallCode, "service", "ABNORMAL_WATER", "attr_ABNORMAL_WATER_colour", "black",
                "attr_ABNORMAL_WATER_smell", "foul", "description", "排污口下游河水发黑发臭，有异味", "phone", "13800138000"));
        long id = idOf(token);

        // The county bureau has it, dispatched at once, with its deadlines (2 h to respond, 24 h to resolve).
        JsonNode r = api(countyUser, id);
        assertThat(r.get("status").asString()).isEqualTo("DISPATCHED");
        assertThat(r.get("assignedOrgId").asLong()).isEqualTo(county.id());
        assertThat(r.get("firstOrgId").asLong()).isEqualTo(county.id());
        assertThat(r.get("routedBy").asString()).isEqualTo("OUTFALL");
        assertThat(r.get("contactPhone").asString()).isEqualTo("13800138000");
        Instant received = Instant.parse(r.get("receivedAt").asString());
        assertThat(Duration.between(received, Instant.parse(r.get("responseDue").asString()))).isEqualTo(Duration.ofHours(2));
        assertThat(Duration.between(received, Instant.parse(r.get("resolveDue").asString()))).isEqualTo(Duration.ofHours(24));
        String list = page(get("/requests").with(accounts.as(countyUser)));
        assertThat(list).contains("data-id=\"" + id + "\"");

        // The photo was re-encoded: still a JPEG, without the EXIF block and its GPS position.
        List<StoredFiles.StoredFile> photos = requests.photos(id);
        assertThat(photos).hasSize(1);
        byte[] stored = files.content(photos.get(0).id());
        assertThat(photos.get(0).contentType()).isEqualTo("image/jpeg");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("GPSLatitude").doesNotContain("Exif");

        // The requester's page shows the progress but never the contact details.
        MockHttpServletResponse followPage = mvc.perform(get("/r/" + token)).andReturn().getResponse();
        assertThat(followPage.getHeader("Referrer-Policy")).as("the token in the URL never leaves in a Referer").isEqualTo("same-origin");
        assertThat(followPage.getContentAsString(StandardCharsets.UTF_8)).contains("已派单").doesNotContain("13800138000");

        // Accept, then answer (not yet solved).
        assertThat(act(countyUser, id, "accept", "{}").get("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(act(countyUser, id, "reply", "{\"reply\": \"已到现场检查，企业称系雨水冲刷。\", \"resolved\": false}")
                .get("status").asString()).isEqualTo("RESPONDED");

        // The citizen is not satisfied and sends it back once: due again in 5 working days of the official calendar.
        mvc.perform(post("/r/" + token + "/rate").param("rating", "UNSATISFIED").with(csrf()).with(ip(ip)));
        assertThat(api(countyUser, id).get("rating").asString()).isEqualTo("UNSATISFIED");
        assertThat(page(get("/r/" + token))).contains("reopen-form");
        mvc.perform(post("/r/" + token + "/reopen").param("reason", "水还是黑的").with(csrf()).with(ip(ip)));
        r = api(countyUser, id);
        assertThat(r.get("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(r.get("reopenCount").asInt()).isEqualTo(1);
        LocalDate due = LocalDate.ofInstant(Instant.parse(r.get("resolveDue").asString()), Deadlines.CHINA);
        assertThat(due).isEqualTo(calendar.addWorkingDays(LocalDate.now(Deadlines.CHINA), 5));

        // The bureau resolves it; a second sending back is refused (once only); the bureau closes it.
        act(countyUser, id, "reply", "{\"reply\": \"已查明偷排暗管并封堵，责令整改。\", \"resolved\": true}");
        mvc.perform(post("/r/" + token + "/rate").param("rating", "UNSATISFIED").with(csrf()).with(ip(ip)));
        String refused = safe(mvc.perform(post("/r/" + token + "/reopen").param("reason", "再退").with(csrf()).with(ip(ip)))
                .andReturn().getResponse());
        assertThat(refused).contains("已退回再办过");
        assertThat(act(countyUser, id, "close", "{\"note\": \"办结\"}").get("status").asString()).isEqualTo("CLOSED");
        assertThat(page(get("/r/" + token))).contains("已办结").contains("已查明偷排暗管并封堵");

        // The metrics count it: one more request, answered, resolved, rated unsatisfied, sent back.
        JsonNode after = metricsRow(countyUser, "UNIT", unit);
        assertThat(n(after, "total") - n(before, "total")).isEqualTo(1);
        assertThat(n(after, "responded") - n(before, "responded")).isEqualTo(1);
        assertThat(n(after, "resolved") - n(before, "resolved")).isEqualTo(1);
        assertThat(n(after, "unsatisfied") - n(before, "unsatisfied")).isEqualTo(1);
        assertThat(n(after, "reopened") - n(before, "reopened")).isEqualTo(1);
        assertThat(after.get("satisfactionRate").isNull()).isFalse();
        assertThat(page(get("/requests/metrics").with(accounts.as(countyUser)))).contains(county.name());

        // Every step is in the audit log, without the contact details.
        List<AuditLog.Entry> entries = audit.forEntity("public_request", String.valueOf(id));
        assertThat(entries).extracting(AuditLog.Entry::action)
                .contains("CREATE", "ACCEPTED", "RESPONDED", "RATED", "REOPENED", "RESOLVED", "CLOSED");
        assertThat(entries).allSatisfy(e -> assertThat(String.valueOf(e.afterJson())).doesNotContain("13800138000"));

        // 无锡 never sees it: 404 for the record, its photo and its actions; absent from its lists.
        for (String path : List.of("/api/v1/requests/" + id, "/requests/" + id, "/requests/" + id + "/photos/" + photos.get(0).id())) {
            assertThat(mvc.perform(get(path).with(accounts.as(wuxiUser))).andReturn().getResponse().getStatus()).as(path).isEqualTo(404);
        }
        assertThat(mvc.perform(post("/api/v1/requests/" + id + "/reply").with(accounts.as(wuxiUser)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{\"reply\": \"越权答复越权答复\"}")).andReturn().getResponse().getStatus())
                .isEqualTo(404);
        assertThat(page(get("/requests").with(accounts.as(wuxiUser)))).doesNotContain("data-id=\"" + id + "\"");
        assertThat(safe(mvc.perform(get("/api/v1/requests").with(accounts.as(wuxiUser))).andReturn().getResponse()))
                .doesNotContain("\"id\":" + id + ",");
        // ...and its batch of 苏州 signboards is empty, while 苏州 gets a PDF.
        assertThat(mvc.perform(get("/signboards.pdf").param("region", "320506").with(accounts.as(wuxiUser)))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        MockHttpServletResponse pdf = mvc.perform(get("/signboards.pdf").param("region", "320506").with(accounts.as(cityUser)))
                .andReturn().getResponse();
        assertThat(pdf.getStatus()).isEqualTo(200);
        assertThat(new String(pdf.getContentAsByteArray(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    }

    @Test
    void aPinIsRoutedByTheNearestOutfallDuplicatesAreSuggestedAndBureausTransferObjectAndMerge() throws Exception {
        String ip = newIp();
        // A pin 150 m from the outfall, without its code: routed to the outfall's county.
        String first = token(report(ip, null, "service", "ILLEGAL_DISCHARGE", "attr_ILLEGAL_DISCHARGE_ongoing", "yes",
                "lat", String.valueOf(LAT + 0.001), "lon", String.valueOf(LON + 0.001), "description", "岸边暗管正在排放黄色污水"));
        long a = idOf(first);
        JsonNode ra = api(countyUser, a);
        assertThat(ra.get("routedBy").asString()).isEqualTo("NEAREST_OUTFALL");
        assertThat(ra.get("regionCode").asString()).isEqualTo("320506");
        assertThat(ra.get("channel").asString()).isEqualTo("WEB");

        // While the next citizen reports the same thing nearby, the form shows it is known.
        String nearby = page(get("/report/nearby").param("service", "ILLEGAL_DISCHARGE")
                .param("lat", String.valueOf(LAT + 0.0012)).param("lon", String.valueOf(LON + 0.0008)).with(ip(ip)));
        assertThat(nearby).contains("duplicates");
        long b = idOf(token(report(ip, null, "service", "ILLEGAL_DISCHARGE", "attr_ILLEGAL_DISCHARGE_ongoing", "unknown",
                "lat", String.valueOf(LAT + 0.0012), "lon", String.valueOf(LON + 0.0008), "description", "同一处暗管排污，气味刺鼻")));
        assertThat(page(get("/requests/" + b).with(accounts.as(countyUser)))).contains("/requests/" + a);

        // The county merges the duplicate into the first: it closes, pointing at the original.
        JsonNode merged = act(countyUser, b, "merge", "{\"into\": " + a + "}");
        assertThat(merged.get("status").asString()).isEqualTo("CLOSED");
        assertThat(merged.get("duplicateOf").asLong()).isEqualTo(a);

        // Transfer to the city with a reason: the county (首接) still sees it and stays accountable.
        Organization city = bureaus.above(county, "320506").orElseThrow();
        JsonNode t = act(countyUser, a, "transfer", "{\"toOrganization\": " + city.id() + ", \"reason\": \"涉及跨区排污，请市局协调\"}");
        assertThat(t.get("assignedOrgId").asLong()).isEqualTo(city.id());
        assertThat(t.get("firstOrgId").asLong()).isEqualTo(county.id());
        assertThat(api(countyUser, a).get("status").asString()).isEqualTo("DISPATCHED");
        // A transfer needs a reason.
        MockHttpServletResponse noReason = mvc.perform(post("/api/v1/requests/" + a + "/transfer").with(accounts.as(countyUser))
                .with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"toOrganization\": " + county.id() + "}"))
                .andReturn().getResponse();
        assertThat(noReason.getStatus()).isEqualTo(422);
        assertThat(noReason.getContentAsString(StandardCharsets.UTF_8)).contains("\"field\":\"reason\"").contains("须说明理由");

        // An objection to a dispatch goes to the level above, which decides (Art 12).
        long c = idOf(token(report(ip, null, "service", "SIGNBOARD_DAMAGED", "outfall", outfallCode,
                "description", "标识牌二维码被涂抹无法扫描")));
        JsonNode o = act(countyUser, c, "object", "{\"reason\": \"该排口标识牌由市局统一设置\"}");
        assertThat(o.get("assignedOrgId").asLong()).isEqualTo(city.id());
        assertThat(o.get("status").asString()).isEqualTo("DISPATCHED");
    }

    @Test
    void badInputGetsBilingualReasonsAndAbuseIsHeldBack() throws Exception {
        String ip = newIp();
        // Missing category and a too-short description: the form comes back naming both fields.
        MockHttpServletResponse bad = report(ip, null, "outfall", outfallCode, "description", "黑");
        assertThat(bad.getStatus()).isEqualTo(200);
        assertThat(safe(bad)).contains("data-field=\"service_code\"").contains("data-field=\"description\"");
        // A required attribute of the category.
        assertThat(safe(report(ip, null, "outfall", outfallCode, "service", "ABNORMAL_WATER", "description", "河水发黑发臭")))
                .contains("data-field=\"attribute[colour]\"");
        // A "photo" that is a PDF is refused by its content.
        assertThat(safe(report(ip, null, new MockMultipartFile("photo", "photo.jpg", "image/jpeg", "%PDF-1.4 not an image".getBytes()),
                "outfall", outfallCode, "service", "SIGNBOARD_DAMAGED", "description", "标识牌倒了")))
                .contains("data-field=\"photo\"").contains("JPEG");
        // No location at all (no outfall, no pin, no county, no default region).
        assertThat(safe(report(ip, null, "service", "COMPLAINT", "description", "某处有异味，不知道具体位置")))
                .contains("data-field=\"lat\"");

        // The honeypot: accepted in appearance, stored nowhere.
        int before = requests.list(new RequestStore.Filter(null, "SUGGESTION", null, false, null, 0, 500), CurrentUser.system()).size();
        MockHttpServletResponse bot = report(ip, null, "outfall", outfallCode, "service", "SUGGESTION",
                "description", "buy cheap pills here", "website", "http://spam.example");
        assertThat(bot.getRedirectedUrl()).isEqualTo("/report/received");
        assertThat(requests.list(new RequestStore.Filter(null, "SUGGESTION", null, false, null, 0, 500), CurrentUser.system()))
                .hasSize(before);

        // One device may file 5 reports an hour, whatever its IP; the 6th is refused with 429.
        Cookie device = new Cookie(CitizenPages.DEVICE_COOKIE, "0123456789abcdef0123456789abcdef".replace("0", tag.substring(0, 1).replaceAll("[^0-9a-f]", "a")));
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            MockHttpServletResponse r = report(newIp(), device, "service", "SUGGESTION", "outfall", outfallCode,
                    "description", "建议在排污口增设视频监控 " + i);
            if (r.getStatus() == 429) {
                refused++;
            }
        }
        assertThat(refused).isEqualTo(1);
        // A POST without the CSRF token is refused (another site cannot file reports in a visitor's name).
        assertThat(mvc.perform(multipart("/report").param("service", "SUGGESTION").with(ip(newIp()))).andReturn().getResponse()
                .getStatus()).isEqualTo(403);
    }

    @Test
    void descriptionsArePublicOnlyAfterModeration() throws Exception {
        String ip = newIp();
        long id = idOf(token(report(ip, null, "outfall", outfallCode, "service", "SUGGESTION",
                "description", "建议公开该排污口的月度监测报告" + tag)));
        // The bureau's moderation queue lists it until someone decides.
        assertThat(page(get("/requests").param("moderation", "PENDING").with(accounts.as(countyUser)))).contains("data-id=\"" + id + "\"");
        String before = safe(mvc.perform(get("/open311/v2/requests/" + id + ".json")).andReturn().getResponse());
        assertThat(before).doesNotContain("月度监测报告" + tag).contains("\"description\":null");
        act(countyUser, id, "moderate", "{\"decision\": \"APPROVED\"}");
        assertThat(page(get("/requests").param("moderation", "PENDING").with(accounts.as(countyUser)))).doesNotContain("data-id=\"" + id + "\"");
        assertThat(safe(mvc.perform(get("/open311/v2/requests/" + id + ".json")).andReturn().getResponse()))
                .contains("月度监测报告" + tag);
        // An inspector reads but cannot act.
        CurrentUser inspector = accounts.user(Role.INSPECTOR, county);
        assertThat(mvc.perform(post("/api/v1/requests/" + id + "/accept").with(accounts.as(inspector)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn().getResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void anOverdueRequestIsFlaggedRemindedAndThenEscalatedToTheLevelAbove() throws Exception {
        String ip = newIp();
        long id = idOf(token(report(ip, null, "outfall", outfallCode, "service", "SIGNBOARD_DAMAGED",
                "description", "标识牌被撞倒在河边")));
        // Received 5 hours ago with a 2-hour response deadline: 3 hours overdue, nobody has responded.
        jdbc.update("UPDATE public_request SET received_at = now() - interval '5 hours', "
                + "response_due = now() - interval '3 hours' WHERE id = ?", id);
        Request r = requests.find(id, countyUser);
        assertThat(r.overdue(Instant.now())).isTrue();
        assertThat(page(get("/requests").param("overdue", "true").with(accounts.as(countyUser)))).contains("data-id=\"" + id + "\"");
        requests.checkDeadlines();
        assertThat(requests.events(id, countyUser)).extracting(RequestEvent::kind).contains(RequestEvent.Kind.REMINDED)
                .doesNotContain(RequestEvent.Kind.ESCALATED);
        // Still open a whole window past the deadline (due 3 h ago, window 2 h): escalated to the city, once.
        requests.checkDeadlines();
        requests.checkDeadlines();
        List<RequestEvent> events = requests.events(id, countyUser);
        assertThat(events).filteredOn(e -> e.kind() == RequestEvent.Kind.ESCALATED).hasSize(1)
                .allSatisfy(e -> assertThat(e.orgId()).isEqualTo(bureaus.above(county, "320506").orElseThrow().id()));
        assertThat(events).filteredOn(e -> e.kind() == RequestEvent.Kind.REMINDED).hasSize(1);
        assertThat(requests.find(id, countyUser).escalatedAt()).isNotNull();
    }

    @Test
    void theBureauSchedulesAnInspectionOfTheOutfallFromTheRequest() throws Exception {
        long id = idOf(token(report(newIp(), null, "outfall", outfallCode, "service", "ILLEGAL_DISCHARGE",
                "attr_ILLEGAL_DISCHARGE_ongoing", "yes", "description", "排污口夜间有异常排放")));
        String day = LocalDate.now(Deadlines.CHINA).plusDays(1).toString();
        act(countyUser, id, "inspect", "{\"day\": \"" + day + "\"}");
        RequestEvent scheduled = requests.events(id, countyUser).stream()
                .filter(e -> e.kind() == RequestEvent.Kind.INSPECTION_SCHEDULED).findFirst().orElseThrow();
        MockHttpServletResponse inspection = mvc.perform(get("/api/v1/inspections/" + scheduled.note())
                .with(accounts.as(countyUser))).andReturn().getResponse();
        assertThat(inspection.getStatus()).as(inspection.getContentAsString()).isEqualTo(200);
        assertThat(inspection.getContentAsString(StandardCharsets.UTF_8)).contains("PUBLIC_REQUEST").contains(String.valueOf(id));
        assertThat(page(get("/requests/" + id).with(accounts.as(countyUser)))).contains("/supervision/inspections/" + scheduled.note());
        // A request about a pin without an outfall cannot be inspected as an outfall: a clear refusal.
        long pin = idOf(token(report(newIp(), null, "service", "COMPLAINT", "region", "320506",
                "description", "小区门口河道有异味，位置不确定")));
        MockHttpServletResponse refused = mvc.perform(post("/api/v1/requests/" + pin + "/inspect").with(accounts.as(countyUser))
                .with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn().getResponse();
        assertThat(refused.getStatus()).isEqualTo(422);
        assertThat(refused.getContentAsString(StandardCharsets.UTF_8)).contains("\"field\":\"outfall\"");
    }
}
