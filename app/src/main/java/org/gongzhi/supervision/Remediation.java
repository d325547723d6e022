package org.gongzhi.supervision;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.StoredFiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 治: 一口一策 remediation plans (国办函〔2022〕17号 "依法取缔一批、清理合并一批、规范整治一批"; outfall-regulation.md §2.4).
 * One open plan per outfall, with measures, a deadline and the accountable unit. Completion is reported with
 * evidence (at least one file) and counts only once a regulator other than the reporter has verified it; then the
 * ledger follows: 取缔 and 合并 cancel the outfall (CANCELLED, 办法: 注销 when closed or merged), 规范 makes it
 * REMEDIATED. Plans past their deadline and not completed are escalated once, by the daily {@link Reminders} job.
 */
@Service
class Remediation {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final String FILES = "remediation_plan";

    enum Action { BAN, MERGE, REGULARIZE }

    enum Status { PLANNED, REPORTED, VERIFIED }

    record Plan(long id, Long campaignId, long outfallId, String regionCode, Action action, Long mergeIntoOutfall,
                boolean mergeIntoSewer, String measures, LocalDate deadline, long accountableId, String accountableName,
                Status status, String completionNote, String reportedBy, Instant reportedAt, String verifiedBy,
                Instant verifiedAt, String verificationNote, Instant escalatedAt, String createdBy, Instant createdAt,
                LocalDate verificationDueOn) {

        public boolean overdue(LocalDate today) {
            return status != Status.VERIFIED && deadline.isBefore(today);
        }

        /** Completed by the deadline: verified, and reported (China time) no later than the deadline. */
        public boolean onTime() {
            return status == Status.VERIFIED && reportedAt != null && !reportedAt.atZone(CHINA).toLocalDate().isAfter(deadline);
        }
    }

    record PlanInput(Long campaignId, long outfallId, Action action, Long mergeIntoOutfall, Boolean mergeIntoSewer,
                     String measures, LocalDate deadline, Long accountableId) {
    }

    private final JdbcClient jdbc;
    private final Scope scope;
    private final LedgerSteps steps;
    private final Organizations organizations;
    private final StoredFiles files;
    private final AuditLog audit;
    private final WorkingDays workingDays;

    Remediation(JdbcClient jdbc, Scope scope, LedgerSteps steps, Organizations organizations, StoredFiles files,
                AuditLog audit, WorkingDays workingDays) {
        this.workingDays = workingDays;
        this.jdbc = jdbc;
        this.scope = scope;
        this.steps = steps;
        this.organizations = organizations;
        this.files = files;
        this.audit = audit;
    }

