package org.gongzhi.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.UnifiedSocialCreditCode;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ledger import end to end: real CSV and XLSX files uploaded through the API, checked, then accepted; what the
 * ledger holds before and after is read back through the API.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LedgerImportTest {

    static final String HEADER = String.join(",", "排污口编码 nationalCode", "地方编码 localCode", "排污口名称 name",
            "排污口类型 typeCode", "状态 lifecycle", "行政区划代码 regionCode", "受纳水体 waterBody", "经度 longitude",
            "纬度 latitude", "排放方式 dischargeMode", "排放规律 dischargePattern", "设计排放能力 designCapacity",
            "责任主体 partyName", "统一社会信用代码 partyUscc", "分担比例 partyShare");

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired Organizations organizations;
    @Autowired WaterBodies waterBodies;
    @Autowired Regions regions;
    @Autowired TransactionTemplate tx;

    CurrentUser suzhou;
    CurrentUser wuxi;
    Organization party;
    String m;          // a marker that makes this test's names unique in the shared test database
    String river;

    @BeforeEach
    void setUp() {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        party = accounts.party("320506");
        m = marker();
        river = "测试河" + m;
        tx.executeWithoutResult(s -> waterBodies.create(river, WaterBody.Kind.RIVER, Basin.TAIHU, null, "III", "320506", regions));
    }

    // ---- helpers, also used by LedgerExportTest ----------------------------------------------------------------

    static byte[] csv(Charset charset, String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(charset);
    }

    static byte[] csv(String... lines) {
        return csv(StandardCharsets.UTF_8, lines);
    }

    /** An XLSX workbook with one sheet; Numbers become numeric cells, everything else text. */
    static byte[] xlsx(List<List<Object>> rows) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = wb.createSheet("台账");
            for (int r = 0; r < rows.size(); r++) {
                XSSFRow row = sheet.createRow(r);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Object v = rows.get(r).get(c);
                    if (v instanceof Number n) {
                        row.createCell(c).setCellValue(n.doubleValue());
                    } else if (v != null) {
                        row.createCell(c).setCellValue(v.toString());
                    }
                }
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    static ResultActions upload(MockMvc mvc, TestAccounts accounts, CurrentUser user, String filename, byte[] content)
            throws Exception {
        return mvc.perform(multipart("/api/v1/outfalls/imports")
                .file(new MockMultipartFile("file", filename, "application/octet-stream", content))
                .with(accounts.as(user)).with(csrf()));
    }

    static ResultActions accept(MockMvc mvc, TestAccounts accounts, CurrentUser user, long id) throws Exception {
        return mvc.perform(post("/api/v1/outfalls/imports/" + id + "/accept").with(accounts.as(user)).with(csrf()));
    }

    /** A valid, random 统一社会信用代码. */
    static String uscc() {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder sb = new StringBuilder("91320506");
        for (int i = 0; i < 9; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb + String.valueOf(UnifiedSocialCreditCode.checkCharacter(sb.toString()));
    }

    static String marker() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36).toUpperCase();
    }

    private JsonNode read(ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    private JsonNode search(CurrentUser as, String q) throws Exception {
        return read(mvc.perform(get("/api/v1/outfalls").param("q", q).param("size", "500").with(accounts.as(as))));
    }

    private long versions() {
        return jdbc.sql("SELECT count(*) FROM outfall_version").query(Long.class).single();
    }

    private JsonNode problem(JsonNode report, int row, String field) {
        for (JsonNode p : report.get("problems")) {
            if (p.get("row").asInt() == row && p.get("field").asString().equals(field)) {
                return p;
            }
        }
        throw new AssertionError("no problem for row " + row + ", column " + field + " in " + report.get("problems"));
    }

    private String row(String code, String local, String name, String type, String lifecycle, String region,
                       String water, String lon, String lat, String parties, String usccs, String shares) {
        return String.join(",", code, local, name, type, lifecycle, region, water, lon, lat, "CLOSED_PIPE", "1", "500",
                parties, usccs, shares);
    }

    // ---- the tests ---------------------------------------------------------------------------------------------

    @Test
    void reportNamesRowColumnValueAndReasonAndNothingIsWrittenUntilAccepted() throws Exception {
        byte[] file = csv(HEADER,
                row("", "L1", "吴中区甲厂排污口" + m, "IND_ENT", "VERIFIED", "320506", river, "120.61", "31.21", party.name(), "", ""),
                row("", "L2", "吴中区乙厂排污口" + m, "XYZ", "VERIFIED", "320506", "", "abc", "31.2", party.name(), "", ""),
                row("", "L3", "吴中区丙厂排污口" + m, "工业企业排污口", "已核实", "320500", "", "31.2", "120.6", party.name(), "", ""),
                ",,,,,,,,,,,,,,",
                row("", "L5", "", "IND_ENT", "FOUND", "320506", "没有这条河" + m, "", "", party.name(), "", ""));
        long before = versions();
        JsonNode report = read(upload(mvc, accounts, suzhou, "台账.csv", file).andExpect(status().isCreated()));

        assertThat(report.get("filename").asString()).isEqualTo("台账.csv");
        assertThat(report.at("/counts/total").asInt()).isEqualTo(4); // the blank row is not a data row
        assertThat(report.at("/counts/valid").asInt()).isEqualTo(1);
        assertThat(report.at("/counts/invalid").asInt()).isEqualTo(3);
        assertThat(report.at("/counts/create").asInt()).isEqualTo(1);
        JsonNode type = problem(report, 3, "typeCode");
        assertThat(type.get("value").asString()).isEqualTo("XYZ");
        assertThat(type.get("reason_zh").asString()).contains("HJ 1312");
        assertThat(type.get("reason_en").asString()).contains("HJ 1312");
        assertThat(problem(report, 3, "longitude").get("reason_en").asString()).isEqualTo("not a number");
        assertThat(problem(report, 3, "longitude").get("value").asString()).isEqualTo("abc");
        assertThat(problem(report, 4, "regionCode").get("reason_en").asString())
                .isEqualTo("must be a county-level code, not a province or city");
        assertThat(problem(report, 4, "longitude").get("value").asString()).isEqualTo("31.2"); // swapped coordinates
        assertThat(problem(report, 6, "name").get("reason_zh").asString()).isEqualTo("排污口名称必填");
        assertThat(problem(report, 6, "lifecycle").get("value").asString()).isEqualTo("FOUND");
        assertThat(problem(report, 6, "waterBody").get("value").asString()).isEqualTo("没有这条河" + m);

        // checked, kept, but nothing written
        assertThat(search(suzhou, m).get("total").asInt()).isZero();
        assertThat(versions()).isEqualTo(before);
        long id = report.get("id").asLong();
        mvc.perform(get("/api/v1/outfalls/imports/" + id).with(accounts.as(suzhou)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.counts.invalid").value(3))
                .andExpect(jsonPath("$.status").value("CHECKED"));

        // accept writes exactly the valid row
        accept(mvc, accounts, suzhou, id).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ACCEPTED"))
                .andExpect(jsonPath("$.written.create").value(1))
                .andExpect(jsonPath("$.written.invalid").value(3));
        JsonNode found = search(suzhou, m);
        assertThat(found.get("total").asInt()).isEqualTo(1);
        JsonNode o = found.at("/items/0");
        assertThat(o.get("name").asString()).isEqualTo("吴中区甲厂排污口" + m);
        assertThat(o.get("localCode").asString()).isEqualTo("L1");
        assertThat(o.get("nationalCode").asString()).matches("320506G\\d{5}");
        assertThat(o.get("dischargePattern").asString()).isEqualTo("CONTINUOUS_STABLE");
        assertThat(o.at("/parties/0/organizationId").asLong()).isEqualTo(party.id());
        assertThat(versions()).isEqualTo(before + 1);

        // a batch is accepted once
        accept(mvc, accounts, suzhou, id).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        assertThat(search(suzhou, m).get("total").asInt()).isEqualTo(1);
        // one audit entry for the import, saying who, what and why
        String audit = jdbc.sql("SELECT actor || ' ' || reason || ' ' || after_json FROM audit_log WHERE action = 'IMPORT' AND entity_id = ?")
                .param(String.valueOf(id)).query(String.class).single();
        assertThat(audit).startsWith(suzhou.username() + " 导入 import: 台账.csv").contains("\"create\":1");
    }

    @Test
    void importingTheSameFileAgainChangesNothing() throws Exception {
        String lead = uscc();
        Organization second = accounts.party("320506");
        byte[] file = csv(HEADER,
                row("", "A1", "吴中区丁厂排污口" + m, "IND_ENT", "VERIFIED", "320506", river, "120.612345", "31.212345",
                        party.name() + "; " + second.name(), "", "60; 40"),
                row("", "", "吴中区戊村生活污水散排口" + m, "OTH_RURAL_SCATTERED", "SUSPECTED", "320506", "", "", "", "", "", ""),
                row("3205069" + m, "", "吴中区己厂排污口" + m, "IND_ENT", "UNDER_SUPERVISION", "320506", "", "120.5", "31.1",
                        "新企业" + m + "有限公司", lead, ""));
        JsonNode first = read(upload(mvc, accounts, suzhou, "a.csv", file).andExpect(status().isCreated()));
        assertThat(first.at("/counts/create").asInt()).as(first.toString()).isEqualTo(3);
        assertThat(first.at("/counts/newParties").asInt()).isEqualTo(1);
        assertThat(first.get("notices").toString()).contains("新企业" + m + "有限公司").contains("will create the responsible party");
        accept(mvc, accounts, suzhou, first.get("id").asLong()).andExpect(status().isOk());
        Organization created = organizations.findByUscc(lead).orElseThrow();
        assertThat(created.partyType()).isEqualTo(Organization.PartyType.ENTERPRISE);
        assertThat(created.regionCode()).isEqualTo("320506");
        JsonNode shared = search(suzhou, "丁厂排污口" + m).at("/items/0");
        assertThat(shared.at("/parties/0/lead").asBoolean()).isTrue();
        assertThat(shared.at("/parties/0/organizationId").asLong()).isEqualTo(party.id());
        assertThat(shared.at("/parties/0/sharePercent").asDouble()).isEqualTo(60.0);
        assertThat(shared.at("/parties/1/sharePercent").asDouble()).isEqualTo(40.0);
        assertThat(search(suzhou, "3205069" + m).at("/items/0/parties/0/organizationId").asLong()).isEqualTo(created.id());

        long before = versions();
        JsonNode again = read(upload(mvc, accounts, suzhou, "a.csv", file).andExpect(status().isCreated()));
        assertThat(again.at("/counts/unchanged").asInt()).as(again.toString()).isEqualTo(3);
        assertThat(again.at("/counts/create").asInt()).isZero();
        assertThat(again.at("/counts/update").asInt()).isZero();
        assertThat(again.at("/counts/newParties").asInt()).isZero();
        assertThat(again.get("notices").toString()).contains("batch " + first.get("id").asLong());
        accept(mvc, accounts, suzhou, again.get("id").asLong()).andExpect(status().isOk())
                .andExpect(jsonPath("$.written.unchanged").value(3)).andExpect(jsonPath("$.written.create").value(0));
        assertThat(versions()).isEqualTo(before);
        assertThat(search(suzhou, m).get("total").asInt()).isEqualTo(3);
    }

    @Test
    void aChangedRowUpdatesTheOutfallWithTheImportAsReason() throws Exception {
        byte[] v1 = csv(HEADER, row("", "B1", "吴中区庚厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "120.6", "31.2",
                party.name(), "", ""));
        accept(mvc, accounts, suzhou, read(upload(mvc, accounts, suzhou, "v1.csv", v1)).get("id").asLong()).andExpect(status().isOk());
        long id = search(suzhou, m).at("/items/0/id").asLong();

        // matched by local code; the name and state change; columns left out keep their values
        byte[] v2 = csv("地方编码 localCode,name,typeCode,lifecycle,regionCode", "B1,吴中区庚厂1#排污口" + m + ",IND_ENT,已监测,320506");
        JsonNode report = read(upload(mvc, accounts, suzhou, "v2.csv", v2));
        assertThat(report.at("/counts/update").asInt()).as(report.toString()).isEqualTo(1);
        accept(mvc, accounts, suzhou, report.get("id").asLong()).andExpect(status().isOk());
        mvc.perform(get("/api/v1/outfalls/" + id + "/history").with(accounts.as(suzhou)))
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[1].reason").value("导入 import: v2.csv"))
                .andExpect(jsonPath("$[1].snapshot.name").value("吴中区庚厂1#排污口" + m))
                .andExpect(jsonPath("$[1].snapshot.lifecycle").value("MONITORED"))
                .andExpect(jsonPath("$[1].snapshot.longitude").value(120.6))
                .andExpect(jsonPath("$[1].snapshot.parties[0].organizationId").value(party.id()));

        // a state the outfall cannot move back to is refused, row by row
        byte[] v3 = csv("地方编码 localCode,name,typeCode,lifecycle,regionCode", "B1,吴中区庚厂1#排污口" + m + ",IND_ENT,SUSPECTED,320506");
        JsonNode back = read(upload(mvc, accounts, suzhou, "v3.csv", v3));
        assertThat(problem(back, 2, "lifecycle").get("reason_en").asString()).contains("cannot move from MONITORED to SUSPECTED");
    }

    @Test
    void xlsxWithNumericCellsAndChineseOnlyHeadersIsRead() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("排污口名称", "排污口类型", "状态", "行政区划代码", "经度", "纬度", "设计排放能力（m³/d）", "责任主体", "排放规律"));
        rows.add(List.of("吴中区辛厂排污口" + m, "工业企业排污口", "已核实", 320506, 120.6123456, 31.2, 1200, party.name(), 6));
        rows.add(List.of("吴中区壬厂排污口" + m, "IND_ENT", "VERIFIED", 320506, 31.2, 120.6, 1200, party.name(), 11));
        JsonNode report = read(upload(mvc, accounts, suzhou, "workbook.xlsx", xlsx(rows)).andExpect(status().isCreated()));
        assertThat(report.get("format").asString()).isEqualTo("XLSX");
        assertThat(report.at("/counts/create").asInt()).as(report.toString()).isEqualTo(1);
        assertThat(problem(report, 3, "longitude").get("value").asString()).isEqualTo("31.2");
        assertThat(problem(report, 3, "dischargePattern").get("value").asString()).isEqualTo("11");
        accept(mvc, accounts, suzhou, report.get("id").asLong()).andExpect(status().isOk());
        JsonNode o = search(suzhou, m).at("/items/0");
        assertThat(o.get("regionCode").asString()).isEqualTo("320506");
        assertThat(o.get("longitude").asDouble()).isEqualTo(120.612346);
        assertThat(o.get("designCapacity").asDouble()).isEqualTo(1200.0);
        assertThat(o.get("dischargePattern").asString()).isEqualTo("INTERMITTENT_STABLE");
    }

    @Test
    void gb18030CsvIsAccepted() throws Exception {
        Charset gbk = Charset.forName("GB18030");
        byte[] file = csv(gbk, "排污口名称,排污口类型,状态,行政区划代码,受纳水体,责任主体",
                "吴中区癸厂排污口" + m + ",工业企业排污口,已核实,320506," + river + "," + party.name());
        assertThat(new String(file, StandardCharsets.UTF_8)).doesNotContain("排污口"); // really not UTF-8
        JsonNode report = read(upload(mvc, accounts, suzhou, "gbk.csv", file).andExpect(status().isCreated()));
        assertThat(report.at("/counts/create").asInt()).as(report.toString()).isEqualTo(1);
        accept(mvc, accounts, suzhou, report.get("id").asLong()).andExpect(status().isOk());
        assertThat(search(suzhou, m).at("/items/0/name").asString()).isEqualTo("吴中区癸厂排污口" + m);
    }

    @Test
    void duplicateRowsInOneFileAreRefused() throws Exception {
        byte[] file = csv(HEADER,
                row("", "D1", "吴中区子厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "", "", party.name(), "", ""),
                row("", "", "吴中区子厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "", "", party.name(), "", ""));
        JsonNode report = read(upload(mvc, accounts, suzhou, "dup.csv", file));
        assertThat(report.at("/counts/create").asInt()).isEqualTo(1);
        assertThat(problem(report, 3, "name").get("reason_en").asString()).isEqualTo("duplicates row 2 (the same outfall)");
    }

    @Test
    void aForeignJurisdictionCanNeitherImportIntoNorSeeAnotherRegion() throws Exception {
        byte[] mine = csv(HEADER, row("", "F1", "吴中区丑厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "120.6", "31.2",
                party.name(), "", ""));
        JsonNode report = read(upload(mvc, accounts, suzhou, "mine.csv", mine));
        long batch = report.get("id").asLong();
        // another user cannot read or accept someone else's batch
        mvc.perform(get("/api/v1/outfalls/imports/" + batch).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        accept(mvc, accounts, wuxi, batch).andExpect(status().isNotFound());
        accept(mvc, accounts, suzhou, batch).andExpect(status().isOk());
        String code = search(suzhou, m).at("/items/0/nationalCode").asString();

        // Wuxi imports rows in Suzhou: refused row by row, by region and by national code
        byte[] theirs = csv(HEADER,
                row("", "F2", "吴中区寅厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "", "", party.name(), "", ""),
                row(code, "F1", "吴中区丑厂改名" + m, "IND_ENT", "VERIFIED", "320506", "", "", "", party.name(), "", ""),
                row(code, "F1", "锡山区改名" + m, "IND_ENT", "VERIFIED", "320205", "", "", "", party.name(), "", ""));
        JsonNode foreign = read(upload(mvc, accounts, wuxi, "theirs.csv", theirs).andExpect(status().isCreated()));
        assertThat(foreign.at("/counts/valid").asInt()).as(foreign.toString()).isZero();
        assertThat(problem(foreign, 2, "regionCode").get("reason_en").asString()).isEqualTo("this region is outside your jurisdiction");
        assertThat(problem(foreign, 3, "nationalCode").get("reason_en").asString()).contains("outside your jurisdiction");
        assertThat(problem(foreign, 4, "nationalCode").get("reason_en").asString()).contains("outside your jurisdiction");
        accept(mvc, accounts, wuxi, foreign.get("id").asLong()).andExpect(status().isOk())
                .andExpect(jsonPath("$.written.create").value(0)).andExpect(jsonPath("$.written.update").value(0));
        assertThat(search(suzhou, m).at("/items/0/name").asString()).isEqualTo("吴中区丑厂排污口" + m);
        assertThat(search(suzhou, m).get("total").asInt()).isEqualTo(1);

        // party users cannot import at all
        CurrentUser partyUser = accounts.user(Role.PARTY, party);
        upload(mvc, accounts, partyUser, "p.csv", mine).andExpect(status().isForbidden());
    }

    @Test
    void aFileThatIsNotASpreadsheetIsRefusedWithAClearReason() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        upload(mvc, accounts, suzhou, "ledger.xlsx", png).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("file"))
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.startsWith("not a spreadsheet")))
                .andExpect(jsonPath("$.errors[0].reason_zh").value(org.hamcrest.Matchers.startsWith("不是电子表格")));
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        upload(mvc, accounts, suzhou, "ledger.csv", zip).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.startsWith("cannot read this XLSX file")));
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        upload(mvc, accounts, suzhou, "old.xls", xls).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString(".xls")));
        upload(mvc, accounts, suzhou, "notes.csv", csv("Dear colleague,", "please find the ledger attached."))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.startsWith("the first row is not a header")));
        upload(mvc, accounts, suzhou, "extra.csv", csv("name,typeCode,lifecycle,regionCode,颜色 colour", "a,IND_ENT,VERIFIED,320506,red"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.startsWith("unknown columns: 颜色 colour")));
        upload(mvc, accounts, suzhou, "few.csv", csv("name,typeCode", "a,IND_ENT"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString("required columns are missing")));
        upload(mvc, accounts, suzhou, "empty.csv", new byte[0]).andExpect(status().isUnprocessableContent());
        // not an upload at all: a client error, not a server error
        mvc.perform(multipart("/api/v1/outfalls/imports").with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("file"));
        mvc.perform(post("/outfalls/import").with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"import-error\"")));
    }

    @Test
    void theImportPageChecksAndAccepts() throws Exception {
        mvc.perform(get("/outfalls/import").with(accounts.as(suzhou))).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"import-file\"")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"import-check\"")));
        byte[] file = csv(HEADER,
                row("", "P1", "吴中区卯厂排污口" + m, "IND_ENT", "VERIFIED", "320506", "", "", "", party.name(), "", ""),
                row("", "P2", "吴中区辰厂排污口" + m, "NOPE", "VERIFIED", "320506", "", "", "", party.name(), "", ""));
        String page = mvc.perform(multipart("/outfalls/import").file(new MockMultipartFile("file", "page.csv", "text/csv", file))
                        .with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"import-report\"", "id=\"import-counts\"", "id=\"import-accept\"", "NOPE");
        long id = jdbc.sql("SELECT max(id) FROM ledger_import WHERE created_by = ?").param(suzhou.username()).query(Long.class).single();
        assertThat(search(suzhou, m).get("total").asInt()).isZero();
        String done = mvc.perform(post("/outfalls/import/" + id + "/accept").with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(done).contains("id=\"import-result\"").doesNotContain("id=\"import-accept\"");
        assertThat(search(suzhou, m).get("total").asInt()).isEqualTo(1);
    }
}
