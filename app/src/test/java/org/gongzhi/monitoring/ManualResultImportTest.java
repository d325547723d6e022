package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Manual and laboratory results (手工监测、监督监测) import: a real multipart upload is checked row by row and reported
 * (row, column, value, reason) without writing; accept writes exactly the new valid rows in one go, once; a re-import
 * is unchanged, a different MANUAL/LAB value for a stored key is a correction (replaced on accept, the old value audited)
 * while a different SELF value is a conflict; results show in the series API by source; and
 * 无锡 can neither import into nor read 苏州's outfall.
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ManualResultImportTest {

    static final String HEADER = "排污口编码 nationalCode,采样时间 sampledAt,监测因子 factor,监测值 value,单位 unit,"
            + "数据来源 source,采样人 sampler,检测机构 lab,报告编号 reportNo\n";

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;

    CurrentUser suzhou;
    CurrentUser wuxi;
    long szId;
    String szCode;
    String wxCode;

    @BeforeEach
    void setUp() throws Exception {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        JsonNode sz = createOutfall(suzhou, "320506", "结果导入测试排污口");
        szId = sz.get("id").asLong();
        szCode = sz.get("nationalCode").asString();
        wxCode = createOutfall(wuxi, "320205", "无锡结果导入测试排口").get("nationalCode").asString();
    }

    private JsonNode createOutfall(CurrentUser by, String region, String name) throws Exception {
        Organization party = accounts.party(region);
        String body = """
                {"outfall": {"name": "%s", "typeCode": "IND_ENT", "lifecycle": "VERIFIED", "regionCode": "%s",
                 "longitude": 120.6, "latitude": 31.2, "parties": [{"organizationId": %d, "lead": true}]}, "reason": "测试"}"""
                .formatted(name + System.nanoTime(), region, party.id());
        MockHttpServletResponse r = mvc.perform(post("/api/v1/outfalls").with(accounts.as(by)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        return json.readTree(r.getContentAsString());
    }

    private MockHttpServletResponse upload(CurrentUser by, String filename, byte[] content) throws Exception {
        return mvc.perform(multipart("/api/v1/measurements/imports")
                .file(new MockMultipartFile("file", filename, "text/csv", content))
                .with(accounts.as(by)).with(csrf())).andReturn().getResponse();
    }

    private JsonNode check(CurrentUser by, String csv) throws Exception {
        MockHttpServletResponse r = upload(by, "results.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
        return json.readTree(r.getContentAsString());
    }

    private JsonNode accept(CurrentUser by, long id) throws Exception {
        MockHttpServletResponse r = mvc.perform(post("/api/v1/measurements/imports/" + id + "/accept")
                .with(accounts.as(by)).with(csrf())).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    private static JsonNode problemOfRow(JsonNode report, int row) {
        for (JsonNode p : report.get("problems")) {
            if (p.get("row").asInt() == row) {
                return p;
            }
        }
        throw new AssertionError("no problem for row " + row + " in " + report.get("problems"));
    }

    private long stored(long outfallId) {
        return jdbc.sql("SELECT count(*) FROM measurement WHERE outfall_id = ?").param(outfallId).query(Long.class).single();
    }

    private JsonNode series(CurrentUser by, String factor, String source) throws Exception {
        MockHttpServletResponse r = mvc.perform(get("/api/v1/outfalls/" + szId + "/measurements").with(accounts.as(by))
                .param("factor", factor).param("source", source)
                .param("from", "2025-03-01T00:00:00Z").param("to", "2025-03-02T00:00:00Z"))
                .andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return json.readTree(r.getContentAsString());
    }

    @Test
    void theReportNamesRowColumnValueAndReasonAndNothingIsWrittenBeforeAccept() throws Exception {
        String csv = HEADER
                + szCode + ",2025-03-01 10:30,化学需氧量,28.5,mg/L,LAB,张三,苏州市环境监测中心站,SZJC-2025-0301\n" // 2 ok
                + szCode + ",2025-03-01T10:30:00+08:00,w21003,<0.05,mg/L,LAB,张三,苏州市环境监测中心站,SZJC-2025-0301\n" // 3 ok, ND
                + szCode + ",2025/3/1 10:30:00,总磷,120,µg/L,LAB,张三,苏州市环境监测中心站,SZJC-2025-0301\n" // 4 ok, converted
                + "32059900000000,2025-03-01 10:30,COD,30,mg/L,LAB,,,\n" // 5 unknown code
                + wxCode + ",2025-03-01 10:30,COD,30,mg/L,LAB,,,\n" // 6 outside the jurisdiction
                + szCode + ",2025-13-01 10:30,COD,30,mg/L,LAB,,,\n" // 7 bad time
                + szCode + ",2025-03-01 11:00,钡,1.2,mg/L,LAB,,,\n" // 8 unknown factor
                + szCode + ",2025-03-01 11:00,COD,30,ppm,LAB,,,\n" // 9 wrong unit
                + szCode + ",2025-03-01 11:00,氨氮,abc,mg/L,LAB,,,\n" // 10 not a number
                + szCode + ",2025-03-01 09:00,pH,7.2,无量纲,MANUAL,李四,,\n"; // 11 ok, manual
        JsonNode report = check(suzhou, csv);

        JsonNode c = report.get("counts");
        assertThat(c.get("total").asInt()).isEqualTo(10);
        assertThat(c.get("valid").asInt()).isEqualTo(4);
        assertThat(c.get("invalid").asInt()).isEqualTo(6);
        assertThat(c.get("create").asInt()).isEqualTo(4);
        assertThat(report.get("status").asString()).isEqualTo("CHECKED");
        assertThat(report.get("problems")).hasSize(6);

        JsonNode unknown = problemOfRow(report, 5);
        assertThat(unknown.get("field").asString()).isEqualTo("排污口编码 nationalCode");
        assertThat(unknown.get("value").asString()).isEqualTo("32059900000000");
        assertThat(unknown.get("reason_zh").asString()).contains("没有此排污口编码");
        assertThat(unknown.get("reason_en").asString()).contains("no outfall");
        JsonNode foreign = problemOfRow(report, 6);
        assertThat(foreign.get("value").asString()).isEqualTo(wxCode);
        assertThat(foreign.get("reason_en").asString()).contains("outside your jurisdiction");
        JsonNode time = problemOfRow(report, 7);
        assertThat(time.get("field").asString()).isEqualTo("采样时间 sampledAt");
        assertThat(time.get("value").asString()).isEqualTo("2025-13-01 10:30");
        assertThat(time.get("reason_en").asString()).contains("unreadable sampling time");
        JsonNode factor = problemOfRow(report, 8);
        assertThat(factor.get("field").asString()).isEqualTo("监测因子 factor");
        assertThat(factor.get("value").asString()).isEqualTo("钡");
        JsonNode unit = problemOfRow(report, 9);
        assertThat(unit.get("field").asString()).isEqualTo("单位 unit");
        assertThat(unit.get("value").asString()).isEqualTo("ppm");
        assertThat(unit.get("reason_en").asString()).contains("w01018 accepts mg/L");
        JsonNode number = problemOfRow(report, 10);
        assertThat(number.get("field").asString()).isEqualTo("监测值 value");
        assertThat(number.get("value").asString()).isEqualTo("abc");
        assertThat(number.get("reason_zh").asString()).contains("不是数字");

        // nothing written by the check
        assertThat(stored(szId)).isZero();
        long id = report.get("id").asLong();
        JsonNode again = json.readTree(mvc.perform(get("/api/v1/measurements/imports/" + id).with(accounts.as(suzhou)))
                .andReturn().getResponse().getContentAsString());
        assertThat(again.get("counts").get("create").asInt()).isEqualTo(4);
        assertThat(again.get("problems")).hasSize(6);

        JsonNode accepted = accept(suzhou, id);
        assertThat(accepted.get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("written").get("create").asInt()).isEqualTo(4);
        assertThat(stored(szId)).isEqualTo(4);
        // the values, in the factor's HJ 212 unit, with the lab's details beside them
        assertThat(jdbc.sql("SELECT rtd FROM measurement WHERE outfall_id = ? AND factor = 'w21011'").param(szId)
                .query(Double.class).single()).isEqualTo(0.12);
        assertThat(jdbc.sql("SELECT flag FROM measurement WHERE outfall_id = ? AND factor = 'w21003'").param(szId)
                .query(String.class).single()).isEqualTo("ND");
        assertThat(jdbc.sql("SELECT source FROM measurement WHERE outfall_id = ? AND factor = 'w01001'").param(szId)
                .query(String.class).single()).isEqualTo("MANUAL");
        assertThat(jdbc.sql("SELECT lab || '/' || report_no FROM measurement_sample WHERE outfall_id = ? AND factor = 'w01018'")
                .param(szId).query(String.class).single()).isEqualTo("苏州市环境监测中心站/SZJC-2025-0301");
        // one audit entry for the import, with the file's hash and the counts
        List<String> audit = jdbc.sql("SELECT after_json FROM audit_log WHERE entity_type = 'measurement_import' AND entity_id = ?")
                .param(String.valueOf(id)).query(String.class).list();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0)).contains("\"sha256\"").contains("\"create\":4");
        // a batch is accepted once
        MockHttpServletResponse twice = mvc.perform(post("/api/v1/measurements/imports/" + id + "/accept")
                .with(accounts.as(suzhou)).with(csrf())).andReturn().getResponse();
        assertThat(twice.getStatus()).isEqualTo(422);
        assertThat(stored(szId)).isEqualTo(4);

        // visible through the series API by source, and on the outfall's monitoring page
        JsonNode lab = series(suzhou, "w01018", "LAB");
        assertThat(lab.get("kind").asString()).isEqualTo("REALTIME");
        assertThat(lab.get("points")).hasSize(1);
        assertThat(lab.get("points").get(0).get("avg").asDouble()).isEqualTo(28.5);
        assertThat(series(suzhou, "w01018", "MANUAL").get("points")).isEmpty();
        assertThat(series(suzhou, "w01001", "MANUAL").get("points").get(0).get("avg").asDouble()).isEqualTo(7.2);
        String page = mvc.perform(get("/monitoring/outfalls/" + szId).with(accounts.as(suzhou))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("SZJC-2025-0301").contains("苏州市环境监测中心站").contains("化学需氧量");
    }

    @Test
    void aReimportIsUnchangedAReissuedLabResultIsAnAuditedCorrectionAndSelfMonitoringIsNeverRewritten() throws Exception {
        String csv = HEADER
                + szCode + ",2025-03-01 10:30,COD,28.5,mg/L,LAB,张三,监测站,R-1\n"
                + szCode + ",2025-03-01 10:30,NH3-N,0.05L,mg/L,LAB,张三,监测站,R-1\n";
        accept(suzhou, check(suzhou, csv).get("id").asLong());
        assertThat(stored(szId)).isEqualTo(2);

        JsonNode again = check(suzhou, csv);
        assertThat(again.get("counts").get("unchanged").asInt()).isEqualTo(2);
        assertThat(again.get("counts").get("create").asInt()).isZero();
        assertThat(again.get("problems")).isEmpty();
        assertThat(again.get("notices").get(0).get("reason_en").asString()).contains("same file was imported");
        JsonNode written = accept(suzhou, again.get("id").asLong()).get("written");
        assertThat(written.get("create").asInt()).isZero();
        assertThat(written.get("unchanged").asInt()).isEqualTo(2);
        assertThat(stored(szId)).isEqualTo(2);

        // the laboratory reissues its report: 28.5 → 31 for the same key, a correction; the new NH3-N row is fine
        JsonNode fix = check(suzhou, HEADER
                + szCode + ",2025-03-01 10:30,化学需氧量,31,mg/L,LAB,张三,监测站,R-1-更正\n"
                + szCode + ",2025-03-01 12:00,NH3-N,0.41,mg/L,LAB,张三,监测站,R-2\n");
        assertThat(fix.get("counts").get("correct").asInt()).isEqualTo(1);
        assertThat(fix.get("counts").get("conflict").asInt()).isZero();
        assertThat(fix.get("counts").get("create").asInt()).isEqualTo(1);
        assertThat(fix.get("counts").get("valid").asInt()).isEqualTo(2);
        assertThat(fix.get("problems")).isEmpty();
        JsonNode n = fix.get("notices").get(0);
        assertThat(n.get("row").asInt()).isEqualTo(2);
        assertThat(n.get("field").asString()).isEqualTo("监测值 value");
        assertThat(n.get("value").asString()).isEqualTo("31");
        assertThat(n.get("reason_zh").asString()).contains("更正").contains("28.5").contains("审计");
        assertThat(n.get("reason_en").asString()).contains("stored as 28.5").contains("replaces it");
        // checking writes nothing
        assertThat(jdbc.sql("SELECT rtd FROM measurement WHERE outfall_id = ? AND factor = 'w01018'").param(szId)
                .query(Double.class).single()).isEqualTo(28.5);
        long auditBefore = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'CORRECT'").query(Long.class).single();
        JsonNode done = accept(suzhou, fix.get("id").asLong());
        assertThat(done.get("written").get("create").asInt()).isEqualTo(1);
        assertThat(done.get("written").get("correct").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT rtd FROM measurement WHERE outfall_id = ? AND factor = 'w01018'").param(szId)
                .query(Double.class).single()).isEqualTo(31.0);
        assertThat(jdbc.sql("SELECT report_no || ' ' || import_id FROM measurement_sample WHERE outfall_id = ? AND factor = 'w01018'")
                .param(szId).query(String.class).single()).isEqualTo("R-1-更正 " + fix.get("id").asLong());
        assertThat(stored(szId)).isEqualTo(3);
        // one audit entry for the corrected result, with the old value, its report and the user
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'CORRECT'").query(Long.class).single())
                .isEqualTo(auditBefore + 1);
        String entry = jdbc.sql("""
                SELECT actor || ' ' || entity_type || ' ' || entity_id || ' ' || before_json || ' ' || after_json
                FROM audit_log WHERE action = 'CORRECT' ORDER BY id DESC LIMIT 1""").query(String.class).single();
        assertThat(entry).startsWith(suzhou.username() + " measurement " + szId + "/REALTIME/2025-03-01T02:30:00Z/w01018/LAB ")
                .contains("28.5").contains("\"R-1\"").contains("31.0").contains("R-1-更正");

        // a party's self-monitoring is never rewritten by a re-import: a different value stays a conflict
        jdbc.sql("""
                INSERT INTO measurement (outfall_id, kind, data_time, factor, source, rtd, received_at)
                VALUES (?, 'REALTIME', '2025-03-01 02:30:00+00', 'w01018', 'SELF', 18.2, now())""").param(szId).update();
        JsonNode self = check(suzhou, HEADER + szCode + ",2025-03-01 10:30,化学需氧量,9,mg/L,SELF,王化验,本厂化验室,ZX-1\n");
        assertThat(self.get("counts").get("conflict").asInt()).isEqualTo(1);
        assertThat(self.get("counts").get("correct").asInt()).isZero();
        assertThat(problemOfRow(self, 2).get("reason_en").asString()).contains("stored as 18.2").contains("not overwritten");
        assertThat(accept(suzhou, self.get("id").asLong()).get("written").get("conflict").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT rtd FROM measurement WHERE outfall_id = ? AND source = 'SELF'").param(szId)
                .query(Double.class).single()).isEqualTo(18.2);

        // the same key twice in one file: the second row is refused
        JsonNode dup = check(suzhou, HEADER
                + szCode + ",2025-03-02 08:00,COD,10,mg/L,LAB,,,\n"
                + szCode + ",2025-03-02 08:00:00,w01018,10,mg/L,LAB,,,\n");
        assertThat(problemOfRow(dup, 3).get("reason_en").asString()).contains("duplicates row 2");
    }

    @Test
    void aForeignCityCanNeitherImportIntoNorReadAnotherCitysResults() throws Exception {
        String csv = HEADER + szCode + ",2025-03-01 10:30,COD,28.5,mg/L,LAB,张三,监测站,R-1\n";
        JsonNode mine = check(suzhou, csv);
        long id = mine.get("id").asLong();

        // 无锡 uploading 苏州's code: refused row by row, nothing to write
        JsonNode theirs = check(wuxi, csv);
        assertThat(theirs.get("counts").get("create").asInt()).isZero();
        assertThat(problemOfRow(theirs, 2).get("reason_en").asString()).contains("outside your jurisdiction");
        assertThat(theirs.toString()).doesNotContain("结果导入测试排污口");
        accept(wuxi, theirs.get("id").asLong());
        assertThat(stored(szId)).isZero();
        // 苏州's batch is not 无锡's to read or accept
        assertThat(mvc.perform(get("/api/v1/measurements/imports/" + id).with(accounts.as(wuxi))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/api/v1/measurements/imports/" + id + "/accept").with(accounts.as(wuxi)).with(csrf()))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(stored(szId)).isZero();

        accept(suzhou, id);
        assertThat(series(suzhou, "w01018", "LAB").get("points")).hasSize(1);
        MockHttpServletResponse read = mvc.perform(get("/api/v1/outfalls/" + szId + "/measurements").with(accounts.as(wuxi))
                .param("factor", "w01018").param("source", "LAB")).andReturn().getResponse();
        assertThat(read.getStatus()).isEqualTo(404);
        assertThat(read.getContentAsString()).doesNotContain("28.5");
        assertThat(mvc.perform(get("/monitoring/outfalls/" + szId).with(accounts.as(wuxi))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);

        // editors import (and parties their own self-monitoring, see supervision's SelfMonitoringTest): an inspector is refused
        CurrentUser inspector = accounts.user(Role.INSPECTOR, accounts.regulator(Organization.Level.CITY, "320500"));
        assertThat(upload(inspector, "r.csv", csv.getBytes(StandardCharsets.UTF_8)).getStatus()).isEqualTo(403);
        assertThat(mvc.perform(get("/monitoring/import").with(accounts.as(inspector))).andReturn().getResponse().getStatus())
                .isEqualTo(403);
    }

    @Test
    void theImportPageUploadsAnXlsxWithDateCellsReportsAndAccepts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet sheet = wb.createSheet("结果");
            String[] header = HEADER.strip().split(",");
            Row h = sheet.createRow(0);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.createDataFormat().getFormat("yyyy/m/d h:mm"));
            Object[][] rows = {
                    {szCode, LocalDateTime.of(2025, 3, 1, 10, 30), "w01018", 28.5, "mg/L", "LAB"},
                    {szCode, LocalDateTime.of(2025, 3, 1, 10, 30), "总铅", 12.0, "µg/L", "LAB"},
                    {szCode, "昨天", "COD", 1.0, "mg/L", "LAB"}};
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r + 1);
                for (int i = 0; i < rows[r].length; i++) {
                    Object v = rows[r][i];
                    if (v instanceof LocalDateTime t) {
                        row.createCell(i).setCellValue(t);
                        row.getCell(i).setCellStyle(date);
                    } else if (v instanceof Double d) {
                        row.createCell(i).setCellValue(d);
                    } else {
                        row.createCell(i).setCellValue((String) v);
                    }
                }
            }
            wb.write(out);
        }
        assertThat(mvc.perform(get("/monitoring/import").with(accounts.as(suzhou))).andReturn().getResponse()
                .getContentAsString()).contains("id=\"results-file\"").contains("id=\"results-check\"").contains("w01018");
        String page = mvc.perform(multipart("/monitoring/import")
                        .file(new MockMultipartFile("file", "结果.xlsx", "application/octet-stream", out.toByteArray()))
                        .with(accounts.as(suzhou)).with(csrf()))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"results-report\"").contains("id=\"results-counts\"").contains("id=\"results-accept\"")
                .contains("昨天");
        assertThat(page).containsPattern("id=\"results-count-create\">2<");
        assertThat(page).containsPattern("id=\"results-count-invalid\">1<");
        long id = jdbc.sql("SELECT max(id) FROM measurement_import WHERE created_by = ?").param(suzhou.username())
                .query(Long.class).single();
        String accepted = mvc.perform(post("/monitoring/import/" + id + "/accept").with(accounts.as(suzhou)).with(csrf()))
                .andReturn().getResponse().getContentAsString();
        assertThat(accepted).contains("id=\"results-result\"");
        assertThat(series(suzhou, "w20120", "LAB").get("points").get(0).get("avg").asDouble()).isEqualTo(12.0);
        List<Double> cod = new ArrayList<>(jdbc.sql("SELECT rtd FROM measurement WHERE outfall_id = ? AND factor = 'w01018' "
                + "AND data_time = '2025-03-01 10:30:00+08'").param(szId).query(Double.class).list());
        assertThat(cod).containsExactly(28.5);
    }
}
