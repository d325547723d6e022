package org.gongzhi.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A quick local measure of import throughput, not part of the normal run (the official benchmark lives in bench/):
 * {@code mvn -pl app -am test -Dtest=LedgerImportThroughputTest -Dgongzhi.importBench=50000
 * -Dspring.servlet.multipart.max-file-size=200MB -Dspring.servlet.multipart.max-request-size=200MB
 * -Dgongzhi.ledger.import.max-bytes=200MB}. Generates a CSV of new outfalls in the counties of one city, uploads
 * it, accepts it, then imports it again (all unchanged), and prints rows per second for each step.
 */
@SpringBootTest(properties = {"spring.servlet.multipart.max-file-size=200MB", "spring.servlet.multipart.max-request-size=200MB",
        "gongzhi.ledger.import.max-bytes=200MB"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@EnabledIfSystemProperty(named = "gongzhi.importBench", matches = "\\d+")
class LedgerImportThroughputTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired WaterBodies waterBodies;
    @Autowired Regions regions;
    @Autowired TransactionTemplate tx;

    @Test
    void importThroughput() throws Exception {
        int n = Integer.parseInt(System.getProperty("gongzhi.importBench"));
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        String m = LedgerImportTest.marker();
        List<String> rivers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "基准河" + m + i;
            tx.executeWithoutResult(s -> waterBodies.create(name, WaterBody.Kind.RIVER, Basin.TAIHU, null, "III", "320506", regions));
            rivers.add(name);
        }
        String[] counties = {"320505", "320506", "320507", "320508", "320509"};
        List<String> parties = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            parties.add(accounts.party(counties[i % counties.length]).name());
        }
        String[] types = {"IND_ENT", "IND_ENT_STORM", "URBAN_WWTP", "OTH_RURAL_SCATTERED", "AGR_LIVESTOCK", "OTH_URBAN_STORM"};
        String[] lifecycles = {"SUSPECTED", "VERIFIED", "MONITORED", "UNDER_SUPERVISION"};
        Random random = new Random(42);
        StringBuilder sb = new StringBuilder(n * 200).append(LedgerImportTest.HEADER).append("\r\n");
        for (int i = 0; i < n; i++) {
            String county = counties[i % counties.length];
            sb.append(",").append("BM").append(m).append('-').append(i).append(",基准排污口").append(m).append('-').append(i)
                    .append(',').append(types[i % types.length]).append(',').append(lifecycles[i % lifecycles.length])
                    .append(',').append(county).append(',').append(rivers.get(i % rivers.size()))
                    .append(',').append(String.format("%.6f", 120.3 + random.nextDouble() * 0.6))
                    .append(',').append(String.format("%.6f", 31.0 + random.nextDouble() * 0.5))
                    .append(",CLOSED_PIPE,").append(1 + i % 10).append(',').append(100 + i % 5000)
                    .append(',').append(parties.get(i % parties.size())).append(",,\r\n");
        }
        byte[] file = sb.toString().getBytes(StandardCharsets.UTF_8);

        long t0 = System.nanoTime();
        JsonNode report = json.readTree(LedgerImportTest.upload(mvc, accounts, suzhou, "bench.csv", file)
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        long t1 = System.nanoTime();
        assertThat(report.at("/counts/create").asInt()).as(report.get("problems").toString()).isEqualTo(n);
        LedgerImportTest.accept(mvc, accounts, suzhou, report.get("id").asLong()).andExpect(status().isOk());
        long t2 = System.nanoTime();
        JsonNode again = json.readTree(LedgerImportTest.upload(mvc, accounts, suzhou, "bench.csv", file)
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        long t3 = System.nanoTime();
        assertThat(again.at("/counts/unchanged").asInt()).isEqualTo(n);
        LedgerImportTest.accept(mvc, accounts, suzhou, again.get("id").asLong()).andExpect(status().isOk());
        long t4 = System.nanoTime();
        System.out.printf("%nIMPORT BENCH rows=%d file=%.1f MB%n  check %.1f s (%.0f rows/s)%n  accept %.1f s (%.0f rows/s)%n"
                        + "  check+accept %.1f s (%.0f rows/s)%n  re-import check %.1f s, accept %.1f s (%.0f rows/s, all unchanged)%n",
                n, file.length / 1e6, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, n / ((t2 - t1) / 1e9),
                (t2 - t0) / 1e9, n / ((t2 - t0) / 1e9), (t3 - t2) / 1e9, (t4 - t3) / 1e9, n / ((t4 - t2) / 1e9));
    }
}
