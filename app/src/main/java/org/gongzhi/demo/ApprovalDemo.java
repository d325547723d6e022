package org.gongzhi.demo;

import java.math.BigDecimal;
import java.util.List;
import org.gongzhi.approval.ApprovalCase;
import org.gongzhi.approval.Approvals;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.PdfDocuments;
import org.gongzhi.platform.UserAccounts;
import org.gongzhi.platform.WaterBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Demo approval cases for the demo city (after {@link DemoData}): the enterprise user {@code party} has an application
 * waiting for the completeness check, one under review paused for expert review, and a rural WWTP registration, so
 * that the 苏州 queue and the applicant's portal show something. Runs once (skipped when any case exists).
 */
@Component
@Order(20)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class ApprovalDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ApprovalDemo.class);

    private final Approvals approvals;
    private final UserAccounts users;
    private final Organizations organizations;
    private final WaterBodies waterBodies;
    private final PdfDocuments pdf;
    private final JdbcClient jdbc;

    ApprovalDemo(Approvals approvals, UserAccounts users, Organizations organizations, WaterBodies waterBodies,
                 PdfDocuments pdf, JdbcClient jdbc) {
        this.approvals = approvals;
        this.users = users;
        this.organizations = organizations;
        this.waterBodies = waterBodies;
        this.pdf = pdf;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM approval_case)").query(Boolean.class).single()
                || users.findUser("party").isEmpty() || users.findUser("suzhou").isEmpty() || !pdf.available()) {
            return;
        }
        CurrentUser party = users.findUser("party").orElseThrow();
        CurrentUser city = users.findUser("suzhou").orElseThrow();
        String county = organizations.find(party.organizationId()).orElseThrow().regionCode();
        Long river = waterBodies.findByName("吴淞江").map(w -> w.id()).orElse(null);
        try {
            ApprovalCase waiting = approvals.apply(industrial("苏州新材料产业园入河排污口", county, river, "化工"), party);
            approvals.addMaterial(waiting.id(), "BRIEF_ANALYSIS", "简要分析材料.pdf", material("简要分析材料"), party);

            ApprovalCase review = approvals.apply(industrial("吴淞江精密电子厂入河排污口", county, river, "电子"), party);
            approvals.addMaterial(review.id(), "BRIEF_ANALYSIS", "简要分析材料.pdf", material("简要分析材料"), party);
            approvals.addMaterial(review.id(), "PROJECT_BASIS", "环评批复.pdf", material("环评批复"), party);
            ApprovalCase accepted = approvals.accept(review.id(), approvals.find(review.id(), city).version(), city);
            approvals.pause(accepted.id(), accepted.version(), "EXPERT_REVIEW", null, "论证报告专家评审会", city);

            ApprovalCase rural = approvals.apply(new Approvals.ApplicationInput("REGISTRATION", null, null, null, null,
                    "东山村农村污水处理设施排口", "OTH_RURAL_WWTP", county, river, 120.40, 31.08, "OPEN_CHANNEL", null,
                    "村内河道", new BigDecimal("120"), null, null, null, false, null, List.of(), List.of(), null), party);
            approvals.addMaterial(rural.id(), "REGISTRATION_FORM", "入河排污口登记表.pdf", material("入河排污口登记表"), party);
            log.info("Demo approval cases loaded: {}, {}, {}", waiting.id(), review.id(), rural.id());
        } catch (RuntimeException e) {
            // e.g. today's year has no holiday notice loaded: the demo city works without these cases
            log.warn("Demo approval cases not loaded: {}", e.getMessage());
        }
    }

    private static Approvals.ApplicationInput industrial(String name, String county, Long river, String industry) {
        return new Approvals.ApplicationInput("APPROVAL", "NEW", null, null, null, name, "IND_ENT", county, river, 120.62,
                31.22, "CLOSED_PIPE", "CONTINUOUS_STABLE", "吴淞江", new BigDecimal("600"), name.replace("入河排污口", "建设项目"),
                "苏环建〔2026〕8号", industry, false, null,
                List.of(new ApprovalCase.Pollutant("w01018", new BigDecimal("50"), new BigDecimal("11"))), List.of(), null);
    }

    private byte[] material(String title) {
        return pdf.fromHtml("<html><body style=\"font-family: " + PdfDocuments.FONT_FAMILY + "\"><h1>" + title
                + "（演示材料）</h1></body></html>");
    }
}
