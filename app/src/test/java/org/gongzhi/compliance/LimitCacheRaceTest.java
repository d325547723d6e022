package org.gongzhi.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limit cache against an evaluation running while a limit is being added: the evaluation (another thread) fills
 * the cache from the committed rows in the middle of the adding transaction. The transaction still reads its own new
 * limit, and after it commits everyone does (this failed as NoSuchElementException in Compliance.addOutfallLimit).
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LimitCacheRaceTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired JsonMapper json;
    @Autowired StandardPacks packs;
    @Autowired TransactionTemplate tx;

    @Test
    void aTransactionReadsTheLimitItAddedEvenWhenAnEvaluationRefilledTheCacheMeanwhile() throws Exception {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        var created = mvc.perform(post("/api/v1/outfalls").with(accounts.as(suzhou)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outfall": {"name": "限值缓存测试排污口%d", "typeCode": "IND_ENT", "lifecycle": "VERIFIED",
                         "regionCode": "320506"}, "reason": "测试"}""".formatted(System.nanoTime())))
                .andExpect(status().isCreated()).andReturn();
        long outfall = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        assertThat(packs.outfallLimits(outfall)).isEmpty();

        Limit cod = new Limit(null, null, null, null, null, "w01018", Limit.Statistic.DAILY_MEAN, Limit.Comparison.LE,
                new BigDecimal("50"), null, null, "mg/L", Limit.Condition.NONE, "all", Limit.Source.PERMIT, "排污许可证",
                null, LocalDate.of(2026, 1, 1), null);
        tx.executeWithoutResult(s -> {
            long id = packs.addOutfallLimit(outfall, cod, "test", java.time.Instant.now(), "测试");
            // an evaluation on another thread reads the limits now: it sees the committed rows (none) and caches them
            assertThat(CompletableFuture.supplyAsync(() -> packs.outfallLimits(outfall)).join()).isEmpty();
            assertThat(packs.outfallLimits(outfall)).extracting(Limit::outfallLimitId).containsExactly(id);
        });
        assertThat(CompletableFuture.supplyAsync(() -> packs.outfallLimits(outfall)).join())
                .extracting(Limit::factor).containsExactly("w01018");
    }
}
