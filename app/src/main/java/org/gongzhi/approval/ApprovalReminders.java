package org.gongzhi.approval;

import java.util.List;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Notices;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reminds the deciding bureau, in its notice inbox (and by e-mail where configured), of cases whose statutory clock
 * is about to run out or has run out: the 5-working-day completeness check (《行政许可法》第三十二条, after which the
 * case counts as accepted) and the 20 (+10) working-day decision (第四十二条). Due soon means
 * {@code gongzhi.approval.due-soon-days} working days or fewer left, the queue's own flag. Once a day; each reminder
 * is sent once per case, kind and deadline (a deadline moved by a pause or an extension is reminded again).
 */
@Component
class ApprovalReminders {

    private static final Logger log = LoggerFactory.getLogger(ApprovalReminders.class);

    private final Approvals approvals;
    private final ApprovalCases cases;
    private final Organizations organizations;
    private final Notices notices;

    ApprovalReminders(Approvals approvals, ApprovalCases cases, Organizations organizations, Notices notices) {
        this.approvals = approvals;
        this.cases = cases;
        this.organizations = organizations;
        this.notices = notices;
    }

    @Scheduled(cron = "${gongzhi.approval.reminder-cron:0 20 1 * * *}", zone = "Asia/Shanghai")
    public void sendNow() {
        send();
    }

    /** Sends today's reminders; returns how many notices were new. */
    int send() {
        int sent = 0;
        // Most cases of a run share a few deciding bureaus: look each authority up once.
        java.util.Map<ApprovalCase.Authority, List<Organization>> bureaus = new java.util.HashMap<>();
        for (long id : cases.withRunningClock()) {
            try {
                ApprovalCase c = cases.find(id, Jurisdiction.national()).orElseThrow();
                Approvals.Clocks clocks = approvals.clocks(c, cases.pauses(id));
                if (!clocks.overdue() && !clocks.dueSoon()) {
                    continue;
                }
                ApprovalCase.Authority a = new ApprovalCase.Authority(c.authority().level(), c.authority().regionCode(),
                        c.authority().basin(), null, null);
                for (Organization bureau : bureaus.computeIfAbsent(a, this::bureaus)) {
                    sent += notices.send(bureau.id(), key(c, clocks), message(c, clocks)) ? 1 : 0;
                }
            } catch (RuntimeException e) {
                log.warn("reminder for approval case {} failed: {}", id, e.getMessage());
            }
        }
        return sent;
    }

    private static String key(ApprovalCase c, Approvals.Clocks clocks) {
        return "approval:" + (clocks.overdue() ? "overdue" : "due-soon") + ":" + c.id() + ":" + clocks.running() + ":"
                + clocks.deadline();
    }

    private static Notices.Message message(ApprovalCase c, Approvals.Clocks clocks) {
        boolean completeness = "COMPLETENESS".equals(clocks.running());
        String what = c.caseNumber() != null ? c.caseNumber() : c.outfall().name();
        String stepZh = completeness ? "受理审查（5个工作日）" : "审批决定";
        String stepEn = completeness ? "completeness check (5 working days)" : "decision";
        String titleZh = (clocks.overdue() ? "已逾期：" : "即将到期：") + stepZh + " " + what;
        String titleEn = (clocks.overdue() ? "Overdue: " : "Due soon: ") + stepEn + " " + what;
        String bodyZh = c.applicantName() + " 的申请，" + stepZh + "期限 " + clocks.deadline()
                + (clocks.overdue() ? "，已逾期。" : "，剩余 " + clocks.workingDaysLeft() + " 个工作日。")
                + (completeness ? "逾期未告知补正的，自收到申请材料之日起即为受理（《行政许可法》第三十二条）。"
                        : "应在法定期限内作出决定（《行政许可法》第四十二条）。");
        String bodyEn = "Application of " + c.applicantName() + ": the " + stepEn + " is due on " + clocks.deadline()
                + (clocks.overdue() ? ", now overdue. " : ", " + clocks.workingDaysLeft() + " working day(s) left. ")
                + (completeness ? "Without a supplement notice in time it counts as accepted from receipt (Art 32)."
                        : "The decision is due within the statutory time limit (Art 42).");
        return new Notices.Message(titleZh, titleEn, bodyZh, bodyEn, "/approvals/" + c.id());
    }

    /** The regulators that decide for an authority: a basin bureau, or the bureau of that level seated in the region. */
    private List<Organization> bureaus(ApprovalCase.Authority a) {
        if ("BASIN_BUREAU".equals(a.level())) {
            return organizations.visibleTo(CurrentUser.system(), Organization.Kind.REGULATOR).stream()
                    .filter(o -> o.level() == Organization.Level.BASIN_BUREAU && o.basin() == Basin.valueOf(a.basin()))
                    .toList();
        }
        if (a.regionCode() == null) {
            return List.of();
        }
        return organizations.regulatorsOver(a.regionCode()).stream()
                .filter(o -> o.level().name().equals(a.level()) && a.regionCode().equals(o.regionCode())).toList();
    }
}
