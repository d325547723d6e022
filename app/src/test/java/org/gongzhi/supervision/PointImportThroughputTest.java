package org.gongzhi.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local measure of the level-1 point import with its duplicate check, not part of the normal run:
 * {@code mvn -pl app -am test -Dtest=PointImportThroughputTest -Dgongzhi.pointBench=10000 -Dgongzhi.pointBench.ledger=50000
 * -Dsurefire.failIfNoSpecifiedTests=false}. Fills the ledger of one prefecture (through the ledger import) with
 * {@code ledger} outfalls, then imports {@code pointBench} UAV points spread over the same area into a campaign, and
 * prints points per second and how many were flagged as possible duplicates.
 */
@SpringBootTest(properties = {"gongzhi.gateway.port=0", "spring.servlet.multipart.max-file-size=200MB",
        "spring.servlet.multipart.max-request-size=200MB", "gongzhi.ledger.import.max-bytes=200MB"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@EnabledIfSystemProperty(named = "gongzhi.pointBench", matches = "\\d+")
class PointImportThroughputTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;

    private JsonNode call(CurrentUser by, org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder<?> b,
                          int expected) throws Exception {
        MockHttpServletResponse r = mvc.perform(b.with(accounts.as(by)).with(csrf())).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(expected);
        return json.readTree(r.getContentAsString());
    }

    @Test
    void pointImportThroughput() throws Exception {
        int points = Integer.parseInt(System.getProperty("gongzhi.pointBench"));
        int outfalls = Integer.parseInt(System.getProperty("gongzhi.pointBench.ledger", "20000"));
        // 芜湖市 (340200): a prefecture no other test uses
        CurrentUser city = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "340200"));
        String[] counties = {"340202", "340207", "340209", "340210", "340212"};
        Random random = new Random(7);
        String tag = Long.toString(System.nanoTime(), 36);
        StringBuilder ledger = new StringBuilder("排污口名称 name,排污口类型 typeCode,状态 lifecycle,行政区划代码 regionCode,经度 longitude,纬度 latitude\n");
        for (int i = 0; i < outfalls; i++) {
            ledger.append(String.format(Locale.ROOT, "基准%s-%d号排口,OTH_RURAL_SCATTERED,VERIFIED,%s,%.6f,%.6f%n", tag, i,
                    counties[i % counties.length], 118.2 + random.nextDouble() * 0.4, 31.2 + random.nextDouble() * 0.4));
        }
        long t0 = System.nanoTime();
        JsonNode report = call(city, multipart("/api/v1/outfalls/imports").file(new MockMultipartFile("file", "ledger.csv", "text/csv",
                ledger.toString().getBytes(StandardCharsets.UTF_8))), 201);
        call(city, post("/api/v1/outfalls/imports/" + report.get("id").asLong() + "/accept"), 200);
        long t1 = System.nanoTime();

        JsonNode campaign = call(city, post("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON).content("""
                {"name": "基准排查%s", "level": "SELF_CHECK", "regionCode": "340200", "startsOn": "2026-01-01",
                 "endsOn": "2026-12-31", "duplicateRadiusM": 50}""".formatted(tag)), 201);
        StringBuilder csv = new StringBuilder("ref,longitude,latitude,regionCode\n");
        for (int i = 0; i < points; i++) {
            csv.append(String.format(Locale.ROOT, "UAV-%d,%.6f,%.6f,%s%n", i, 118.2 + random.nextDouble() * 0.4,
                    31.2 + random.nextDouble() * 0.4, counties[i % counties.length]));
        }
        long t2 = System.nanoTime();
        JsonNode imported = call(city, multipart("/api/v1/campaigns/" + campaign.get("id").asLong() + "/points/import")
                .file(new MockMultipartFile("file", "uav.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))), 200);
        long t3 = System.nanoTime();
        assertThat(imported.get("created").asInt()).as(imported.toString()).isEqualTo(points);
        System.out.printf(Locale.ROOT, "POINT IMPORT: ledger of %d outfalls loaded in %.1f s; %d points imported in %.1f s = %.0f points/s, "
                        + "%d flagged as possible duplicates (50 m)%n", outfalls, (t1 - t0) / 1e9, points, (t3 - t2) / 1e9,
                points / ((t3 - t2) / 1e9), imported.get("possibleDuplicates").asInt());
    }
}
