package org.gongzhi.supervision;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Notices;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The daily supervision job (01:05 China time, {@code gongzhi.supervision.escalation-cron}): escalates overdue
 * remediation plans and rectification orders, and sends the reminders through the platform's {@link Notices}:
 * <ul>
 *   <li>a rectification order due within {@code gongzhi.supervision.remind-days-before} days (3) → the party;</li>
 *   <li>an order past its deadline and not answered → the party, and the issuing bureau (escalated);</li>
 *   <li>a party's response not reviewed by its review date (working days) → the issuing bureau;</li>
 *   <li>a remediation plan past its deadline → the accountable unit and the campaign's organizing bureau (escalated);</li>
 *   <li>a reported completion not verified by its verification date → the organizing bureau;</li>
 *   <li>a patrol overdue under the required frequency (办法: 定期巡查维护) → the outfall's lead party.</li>
 * </ul>
 * 规范化建设 items carry no deadline (the 办法 and HJ 1309 set none; they are reviewed as submitted), so they get no
 * reminder. Each reminder's key names the record and the date it is about, so a run repeated the same day (or on a
 * second node) sends nothing twice, and a new deadline is reminded anew.
 */
@Service
class Reminders {

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);

    private final JdbcClient jdbc;
    private final Notices notices;
    private final AuditLog audit;
    private final PartyDuties duties;
    private final LedgerLookup lookup;
    private final Organizations organizations;
    private final UserAccounts users;
    private final int daysBefore;

    Reminders(JdbcClient jdbc, Notices notices, AuditLog audit, PartyDuties duties,
              LedgerLookup lookup, Organizations organizations, UserAccounts users,
              @Value("${gongzhi.supervision.remind-days-before:3}") int daysBefore) {
        this.jdbc = jdbc;
        this.notices = notices;
        this.audit = audit;
        this.duties = duties;
        this.lookup = lookup;
        this.organizations = organizations;
        this.users = users;
        this.daysBefore = daysBefore;
    }

    /** What one run did. */
    record Run(int noticesSent, int ordersEscalated, int plansEscalated) {
    }

    @Scheduled(cron = "${gongzhi.supervision.escalation-cron:0 5 1 * * *}", zone = "Asia/Shanghai")
    public void daily() {
        Run r = run(LocalDate.now(Remediation.CHINA));
        log.info("Supervision reminders: {} notices sent, {} orders and {} plans escalated", r.noticesSent(),
                r.ordersEscalated(), r.plansEscalated());
    }

    @Transactional
    Run run(LocalDate today) {
        int ordersEscalated = escalate("rectification_order", "OPEN", "整改通知逾期未整改 overdue", today);
        int plansEscalated = escalate("remediation_plan", "PLANNED", "整治方案逾期未完成 overdue", today);
        Sender s = new Sender();
        orders(today, s);
        plans(today, s);
        patrols(s);
        return new Run(s.sent, ordersEscalated, plansEscalated);
    }

    /**
     * Escalation: every plan (still PLANNED) or order (still OPEN: the party has not answered) past its deadline is
     * marked escalated once — the dashboards show 已督办 — with an audit entry. Returns how many were escalated now.
     */
    private int escalate(String table, String openStatus, String reason, LocalDate today) {
        List<Long> ids = jdbc.sql("UPDATE " + table + " SET escalated_at = now() "
                        + "WHERE status = ? AND deadline < ? AND escalated_at IS NULL RETURNING id")
                .params(openStatus, today).query(Long.class).list();
        for (Long id : ids) {
            audit.record(CurrentUser.system(), "ESCALATE", table, String.valueOf(id), reason, null,
                    Map.of("deadlineBefore", today.toString()));
        }
        return ids.size();
    }

    /** Counts what is new and resolves names and bureaus once per run. */
    private final class Sender {
        int sent;
        final Map<String, Long> bureauOf = new HashMap<>();

        void send(Long organizationId, String key, Notices.Message m) {
            if (organizationId != null && notices.send(organizationId, key, m)) {
                sent++;
            }
        }

        /** The bureau of the user who wrote a record (the issuing bureau of an order, the bureau of a plan without campaign). */
        Long bureau(String username) {
            return bureauOf.computeIfAbsent(username, u -> users.findUser(u).map(CurrentUser::organizationId).orElse(null));
        }

        String outfall(Map<Long, LedgerLookup.OutfallRef> refs, long id) {
            LedgerLookup.OutfallRef r = refs.get(id);
            return r == null ? "#" + id : r.name() + "（" + r.nationalCode() + "）";
        }

        String party(long id) {
            return organizations.find(id).map(Organization::name).orElse("#" + id);
        }
    }

    private record OrderDue(long id, long outfallId, long partyId, String requirement, LocalDate deadline, String status,
                            LocalDate reviewDueOn, String createdBy) {
    }

    private void orders(LocalDate today, Sender s) {
        List<OrderDue> due = jdbc.sql("""
                SELECT id, outfall_id, party_id, requirement, deadline, status, review_due_on, created_by
                FROM rectification_order
                WHERE (status = 'OPEN' AND deadline <= ?) OR (status = 'RESPONDED' AND review_due_on < ?)
                ORDER BY id""")
                .params(today.plusDays(daysBefore), today)
                .query((rs, i) -> new OrderDue(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getObject(7, LocalDate.class), rs.getString(8)))
                .list();
        Map<Long, LedgerLookup.OutfallRef> refs = lookup.visible(outfallIds(due.stream().map(OrderDue::outfallId).toList()),
                CurrentUser.system());
        for (OrderDue o : due) {
            String link = "/supervision/orders/" + o.id();
            String outfall = s.outfall(refs, o.outfallId());
            if ("RESPONDED".equals(o.status())) {
                s.send(s.bureau(o.createdBy()), "supervision:order-review-overdue:" + o.id() + ":" + o.reviewDueOn(), new Notices.Message(
                        "整改回复待审核已超期", "An order's response awaits review past its due date",
                        outfall + " 的整改通知 #" + o.id() + " 已由" + s.party(o.partyId()) + "回复整改情况，应于 " + o.reviewDueOn()
                                + " 前审核（关闭或退回）。",
                        "The party answered rectification order #" + o.id() + " (" + outfall + "); it was to be reviewed (closed or "
                                + "sent back) by " + o.reviewDueOn() + ".", link));
            } else if (o.deadline().isBefore(today)) {
                String key = "supervision:order-overdue:" + o.id() + ":" + o.deadline();
                s.send(o.partyId(), key, new Notices.Message("整改通知已逾期", "Rectification order overdue",
                        outfall + " 的整改通知 #" + o.id() + " 已于 " + o.deadline() + " 到期，尚未回复整改情况，已报监管部门督办。整改要求："
                                + o.requirement(),
                        "Rectification order #" + o.id() + " (" + outfall + ") was due on " + o.deadline()
                                + " and has not been answered; the bureau has been told. Requirement: " + o.requirement(), link));
                s.send(s.bureau(o.createdBy()), key, new Notices.Message("整改通知逾期未整改（已督办）", "Rectification order overdue (escalated)",
                        s.party(o.partyId()) + " 对 " + outfall + " 的整改通知 #" + o.id() + " 已于 " + o.deadline() + " 到期，尚未回复。",
                        s.party(o.partyId()) + " has not answered rectification order #" + o.id() + " (" + outfall + "), due on "
                                + o.deadline() + ".", link));
            } else {
                s.send(o.partyId(), "supervision:order-due:" + o.id() + ":" + o.deadline(), new Notices.Message(
                        "整改通知即将到期", "Rectification order due soon",
                        outfall + " 的整改通知 #" + o.id() + " 须于 " + o.deadline() + " 前完成并上传整改佐证。整改要求：" + o.requirement(),
                        "Rectification order #" + o.id() + " (" + outfall + ") is due on " + o.deadline()
                                + ": rectify and answer with evidence. Requirement: " + o.requirement(), link));
            }
        }
    }

    private record PlanDue(long id, long outfallId, long accountableId, String action, LocalDate deadline, String status,
                           LocalDate verificationDueOn, Long organizerId, String createdBy) {
    }

    private void plans(LocalDate today, Sender s) {
        List<PlanDue> due = jdbc.sql("""
                SELECT p.id, p.outfall_id, p.accountable_id, p.action, p.deadline, p.status, p.verification_due_on,
                       c.organizer_id, p.created_by
                FROM remediation_plan p LEFT JOIN campaign c ON c.id = p.campaign_id
                WHERE (p.status = 'PLANNED' AND p.deadline < ?) OR (p.status = 'REPORTED' AND p.verification_due_on < ?)
                ORDER BY p.id""")
                .params(today, today)
                .query((rs, i) -> new PlanDue(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getObject(7, LocalDate.class),
                        (Long) rs.getObject(8), rs.getString(9)))
                .list();
        Map<Long, LedgerLookup.OutfallRef> refs = lookup.visible(outfallIds(due.stream().map(PlanDue::outfallId).toList()),
                CurrentUser.system());
        for (PlanDue p : due) {
            String link = "/supervision/plans/" + p.id();
            String outfall = s.outfall(refs, p.outfallId());
            Long bureau = p.organizerId() != null ? p.organizerId() : s.bureau(p.createdBy());
            if ("REPORTED".equals(p.status())) {
                s.send(bureau, "supervision:plan-verification-overdue:" + p.id() + ":" + p.verificationDueOn(), new Notices.Message(
                        "整治完成待验收已超期", "A reported completion awaits verification past its due date",
                        outfall + " 的一口一策整治方案 #" + p.id() + " 已报告完成，应于 " + p.verificationDueOn() + " 前验收。",
                        "Remediation plan #" + p.id() + " (" + outfall + ") was reported completed; it was to be verified by "
                                + p.verificationDueOn() + ".", link));
                continue;
            }
            String key = "supervision:plan-overdue:" + p.id() + ":" + p.deadline();
            Notices.Message m = new Notices.Message("整治方案逾期未完成（已督办）", "Remediation plan overdue (escalated)",
                    outfall + " 的一口一策整治方案 #" + p.id() + "（" + p.action() + "）已于 " + p.deadline() + " 到期，责任单位"
                            + s.party(p.accountableId()) + "尚未报告完成。",
                    "Remediation plan #" + p.id() + " (" + p.action() + ", " + outfall + ") was due on " + p.deadline()
                            + "; the accountable unit " + s.party(p.accountableId()) + " has not reported completion.", link);
            s.send(p.accountableId(), key, m);
            if (bureau != null && bureau != p.accountableId()) {
                s.send(bureau, key, m);
            }
        }
    }

    private void patrols(Sender s) {
        for (PartyDuties.PatrolStatus p : duties.patrolStatus(CurrentUser.system(), null, Integer.MAX_VALUE)) {
            if (!p.overdue()) {
                break; // sorted by due date: the rest are not due yet
            }
            s.send(p.partyId(), "supervision:patrol-overdue:" + p.outfallId() + ":" + p.due(), new Notices.Message(
                    "排污口巡查已逾期", "Outfall patrol overdue",
                    p.outfallName() + "（" + p.nationalCode() + "）应于 " + p.due() + " 前巡查维护（每 " + p.intervalDays()
                            + " 天一次），请巡查后登记巡查记录。",
                    p.outfallName() + " (" + p.nationalCode() + ") was to be patrolled and maintained by " + p.due() + " (every "
                            + p.intervalDays() + " days); log the patrol once done.",
                    "/supervision/duties#patrol-" + p.outfallId()));
        }
    }

    private static Set<Long> outfallIds(List<Long> ids) {
        return new HashSet<>(ids);
    }
}
