package org.gongzhi.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.ledger.LedgerImportTest.HEADER;
import static org.gongzhi.ledger.LedgerImportTest.accept;
import static org.gongzhi.ledger.LedgerImportTest.csv;
import static org.gongzhi.ledger.LedgerImportTest.upload;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Exports of a filtered view in three formats, and the round trip export → import that must change nothing. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LedgerExportTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired WaterBodies waterBodies;
    @Autowired Regions regions;
    @Autowired TransactionTemplate tx;

    CurrentUser suzhou;
    CurrentUser wuxi;
    String m;

    @BeforeEach
    void setUp() throws Exception {
        suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        Organization a = accounts.party("320506");
        Organization b = accounts.party("320506");
        m = LedgerImportTest.marker();
        String river = "出口河" + m;
        tx.executeWithoutResult(s -> waterBodies.create(river, WaterBody.Kind.RIVER, Basin.TAIHU, null, "III", "320506", regions));
        String uscc = LedgerImportTest.uscc();
        // a varied little ledger: shared parties with shares, a new party with a credit code, text that needs
        // quoting, an outfall without coordinates, and every optional column used somewhere
        byte[] file = csv(HEADER,
                ",E1" + m + ",吴中区出口甲厂排污口" + m + ",IND_ENT,VERIFIED,320506," + river + ",120.612345,31.201,CLOSED_PIPE,2,1500.5,"
                        + "\"" + a.name() + "; " + b.name() + "\",,\"70; 30\"",
                ",E2" + m + ",\"吴中区出口\"\"乙\"\",丙厂排污口" + m + "\",OTH_RURAL_SCATTERED,SUSPECTED,320506,,,,,,,,,",
                ",,吴中区出口丁厂排污口" + m + ",URBAN_WWTP,UNDER_SUPERVISION,320506,,120.7,31.3,OPEN_CHANNEL,10,20000,"
                        + "=新出口企业" + m + "有限公司," + uscc + ","); // a name Excel would run as a formula
        JsonNode report = json.readTree(upload(mvc, accounts, suzhou, "seed.csv", file).andReturn().getResponse().getContentAsString());
        assertThat(report.at("/counts/create").asInt()).as(report.toString()).isEqualTo(3);
        accept(mvc, accounts, suzhou, report.get("id").asLong()).andExpect(status().isOk());
    }

    private byte[] export(CurrentUser as, String format) throws Exception {
        return mvc.perform(get("/api/v1/outfalls/export." + format).param("q", m).with(accounts.as(as)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment")))
                .andReturn().getResponse().getContentAsByteArray();
    }

    private long versions() {
        return jdbc.sql("SELECT count(*) FROM outfall_version").query(Long.class).single();
    }

    private void assertReimportChangesNothing(String filename, byte[] exported) throws Exception {
        long before = versions();
        JsonNode again = json.readTree(upload(mvc, accounts, suzhou, filename, exported).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString());
        assertThat(again.at("/counts/total").asInt()).as(again.toString()).isEqualTo(3);
        assertThat(again.at("/counts/unchanged").asInt()).as(again.toString()).isEqualTo(3);
        assertThat(again.at("/counts/create").asInt() + again.at("/counts/update").asInt()).isZero();
        accept(mvc, accounts, suzhou, again.get("id").asLong()).andExpect(status().isOk());
        assertThat(versions()).isEqualTo(before);
    }

    @Test
    void csvExportHasABomBilingualHeadersAndImportsBackUnchanged() throws Exception {
        byte[] exported = export(suzhou, "csv");
        assertThat(exported[0] & 0xff).isEqualTo(0xEF);
        assertThat(exported[1] & 0xff).isEqualTo(0xBB);
        assertThat(exported[2] & 0xff).isEqualTo(0xBF);
        String text = new String(exported, 3, exported.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith(HEADER + "\r\n");
        assertThat(text.split("\r\n")).hasSize(4);
        assertThat(text).contains("\"吴中区出口\"\"乙\"\",丙厂排污口" + m + "\"").contains("70; 30").contains("CLOSED_PIPE,CONTINUOUS_PERIODIC,1500.5");
        // a text cell that would be a formula in Excel or WPS is written with a leading apostrophe, and imports back
        assertThat(text).contains(",'=新出口企业" + m + "有限公司,").doesNotContain(",=新出口企业");
        assertReimportChangesNothing("export.csv", exported);
    }

    @Test
    void xlsxExportImportsBackUnchanged() throws Exception {
        byte[] exported = export(suzhou, "xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(exported))) {
            Row header = wb.getSheetAt(0).getRow(0);
            assertThat(header.getCell(0).getStringCellValue()).isEqualTo("排污口编码 nationalCode");
            assertThat(header.getCell(14).getStringCellValue()).isEqualTo("分担比例 partyShare");
            assertThat(wb.getSheetAt(0).getLastRowNum()).isEqualTo(3);
        }
        // a plain ZIP reader (not only Excel and POI) must be able to open it
        int entries = 0;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(exported))) {
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null; entries++) {
                zip.readAllBytes();
            }
        }
        assertThat(entries).isGreaterThan(3);
        assertReimportChangesNothing("export.xlsx", exported);
    }

    @Test
    void geojsonIsAFeatureCollectionOfPointsWithTheSameColumns() throws Exception {
        JsonNode fc = json.readTree(export(suzhou, "geojson"));
        assertThat(fc.get("type").asString()).isEqualTo("FeatureCollection");
        assertThat(fc.get("crs_note").asString()).contains("CGCS2000").contains("WGS 84");
        JsonNode features = fc.get("features");
        assertThat(features.size()).isEqualTo(2); // the outfall without coordinates is left out
        JsonNode f = features.get(0).at("/properties/localCode").asString("").startsWith("E1") ? features.get(0) : features.get(1);
        assertThat(f.get("type").asString()).isEqualTo("Feature");
        assertThat(f.at("/geometry/type").asString()).isEqualTo("Point");
        assertThat(f.at("/geometry/coordinates/0").asDouble()).isEqualTo(120.612345);
        assertThat(f.at("/geometry/coordinates/1").asDouble()).isEqualTo(31.201);
        for (LedgerFileColumn c : LedgerFileColumn.values()) {
            assertThat(f.get("properties").has(c.key())).as(c.key()).isTrue();
        }
        assertThat(f.at("/properties/name").asString()).isEqualTo("吴中区出口甲厂排污口" + m);
        assertThat(f.at("/properties/designCapacity").asDouble()).isEqualTo(1500.5);
        assertThat(f.at("/properties/partyShare").asString()).isEqualTo("70; 30");
    }

    @Test
    void exportsFollowTheFiltersAndAForeignJurisdictionGetsNothingOfAnotherRegion() throws Exception {
        byte[] mine = mvc.perform(get("/api/v1/outfalls/export.csv").param("q", m).param("lifecycle", "SUSPECTED")
                .with(accounts.as(suzhou))).andReturn().getResponse().getContentAsByteArray();
        assertThat(new String(mine, StandardCharsets.UTF_8).split("\r\n")).hasSize(2);
        assertThat(new String(export(wuxi, "csv"), StandardCharsets.UTF_8).split("\r\n")).hasSize(1); // the header only
        assertThat(json.readTree(export(wuxi, "geojson")).get("features").size()).isZero();
        mvc.perform(get("/api/v1/outfalls/export.csv")).andExpect(status().isUnauthorized());
    }
}
