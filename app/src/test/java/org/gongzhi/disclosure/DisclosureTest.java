package org.gongzhi.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public face of an outfall, anonymous, on the real database: its page with the latest values and the 30-day
 * chart from stored measurements, its QR code (decoded back to the URL), its signboard (SVG and PDF read back), and
 * the open data in JSON, CSV and GeoJSON with explicit windows and rate limits.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DisclosureTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired PublicOutfalls outfalls;
    @Autowired Ledger ledger;
    @Autowired OutfallTypes types;
    @Autowired Regions regions;
    @Autowired WaterBodies waterBodies;
    @Autowired MeasurementQueries measurements;
    @Autowired Bureaus bureaus;
    @Autowired org.gongzhi.compliance.OpenFindings findings;
    @Autowired org.gongzhi.approval.PublicLegalBasis legalBasis;
    @Autowired org.gongzhi.compliance.PublicCompliance compliance;
    @Autowired org.gongzhi.supervision.PublicRemediation remediation;

    String code;
    String name;
    Organization party;
    long outfallId;

    @BeforeAll
    void setUp() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        String tag = Long.toString(System.nanoTime(), 36);
        party = accounts.party("320505", "公开测试" + tag + "印染有限公司", null);
        name = "虎丘区公开测试" + tag + "号排污口";
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "%s", "typeCode": "IND_ENT", "lifecycle": "UNDER_SUPERVISION", "regionCode": "320505",
                         "longitude": 120.5432, "latitude": 31.3321, "dischargeMode": "CLOSED_PIPE",
                         "parties": [{"organizationId": %d, "lead": true}]}, "reason": "排查"}""".formatted(name, party.id())))
                .andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        JsonNode o = json.readTree(r.getContentAsString());
        // A second one in the region, so that paging has a next page.
        mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"outfall\": {\"name\": \"" + name + "二\", \"typeCode\": \"IND_ENT\", \"lifecycle\": \"VERIFIED\", "
                        + "\"regionCode\": \"320505\", \"parties\": [{\"organizationId\": " + party.id() + ", \"lead\": true}]}, "
                        + "\"reason\": \"排查\"}"));
        code = o.get("nationalCode").asString();
        outfallId = o.get("id").asLong();
        // Hourly COD values of the last 3 days as the gateway stores them (the monitoring module's table).
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        for (int h = 0; h < 72; h++) {
            Instant t = hour.minus(h, ChronoUnit.HOURS);
            jdbc.update("""
                    INSERT INTO measurement (outfall_id, kind, data_time, factor, source, min, avg, max, received_at)
                    VALUES (?, 'HOUR', ?, 'w01018', 'HJ212', ?, ?, ?, now())""",
                    outfallId, Timestamp.from(t), 20.0 + h % 5, 30.0 + h % 7, 40.0 + h % 3);
        }
        outfalls.evict();
    }

    private static RequestPostProcessor ip(String addr) {
        return req -> {
            req.setRemoteAddr(addr);
            return req;
        };
    }

    /** The response; a streamed download (StreamingResponseBody) completes in an async dispatch. */
    private MockHttpServletResponse call(MockHttpServletRequestBuilder b) throws Exception {
        org.springframework.test.web.servlet.MvcResult r = mvc.perform(b).andReturn();
        if (r.getRequest().isAsyncStarted()) {
            r = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(r)).andReturn();
        }
        return r.getResponse();
    }

    private String ok(MockHttpServletRequestBuilder b) throws Exception {
        MockHttpServletResponse r = call(b);
        assertThat(r.getStatus()).as(r.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        return r.getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void thePublicPageShowsThePublicFieldsTheLatestValuesAndA30DayChartWithoutSignIn() throws Exception {
        MockHttpServletResponse r = call(get("/o/" + code));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getCookie("JSESSIONID")).as("a public page opens no session").isNull();
        String page = r.getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains(name).contains(code).contains(party.name()).contains("苏州市虎丘区").contains("暗管")
                .contains("工业企业").contains("化学需氧量").contains("<polyline").contains("/report?outfall=" + code)
                .contains("达标情况与整治").contains("id=\"latest\"").contains("目前没有未处理的超标或数据异常发现");
        // Without a basemap configured the page carries no script at all (and no map: a pin on nothing says nothing).
        assertThat(page).doesNotContain("<script").doesNotContain("outfall-map");
        // The day means in the table come from the stored hours: today and the two days before.
        assertThat(page.split("<td class=\"num\"").length).isGreaterThan(6);
        // Lower-case codes reach the same page; an unknown code is 404.
        assertThat(ok(get("/o/" + code.toLowerCase()))).contains(name);
        assertThat(call(get("/o/NOSUCHCODE123")).getStatus()).isEqualTo(404);
        // link checkers and chat previews ask with HEAD first
        MockHttpServletResponse head = call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head("/o/" + code));
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(head.getContentType()).startsWith("text/html");
        // English.
        assertThat(ok(get("/o/" + code).param("lang", "en"))).contains("Report a problem").contains("COD");
    }

    @Test
    void onlyTheConfiguredFieldsArePublic() {
        PublicOutfalls onlyType = new PublicOutfalls(ledger, types, regions, waterBodies, measurements, bureaus, findings,
                legalBasis, compliance, remediation, List.of("TYPE"), Duration.ZERO);
        PublicOutfalls.PublicOutfall o = onlyType.find(code).orElseThrow();
        assertThat(o.name()).isEqualTo(name);
        assertThat(o.typeZh()).isNotNull();
        assertThat(o.parties()).isEmpty();
        assertThat(o.longitude()).isNull();
        assertThat(o.regionName()).isNull();
        assertThat(o.latest()).isEmpty();
        assertThat(o.series()).isEmpty();
        assertThat(o.openFindings()).isNull();
        assertThat(o.legalBasis()).isNull();
        assertThat(o.limits()).isNull();
        assertThat(o.complianceSummary()).isNull();
        assertThat(o.remediation()).isNull();
    }

    @Test
    void theQrCodeDecodesToTheStablePublicUrlAndTheSignboardCarriesTheFields() throws Exception {
        MockHttpServletResponse png = call(get("/o/" + code + "/qr.png"));
        assertThat(png.getContentType()).isEqualTo("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.getContentAsByteArray()));
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), pixels)))).getText();
        assertThat(decoded).isEqualTo("http://localhost/o/" + code);

        String svg = ok(get("/o/" + code + "/signboard.svg"));
        assertThat(svg).startsWith("<svg").contains("width=\"480mm\" height=\"300mm\"").contains(name).contains(code)
                .contains(party.name()).contains("监督举报电话").contains("12369");

        MockHttpServletResponse pdf = call(get("/o/" + code + "/signboard.pdf"));
        assertThat(pdf.getContentType()).isEqualTo("application/pdf");
        try (PDDocument doc = Loader.loadPDF(pdf.getContentAsByteArray())) {
            PDRectangle box = doc.getPage(0).getMediaBox();
            assertThat(box.getWidth() / 72 * 25.4).isCloseTo(480, org.assertj.core.data.Offset.offset(1.0));
            assertThat(box.getHeight() / 72 * 25.4).isCloseTo(300, org.assertj.core.data.Offset.offset(1.0));
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("入河排污口标识牌").contains(code).contains(party.name()).contains("监督举报电话");
        }
    }

    @Test
    void openDataPagesWithStableIdsAndExplicitWindowsInJsonCsvAndGeoJson() throws Exception {
        String ipAddr = "10.1.0.1";
        JsonNode page = json.readTree(ok(get("/api/v1/open/outfalls").param("region", "320505").param("size", "500").with(ip(ipAddr))));
        JsonNode mine = null;
        for (JsonNode item : page.get("items")) {
            if (item.get("id").asString().equals(code)) {
                mine = item;
            }
        }
        assertThat(mine).as("the outfall is in the open list of its region").isNotNull();
        assertThat(mine.get("name").asString()).isEqualTo(name);
        assertThat(mine.get("page_url").asString()).endsWith("/o/" + code);
        assertThat(mine.has("id")).isTrue();
        assertThat(call(get("/api/v1/open/outfalls").param("region", "3205").with(ip(ipAddr))).getStatus()).isEqualTo(422);
        JsonNode first = json.readTree(ok(get("/api/v1/open/outfalls").param("region", "320505").param("size", "1").with(ip(ipAddr))));
        assertThat(first.get("items")).hasSize(1);
        assertThat(first.get("next").asString()).contains("page=1");

        // A daily series needs its window: without it, 422 naming both fields; with it, the day means.
        MockHttpServletResponse noWindow = call(get("/api/v1/open/outfalls/" + code + "/daily").with(ip(ipAddr)));
        assertThat(noWindow.getStatus()).isEqualTo(422);
        assertThat(noWindow.getContentAsString(StandardCharsets.UTF_8)).contains("\"field\":\"from\"").contains("\"field\":\"to\"")
                .contains("没有默认时间窗口");
        LocalDate today = LocalDate.now(PublicOutfalls.CHINA);
        JsonNode daily = json.readTree(ok(get("/api/v1/open/outfalls/" + code + "/daily")
                .param("from", today.minusDays(5).toString()).param("to", today.toString()).with(ip(ipAddr))));
        assertThat(daily.get("items").size()).isBetween(3, 4);
        assertThat(daily.get("items").get(0).get("factor").asString()).isEqualTo("w01018");
        assertThat(daily.get("items").get(0).get("values").asInt()).isBetween(1, 24);
        assertThat(call(get("/api/v1/open/outfalls/" + code + "/daily").param("from", "2020-01-01").param("to", "2026-01-01")
                .with(ip(ipAddr))).getStatus()).isEqualTo(422);
        String dailyCsv = ok(get("/api/v1/open/outfalls/" + code + "/daily.csv").param("from", today.minusDays(5).toString())
                .param("to", today.toString()).with(ip(ipAddr)));
        assertThat(dailyCsv).contains("id,day,factor").contains(code + "," + today);

        String csv = ok(get("/api/v1/open/outfalls.csv").param("region", "320505").with(ip("10.1.0.2")));
        assertThat(csv).startsWith("\uFEFFid,name,type").contains(code + "," + name);
        JsonNode geo = json.readTree(ok(get("/api/v1/open/outfalls.geojson").param("region", "320505").with(ip("10.1.0.2"))));
        assertThat(geo.get("type").asString()).isEqualTo("FeatureCollection");
        boolean found = false;
        for (JsonNode f : geo.get("features")) {
            if (f.get("id").asString().equals(code)) {
                found = true;
                assertThat(f.get("geometry").get("coordinates").get(0).asDouble()).isEqualTo(120.5432);
            }
        }
        assertThat(found).isTrue();
        String bulk = ok(get("/api/v1/open/daily.csv").param("region", "320505").param("from", today.minusDays(2).toString())
                .param("to", today.toString()).with(ip("10.1.0.2")));
        assertThat(bulk).contains(code + ",");
    }

    @Test
    void openDataIsRateLimitedPerClient() throws Exception {
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            MockHttpServletResponse r = call(get("/api/v1/open/outfalls.csv").param("region", "320505").with(ip("10.1.0.9")));
            if (r.getStatus() == 429) {
                limited++;
                assertThat(r.getHeader("Retry-After")).isNotNull();
            }
        }
        assertThat(limited).as("6 bulk downloads a minute per client").isEqualTo(2);
        // Another client is not held back.
        assertThat(call(get("/api/v1/open/outfalls.csv").param("region", "320505").with(ip("10.1.0.10"))).getStatus()).isEqualTo(200);
    }

    @Autowired org.gongzhi.approval.Approvals approvals;
    @Autowired Signboards signboards;
    @Autowired PublicLinks links;
    @Autowired org.thymeleaf.ITemplateEngine templates;
    @Autowired org.springframework.transaction.support.TransactionTemplate tx;

    private static final byte[] PDF = "%PDF-1.4\n% test material\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * An outfall approved with limits and under a remediation plan: its page shows the decision number, the limits
     * with their source, the 12-month summary and the plan, in Chinese and English; the signboard and open data carry
     * the decision number (and the limits); and with those fields switched off they are gone from page and board.
     */
    @Test
    void anApprovedOutfallUnderRemediationShowsItsLegalBasisLimitsComplianceAndRemediation() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        CurrentUser partyUser = accounts.user(Role.PARTY, party);
        String tag = Long.toString(System.nanoTime(), 36);
        long river = tx.execute(st -> waterBodies.create("公开审批测试河" + tag, org.gongzhi.platform.WaterBody.Kind.RIVER,
                org.gongzhi.platform.Basin.TAIHU, null, "III", "320505", regions)).id();
        var c = approvals.apply(new org.gongzhi.approval.Approvals.ApplicationInput("APPROVAL", "NEW", null, null, null,
                "公开审批测试" + tag + "号排污口", "IND_ENT", "320505", river, 120.55, 31.33, "CLOSED_PIPE", "CONTINUOUS_STABLE",
                "吴淞江", new java.math.BigDecimal("600"), "测试项目", "苏环建〔2026〕1号", "纺织", false, null, List.of(), List.of(),
                null), partyUser);
        approvals.addMaterial(c.id(), "BRIEF_ANALYSIS", "a.pdf", PDF, partyUser);
        approvals.addMaterial(c.id(), "PROJECT_BASIS", "b.pdf", PDF, partyUser);
        var accepted = approvals.accept(c.id(), approvals.find(c.id(), suzhou).version(), suzhou);
        var approved = approvals.approve(c.id(), accepted.version(), new org.gongzhi.approval.Approvals.DecisionInput(null, null,
                null, new java.math.BigDecimal("600"), null, List.of(new org.gongzhi.approval.ApprovalDecided.DecidedLimit("w01018",
                "DAILY_MEAN", "LE", new java.math.BigDecimal("50"), null, null, "mg/L")), null), suzhou);
        long id = approved.outfallId();
        String number = approved.decisionNumber();
        String approvedCode = ledger.find(id, suzhou).nationalCode();
        // The decision's limits arrive after commit (compliance listens to ApprovalDecided).
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (compliance.limitsInForce(id, LocalDate.now(PublicOutfalls.CHINA)).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        // Today's hourly COD, so that the 12-month summary has a row.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        for (int h = 0; h < 3; h++) {
            jdbc.update("""
                    INSERT INTO measurement (outfall_id, kind, data_time, factor, source, min, avg, max, received_at)
                    VALUES (?, 'HOUR', ?, 'w01018', 'HJ212', 20, 30, 40, now())""", id, Timestamp.from(hour.minus(h, ChronoUnit.HOURS)));
        }
        LocalDate deadline = LocalDate.now(PublicOutfalls.CHINA).plusDays(60);
        MockHttpServletResponse plan = call(post("/api/v1/remediation-plans").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfallId": %d, "action": "REGULARIZE", "measures": "规范化建设", "deadline": "%s", "accountableId": %d}"""
                        .formatted(id, deadline, party.id())));
        assertThat(plan.getStatus()).as(plan.getContentAsString()).isEqualTo(201);
        outfalls.evict();

        String zh = ok(get("/o/" + approvedCode));
        assertThat(zh).contains("审批决定书文号").contains(number).contains("新设")
                .contains("id=\"limits\"").contains("<caption>现行排放限值").contains("化学需氧量").contains("≤ 50 mg/L")
                .contains("日均值").contains("审批决定书")
                .contains("近12个月达标情况").contains("id=\"compliance-summary\"").contains("达标 1 个月")
                .contains("整治进展").contains("规范整治").contains(deadline.toString()).contains("整治中")
                .contains("没有未完成的整改通知").doesNotContain("规范化建设");
        String en = ok(get("/o/" + approvedCode).param("lang", "en"));
        assertThat(en).contains("Approval decision").contains(number).contains("Limits in force").contains("COD")
                .contains("daily mean").contains("Compliance over the last 12 months").contains("1 months compliant")
                .contains("Remediation").contains("regularize").contains("in progress");

        assertThat(signboards.svg(outfalls.find(approvedCode).orElseThrow(), "http://x/o/" + approvedCode))
                .contains("审批决定书文号").contains(number);
        JsonNode open = json.readTree(ok(get("/api/v1/open/outfalls/" + approvedCode).with(ip("10.1.0.20"))));
        assertThat(open.get("legal_basis_kind").asString()).isEqualTo("APPROVAL");
        assertThat(open.get("legal_basis_number").asString()).isEqualTo(number);
        assertThat(open.get("limits").get(0).get("factor").asString()).isEqualTo("w01018");
        assertThat(open.get("limits").get(0).get("source").asString()).isEqualTo("DECISION");
        assertThat(open.get("limits").get(0).get("clause").asString()).isEqualTo(number);
        String csv = ok(get("/api/v1/open/outfalls.csv").param("region", "320505").with(ip("10.1.0.21")));
        assertThat(csv.lines().filter(l -> l.startsWith(approvedCode + ",")).findFirst().orElseThrow())
                .contains(number).contains("w01018 DAILY_MEAN LE 50 mg/L DECISION " + number);

        // Switched off in configuration: gone from the page and the signboard.
        List<String> fewer = java.util.Arrays.stream(PublicOutfalls.DEFAULT_FIELDS.split(","))
                .filter(f -> !List.of("LEGAL_BASIS", "LIMITS", "COMPLIANCE_SUMMARY", "REMEDIATION").contains(f)).toList();
        PublicOutfalls restricted = new PublicOutfalls(ledger, types, regions, waterBodies, measurements, bureaus, findings,
                legalBasis, compliance, remediation, fewer, Duration.ZERO);
        String page = new String(new PublicPages(restricted, signboards, links, ledger, templates, "", "")
                .page(approvedCode, java.util.Locale.SIMPLIFIED_CHINESE, new org.springframework.mock.web.MockHttpServletRequest()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(page).contains("公开审批测试" + tag).contains("化学需氧量").doesNotContain(number).doesNotContain("现行排放限值")
                .doesNotContain("近12个月达标情况").doesNotContain("整治进展");
        assertThat(signboards.svg(restricted.find(approvedCode).orElseThrow(), "http://x")).doesNotContain(number);
        assertThat(PublicField.parse("legalBasis")).isEqualTo(PublicField.LEGAL_BASIS);
        assertThat(PublicField.parse("complianceSummary")).isEqualTo(PublicField.COMPLIANCE_SUMMARY);
    }

    /** A crowd never waits for the database: an expired record is served once more while it is read again. */
    @Test
    void anExpiredRecordIsServedWhileItIsReadAgainInTheBackground() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        MockHttpServletResponse r = call(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "%s缓存", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "320505",
                         "parties": [{"organizationId": %d, "lead": true}]}, "reason": "排查"}""".formatted(name, party.id())));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        JsonNode created = json.readTree(r.getContentAsString());
        String cachedCode = created.get("nationalCode").asString();
        PublicOutfalls quick = new PublicOutfalls(ledger, types, regions, waterBodies, measurements, bureaus, findings,
                legalBasis, compliance, remediation, List.of("MONITORING"), Duration.ofMillis(200));
        PublicOutfalls.PublicOutfall first = quick.find(cachedCode).orElseThrow();
        assertThat(first.latest()).isEmpty();
        jdbc.update("""
                INSERT INTO measurement (outfall_id, kind, data_time, factor, source, min, avg, max, received_at)
                VALUES (?, 'HOUR', ?, 'w21003', 'HJ212', 1, 2, 3, now())""", created.get("id").asLong(),
                Timestamp.from(Instant.now().truncatedTo(ChronoUnit.HOURS)));
        Thread.sleep(300);
        assertThat(quick.find(cachedCode).orElseThrow()).as("expired: the previous record, at once").isSameAs(first);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        PublicOutfalls.PublicOutfall next = first;
        while (next == first && System.nanoTime() < until) {
            Thread.sleep(50);
            next = quick.find(cachedCode).orElseThrow();
        }
        assertThat(next.latest()).as("read again in the background").extracting(PublicOutfalls.Latest::factor)
                .containsExactly("w21003");
    }
}
