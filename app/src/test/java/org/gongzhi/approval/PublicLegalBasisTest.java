package org.gongzhi.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The public legal basis of an outfall: the latest approval decision (a later 扩大 decision replaces the first), a
 * confirmed registration with its 登记编号, nothing while a case is open, and nothing after a confirmed cancellation.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PublicLegalBasisTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final byte[] PDF = "%PDF-1.4\n% test material\n".getBytes(StandardCharsets.US_ASCII);

    @Autowired Approvals approvals;
    @Autowired PublicLegalBasis legalBasis;
    @Autowired TestAccounts accounts;
    @Autowired WaterBodies waterBodies;
    @Autowired Regions regions;
    @Autowired TransactionTemplate tx;

    @AfterEach
    void resetClock() {
        approvals.clock(Clock.system(Approvals.CHINA));
    }

    void on(String date) {
        approvals.clock(Clock.fixed(LocalDate.parse(date).atTime(10, 0).atZone(Approvals.CHINA).toInstant(), Approvals.CHINA));
    }

    static ApprovalDecided.DecidedLimit cod(String value) {
        return new ApprovalDecided.DecidedLimit("w01018", "DAILY_MEAN", "LE", new BigDecimal(value), null, null, "mg/L");
    }

    @Test
    void theLatestDecisionOrRegistrationIsInForceUntilACancellation() {
        CurrentUser suzhou = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        Organization partyOrg = accounts.party("320506");
        CurrentUser party = accounts.user(Role.PARTY, partyOrg);
        WaterBody river = tx.execute(s -> waterBodies.create("公开依据测试河" + SEQ.incrementAndGet() + System.nanoTime(),
                WaterBody.Kind.RIVER, Basin.TAIHU, null, "III", "320506", regions));

        on("2026-06-01");
        ApprovalCase c = approvals.apply(new Approvals.ApplicationInput("APPROVAL", "NEW", null, null, null,
                "公开依据测试排污口" + SEQ.incrementAndGet(), "IND_ENT", "320506", river.id(), 120.61, 31.25, "CLOSED_PIPE",
                "CONTINUOUS_STABLE", "太湖支流", new BigDecimal("800"), "精细化工项目", "苏环建〔2026〕12号", "纺织", false, null,
                List.of(), List.of(), null), party);
        approvals.addMaterial(c.id(), "BRIEF_ANALYSIS", "a.pdf", PDF, party);
        approvals.addMaterial(c.id(), "PROJECT_BASIS", "b.pdf", PDF, party);
        ApprovalCase accepted = approvals.accept(c.id(), approvals.find(c.id(), suzhou).version(), suzhou);
        ApprovalCase approved = approvals.approve(c.id(), accepted.version(), new Approvals.DecisionInput(null, "CLOSED_PIPE",
                "太湖支流", new BigDecimal("750"), null, List.of(cod("50")), null), suzhou);
        long outfall = approved.outfallId();

        PublicLegalBasis.InForce first = legalBasis.of(outfall).orElseThrow();
        assertThat(first.kind()).isEqualTo(PublicLegalBasis.Kind.APPROVAL);
        assertThat(first.number()).isEqualTo(approved.decisionNumber()).contains("审〔2026〕");
        assertThat(first.date()).isEqualTo(LocalDate.parse("2026-06-01"));
        assertThat(first.authority()).contains("苏州市").endsWith("生态环境局");
        assertThat(first.settingType()).isEqualTo(ApprovalCase.SettingType.NEW);

        // An enlargement under review changes nothing; once decided, its decision is the one in force.
        on("2026-07-01");
        ApprovalCase expand = approvals.apply(new Approvals.ApplicationInput("APPROVAL", "EXPAND", null, null, outfall, null,
                null, null, null, null, null, null, null, "太湖支流", new BigDecimal("900"), "二期", "苏环建〔2026〕30号", "纺织",
                false, null, List.of(), List.of(), null), party);
        approvals.addMaterial(expand.id(), "BRIEF_ANALYSIS", "a.pdf", PDF, party);
        approvals.addMaterial(expand.id(), "PROJECT_BASIS", "b.pdf", PDF, party);
        assertThat(legalBasis.of(outfall)).contains(first);
        ApprovalCase acceptedExpand = approvals.accept(expand.id(), approvals.find(expand.id(), suzhou).version(), suzhou);
        ApprovalCase expanded = approvals.approve(expand.id(), acceptedExpand.version(), new Approvals.DecisionInput(null, null,
                null, new BigDecimal("900"), null, List.of(cod("40")), null), suzhou);
        assertThat(legalBasis.of(outfall).orElseThrow()).satisfies(b -> {
            assertThat(b.number()).isEqualTo(expanded.decisionNumber()).isNotEqualTo(first.number());
            assertThat(b.date()).isEqualTo(LocalDate.parse("2026-07-01"));
            assertThat(b.settingType()).isEqualTo(ApprovalCase.SettingType.EXPAND);
        });

        // A registration: its 登记编号 and date.
        ApprovalCase reg = approvals.apply(new Approvals.ApplicationInput("REGISTRATION", null, null, null, null,
                "公开依据测试农村污水排口" + SEQ.incrementAndGet(), "OTH_RURAL_WWTP", "320506", river.id(), 120.40, 31.08,
                "OPEN_CHANNEL", null, "村内河道", new BigDecimal("120"), null, null, null, false, null, List.of(), List.of(),
                null), party);
        approvals.addMaterial(reg.id(), "REGISTRATION_FORM", "c.pdf", PDF, party);
        ApprovalCase registered = approvals.confirm(reg.id(), approvals.find(reg.id(), suzhou).version(), suzhou);
        PublicLegalBasis.InForce registration = legalBasis.of(registered.outfallId()).orElseThrow();
        assertThat(registration.kind()).isEqualTo(PublicLegalBasis.Kind.REGISTRATION);
        assertThat(registration.number()).isEqualTo(registered.caseNumber()).contains("登");
        assertThat(registration.settingType()).isNull();
        assertThat(legalBasis.of(List.of(outfall, registered.outfallId(), -1L))).containsOnlyKeys(outfall, registered.outfallId());

        // A confirmed cancellation (注销) ends it.
        on("2026-08-03");
        ApprovalCase cancel = approvals.apply(new Approvals.ApplicationInput("CANCELLATION", null, null, null, outfall, null,
                null, null, null, null, null, null, null, null, null, null, null, null, false, null, List.of(), List.of(),
                "企业关停"), party);
        approvals.confirm(cancel.id(), approvals.find(cancel.id(), suzhou).version(), suzhou);
        assertThat(legalBasis.of(outfall)).isEmpty();
    }
}
