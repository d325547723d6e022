package org.gongzhi.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.gongzhi.approval.ApprovalCase;
import org.gongzhi.approval.ApprovalDecided;
import org.gongzhi.approval.Approvals;
import org.gongzhi.approval.PublicLegalBasis;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.PdfDocuments;
import org.gongzhi.platform.UserAccounts;
import org.gongzhi.requests.PublicRequests;
import org.gongzhi.requests.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A few public requests in 吴中区 for the demo (after the demo city exists): one answered and closed as satisfied, one
 * answered and sent back, one waiting for the county bureau, so that the request list, a follow-up page and the
 * metrics show something. Idempotent: nothing is added when the demo outfalls already have requests.
 *
 * <p>And an approval decision with limits for the first industrial outfall of 苏州市 (by code; the one the compliance
 * and monitoring demos feed, and the supervision module's demo gives a remediation plan), so that its public page
 * shows every public fact: legal basis, limits, compliance summary, remediation. After the approvals demo (which
 * loads nothing once any case exists) and the compliance demo; idempotent (skipped when a legal basis is in force).
 */
@Component
@Order(50)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class PublicRequestsDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PublicRequestsDemo.class);

    private final PublicRequests requests;
    private final Ledger ledger;
    private final Approvals approvals;
    private final PublicLegalBasis legalBasis;
    private final UserAccounts users;
    private final PdfDocuments pdf;

    PublicRequestsDemo(PublicRequests requests, Ledger ledger, Approvals approvals, PublicLegalBasis legalBasis,
                       UserAccounts users, PdfDocuments pdf) {
        this.requests = requests;
        this.ledger = ledger;
        this.approvals = approvals;
        this.legalBasis = legalBasis;
        this.users = users;
        this.pdf = pdf;
    }

    @Override
    public void run(ApplicationArguments args) {
        approvalDecision();
        publicRequests();
    }

    /** 扩大: a paper application entered by the city bureau for the outfall's lead party, accepted and approved. */
    private void approvalDecision() {
        CurrentUser city = users.findUser("suzhou").orElse(null);
        List<Outfall> industrial = city == null ? List.of() : ledger.search(new LedgerQuery("320500", "IND_ENT", null, null,
                null, null, null, null, LedgerQuery.Sort.CODE, false, 0, 1), city).items();
        if (industrial.isEmpty() || industrial.get(0).parties().isEmpty() || !pdf.available()
                || legalBasis.of(industrial.get(0).id()).isPresent()) {
            return;
        }
        Outfall o = industrial.get(0);
        long party = o.parties().stream().filter(Outfall.Party::lead).findFirst().orElse(o.parties().get(0)).organizationId();
        try {
            ApprovalCase c = approvals.apply(new Approvals.ApplicationInput("APPROVAL", "EXPAND", party, null, o.id(), null,
                    null, null, null, null, null, null, null, "吴淞江", new BigDecimal("800"), "技术改造扩能项目",
                    "苏环建〔2026〕21号", "电子", false, null,
                    List.of(new ApprovalCase.Pollutant("w01018", new BigDecimal("50"), new BigDecimal("14.6"))), List.of(),
                    null), city);
            byte[] material = pdf.fromHtml("<html><body style=\"font-family: " + PdfDocuments.FONT_FAMILY
                    + "\"><h1>简要分析材料（演示材料）</h1></body></html>");
            approvals.addMaterial(c.id(), "BRIEF_ANALYSIS", "简要分析材料.pdf", material, city);
            approvals.addMaterial(c.id(), "PROJECT_BASIS", "环评批复.pdf", material, city);
            ApprovalCase accepted = approvals.accept(c.id(), approvals.find(c.id(), city).version(), city);
            ApprovalCase approved = approvals.approve(c.id(), accepted.version(), new Approvals.DecisionInput(null, null,
                    null, new BigDecimal("800"), null, List.of(
                    new ApprovalDecided.DecidedLimit("w01018", "DAILY_MEAN", "LE", new BigDecimal("50"), null, null, "mg/L"),
                    new ApprovalDecided.DecidedLimit("w21003", "DAILY_MEAN", "LE", new BigDecimal("5"), null, null, "mg/L")),
                    "安装化学需氧量、氨氮在线监测设备并与平台联网（演示数据）"), city);
            log.info("demo: approval decision {} for outfall {}", approved.decisionNumber(), o.nationalCode());
        } catch (RuntimeException e) {
            // e.g. the year has no holiday notice loaded (deadlines cannot be counted): the demo works without it
            log.warn("demo approval decision not loaded: {}", e.getMessage());
        }
    }

    private void publicRequests() {
        List<Outfall> outfalls = ledger.search(new LedgerQuery("320506", null, null, null, null, null, null, null,
                LedgerQuery.Sort.CODE, false, 0, 3), CurrentUser.system()).items();
        if (outfalls.size() < 3 || requests.count() > 0) {
            return;
        }
        CurrentUser staff = CurrentUser.system();
        Request a = submit(outfalls.get(0), "ABNORMAL_WATER", Map.of("colour", "black", "smell", "foul"), "排污口下游约50米河水发黑，有臭味");
        requests.accept(a.id(), staff);
        requests.reply(a.id(), "已到现场检查，系上游雨污混接，已责令整改并复查，水质已恢复。", true, staff);
        requests.rate(a.token(), Request.Rating.SATISFIED);

        Request b = submit(outfalls.get(1), "ILLEGAL_DISCHARGE", Map.of("ongoing", "yes"), "夜间排污口有大量黄色污水排出");
        requests.accept(b.id(), staff);
        requests.reply(b.id(), "已安排夜间巡查，暂未发现异常排放。", false, staff);
        requests.rate(b.token(), Request.Rating.UNSATISFIED);
        requests.reopen(b.token(), "昨晚又看到了，请安排在线监测");

        submit(outfalls.get(2), "SIGNBOARD_DAMAGED", Map.of(), "标识牌上的二维码被涂抹，扫不出来");
        log.info("demo: 3 public requests in 吴中区");
    }

    private Request submit(Outfall o, String service, Map<String, String> attributes, String description) {
        return requests.submit(new PublicRequests.Intake(service, o.nationalCode(), null, null, null, null, description,
                attributes, null, null, null, "demo", Request.Channel.OUTFALL_PAGE, null, List.of()));
    }
}