    @Transactional
    Plan create(PlanInput in, CurrentUser user) {
        Campaigns.requireRegulator(user);
        Outfall o = steps.find(in.outfallId(), user);
        List<FieldProblem> problems = new ArrayList<>();
        if (in.campaignId() != null) {
            boolean in_ = jdbc.sql("SELECT EXISTS (SELECT 1 FROM campaign_outfall WHERE campaign_id = ? AND outfall_id = ?)")
                    .params(in.campaignId(), o.id()).query(Boolean.class).single();
            if (!in_) {
                problems.add(FieldProblem.of("campaignId", in.campaignId(), "该排污口不在本次排查的工作清单中",
                        "this outfall is not on the campaign's list"));
            }
        }
        if (in.action() == null) {
            problems.add(FieldProblem.of("action", null, "须选择整治类型：BAN（取缔）、MERGE（合并）或 REGULARIZE（规范）",
                    "choose BAN, MERGE or REGULARIZE"));
        }
        boolean sewer = Boolean.TRUE.equals(in.mergeIntoSewer());
        if (in.action() == Action.MERGE) {
            if (in.mergeIntoOutfall() == null && !sewer) {
                problems.add(FieldProblem.of("mergeIntoOutfall", null, "合并须指定并入的排污口或接入污水管网",
                        "a merge goes into another outfall or the sewer network"));
            } else if (in.mergeIntoOutfall() != null) {
                if (in.mergeIntoOutfall() == o.id()) {
                    problems.add(FieldProblem.of("mergeIntoOutfall", in.mergeIntoOutfall(), "不能并入自身", "cannot merge into itself"));
                } else {
                    try {
                        Outfall target = steps.find(in.mergeIntoOutfall(), user);
                        if (target.lifecycle() == Lifecycle.CANCELLED || target.lifecycle() == Lifecycle.NOT_AN_OUTFALL) {
                            problems.add(FieldProblem.of("mergeIntoOutfall", in.mergeIntoOutfall(), "并入的排污口已注销",
                                    "the outfall to merge into is cancelled"));
                        }
                    } catch (NotFoundException e) {
                        problems.add(FieldProblem.of("mergeIntoOutfall", in.mergeIntoOutfall(), "台账中没有该排污口（或不在您的辖区）",
                                "no such outfall in the ledger (or outside your jurisdiction)"));
                    }
                }
            }
        }
        if (Campaigns.blank(in.measures())) {
            problems.add(FieldProblem.of("measures", in.measures(), "整治措施必填（一口一策）", "the measures are required (one plan per outfall)"));
        }
        LocalDate today = LocalDate.now(CHINA);
        if (in.deadline() == null) {
            problems.add(FieldProblem.of("deadline", null, "完成时限必填", "a deadline is required"));
        } else if (in.deadline().isBefore(today)) {
            problems.add(FieldProblem.of("deadline", in.deadline(), "完成时限不能早于今天", "the deadline cannot be in the past"));
        }
        Organization accountable = in.accountableId() == null ? null : organizations.find(in.accountableId()).orElse(null);
        if (accountable == null) {
            problems.add(FieldProblem.of("accountableId", in.accountableId(), "须指定责任单位", "name the accountable unit"));
        }
        if (o.lifecycle() == Lifecycle.CANCELLED || o.lifecycle() == Lifecycle.NOT_AN_OUTFALL || o.lifecycle() == Lifecycle.SUSPECTED) {
            problems.add(FieldProblem.of("outfallId", o.id(), "只对已核实、未注销的排污口制定整治方案",
                    "plans are made for verified outfalls that are not cancelled"));
        }
        boolean open = jdbc.sql("SELECT EXISTS (SELECT 1 FROM remediation_plan WHERE outfall_id = ? AND status <> 'VERIFIED')")
                .param(o.id()).query(Boolean.class).single();
        if (open) {
            problems.add(FieldProblem.of("outfallId", o.id(), "该排污口已有未完成的整治方案（一口一策）",
                    "this outfall already has an open plan (one plan per outfall)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO remediation_plan (campaign_id, outfall_id, region_code, water_body_id, party_id, action,
                    merge_into_outfall, merge_into_sewer, measures, deadline, accountable_id, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(in.campaignId(), o.id(), o.regionCode(), o.waterBodyId(),
                        accountable.kind() == Organization.Kind.PARTY ? accountable.id() : Campaigns.leadParty(o),
                        in.action().name(), in.action() == Action.MERGE ? in.mergeIntoOutfall() : null,
                        in.action() == Action.MERGE && sewer, in.measures().trim(), in.deadline(), accountable.id(),
                        user.username())
                .query(Long.class).single();
        Plan p = find(id, user);
        audit.record(user, "CREATE", FILES, String.valueOf(id), null, null, p);
        steps.advance(o.id(), Lifecycle.REMEDIATION_PLANNED, "制定一口一策整治方案（" + in.action() + "）remediation plan " + id, user);
        return p;
    }

    Plan find(long id, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(SELECT + " WHERE r.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(this::map).optional().orElseThrow(() -> new NotFoundException("remediation plan " + id));
    }

    List<Plan> forCampaign(long campaignId, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(SELECT + " WHERE r.campaign_id = :c AND " + s.sql() + " ORDER BY r.deadline, r.id")
                .param("c", campaignId).params(s.params()).query(this::map).list();
    }

    List<Plan> forOutfall(long outfallId, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(SELECT + " WHERE r.outfall_id = :o AND " + s.sql() + " ORDER BY r.id DESC")
                .param("o", outfallId).params(s.params()).query(this::map).list();
    }

    /** Open plans in the jurisdiction (for a party: those it is accountable for), earliest deadline first. */
    List<Plan> open(CurrentUser user, int limit) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(SELECT + " WHERE r.status <> 'VERIFIED' AND " + s.sql() + " ORDER BY r.deadline, r.id LIMIT :n")
                .param("n", limit).params(s.params()).query(this::map).list();
    }

    /** The accountable unit (or a regulator) reports completion; at least one evidence file must be attached first. */
    @Transactional
    Plan reportCompletion(long id, String note, CurrentUser user) {
        Plan p = find(id, user);
        boolean party = user.jurisdiction().scope() == Jurisdiction.Scope.PARTY;
        if (party && user.organizationId() != p.accountableId()) {
            throw new ForbiddenException("only the accountable unit reports completion");
        }
        if (!party && !user.canEditLedger() && user.organizationId() != p.accountableId()) {
            throw new ForbiddenException("only the accountable unit or a regulator reports completion");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (p.status() != Status.PLANNED) {
            problems.add(FieldProblem.of("status", p.status(), "该方案不在整治中（已报告或已验收）", "the plan is not open (already reported or verified)"));
        }
        Evidence.checkReport(files, FILES, id, "completionNote", note, "须说明完成情况", "describe what was done", problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        LocalDate due = workingDays.dueOrNull(LocalDate.now(CHINA), workingDays.verificationDays, "remediation plan " + id);
        jdbc.sql("""
                UPDATE remediation_plan SET status = 'REPORTED', completion_note = ?, reported_by = ?, reported_at = now(),
                    verification_due_on = ? WHERE id = ?""")
                .params(note.trim(), user.username(), due, id).update();
        Plan after = find(id, user);
        audit.record(user, "REPORT_COMPLETION", FILES, String.valueOf(id), null, p, after);
        return after;
    }

    /**
     * A regulator checks the reported completion against its evidence: accepted, the plan is VERIFIED and the ledger
     * follows the plan's action; refused, the plan goes back to PLANNED with the reason.
     */
    @Transactional
    Plan verify(long id, boolean accept, String note, CurrentUser user) {
        Campaigns.requireRegulator(user);
        Plan p = find(id, user);
        if (p.status() != Status.REPORTED) {
            throw new InvalidInputException(FieldProblem.of("status", p.status(), "只能验收已报告完成的方案",
                    "only a plan reported as completed can be verified"));
        }
        if (user.username().equals(p.reportedBy())) {
            throw new InvalidInputException(FieldProblem.of("verifiedBy", user.username(), "报告完成者不能自行验收",
                    "whoever reported completion cannot verify it"));
        }
        Evidence.requireReason(accept, note, "verificationNote");
        if (accept) {
            jdbc.sql("UPDATE remediation_plan SET status = 'VERIFIED', verified_by = ?, verified_at = now(), verification_note = ? WHERE id = ?")
                    .params(user.username(), Campaigns.blank(note) ? null : note.trim(), id).update();
            Lifecycle target = p.action() == Action.REGULARIZE ? Lifecycle.REMEDIATED : Lifecycle.CANCELLED;
            String why = switch (p.action()) {
                case BAN -> "依法取缔，验收通过 banned, completion verified";
                case MERGE -> "清理合并" + (p.mergeIntoSewer() ? "（接入污水管网）" : "（并入排污口 " + p.mergeIntoOutfall() + "）")
                        + "，验收通过 merged, completion verified";
                case REGULARIZE -> "规范整治，验收通过 regularized, completion verified";
            };
            steps.advance(p.outfallId(), target, why + " (plan " + id + ")", user);
        } else {
            jdbc.sql("UPDATE remediation_plan SET status = 'PLANNED', verification_note = ? WHERE id = ?")
                    .params(note.trim(), id).update();
        }
        Plan after = find(id, user);
        audit.record(user, accept ? "VERIFY" : "SEND_BACK", FILES, String.valueOf(id), note, p, after);
        return after;
    }

    private static final String SELECT = """
            SELECT r.id, r.campaign_id, r.outfall_id, r.region_code, r.action, r.merge_into_outfall, r.merge_into_sewer,
                   r.measures, r.deadline, r.accountable_id, r.status, r.completion_note, r.reported_by, r.reported_at,
                   r.verified_by, r.verified_at, r.verification_note, r.escalated_at, r.created_by, r.created_at,
                   r.verification_due_on
            FROM remediation_plan r""";

    private Plan map(ResultSet rs, int i) throws SQLException {
        long accountable = rs.getLong(10);
        return new Plan(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3), rs.getString(4), Action.valueOf(rs.getString(5)),
                (Long) rs.getObject(6), rs.getBoolean(7), rs.getString(8), rs.getObject(9, LocalDate.class), accountable,
                organizations.find(accountable).map(Organization::name).orElse(null), Status.valueOf(rs.getString(11)),
                rs.getString(12), rs.getString(13), Campaigns.instant(rs, 14), rs.getString(15), Campaigns.instant(rs, 16),
                rs.getString(17), Campaigns.instant(rs, 18), rs.getString(19), rs.getTimestamp(20).toInstant(),
                rs.getObject(21, LocalDate.class));
    }
}
