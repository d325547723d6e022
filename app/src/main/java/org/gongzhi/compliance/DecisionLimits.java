package org.gongzhi.compliance;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.approval.ApprovalDecided;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Approval decisions become limits (the contract of {@link ApprovalDecided}): each permitted limit is stored as an
 * outfall limit with source DECISION and the decision number as its clause, valid from the decision's first day;
 * the limits of the outfall's earlier decisions end the day before (valid_to is exclusive, so valid_to = validFrom).
 * A redelivered event changes nothing. A decision whose limits do not fit (a COD limit in L/s) is refused as a whole
 * and logged with the field problems, so that no half of a decision is ever in force.
 */
@Component
class DecisionLimits {

    private static final Logger log = LoggerFactory.getLogger(DecisionLimits.class);

    private final JdbcClient jdbc;
    private final StandardPacks packs;
    private final ComplianceEngine engine;
    private final AuditLog audit;
    private final UserAccounts users;

    DecisionLimits(JdbcClient jdbc, StandardPacks packs, ComplianceEngine engine, AuditLog audit, UserAccounts users) {
        this.jdbc = jdbc;
        this.packs = packs;
        this.engine = engine;
        this.audit = audit;
        this.users = users;
    }

    /**
     * After the approvals module commits the decision; in a transaction of its own. A failure is logged and not
     * thrown: the decision is already committed, and its request must not fail because of the limits.
     */
    @ApplicationModuleListener
    void on(ApprovalDecided e) {
        try {
            apply(e);
        } catch (InvalidInputException ex) {
            log.error("approval decision {} (case {}) for outfall {} not applied as limits: {}", e.decisionNumber(),
                    e.caseId(), e.outfallId(), ex.problems());
        }
    }

    void apply(ApprovalDecided e) {
        boolean applied = jdbc.sql("SELECT EXISTS (SELECT 1 FROM outfall_limit WHERE outfall_id = ? AND decision_case_id = ? AND clause = ?)")
                .params(e.outfallId(), e.caseId(), e.decisionNumber()).query(Boolean.class).single();
        if (applied) {
            return;
        }
        String reason = "准予设置决定书 " + e.decisionNumber() + "（审批案件 " + e.caseId() + "）/ approval decision "
                + e.decisionNumber() + " (case " + e.caseId() + ")";
        List<Compliance.OutfallLimitInput> inputs = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < e.limits().size(); i++) {
            ApprovalDecided.DecidedLimit d = e.limits().get(i);
            Limit.Statistic statistic = parse(Limit.Statistic.class, d.statistic(), "limits[" + i + "].statistic", problems);
            Limit.Comparison comparison = parse(Limit.Comparison.class, d.comparison(), "limits[" + i + "].comparison", problems);
            var in = new Compliance.OutfallLimitInput(d.factor(), statistic, comparison, d.value(), d.low(), d.high(),
                    d.unit(), Limit.Condition.NONE, e.validFrom(), null, Limit.Source.DECISION, e.decisionNumber(), reason);
            int n = i;
            Compliance.check(in).forEach(p -> problems.add(FieldProblem.of("limits[" + n + "]." + p.field(), p.value(),
                    p.reasonZh(), p.reasonEn())));
            inputs.add(in);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<Limit> before = packs.outfallLimits(e.outfallId());
        packs.invalidate(e.outfallId());
        // the earlier decision's limits end the day before this one's first day
        jdbc.sql("""
                UPDATE outfall_limit SET valid_to = ? WHERE outfall_id = ? AND source = 'DECISION' AND valid_from < ?
                  AND (valid_to IS NULL OR valid_to > ?)""")
                .params(Date.valueOf(e.validFrom()), e.outfallId(), Date.valueOf(e.validFrom()), Date.valueOf(e.validFrom()))
                .update();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (var in : inputs) {
            packs.addOutfallLimit(e.outfallId(), Compliance.toLimit(in), e.decidedBy(), now, reason, e.caseId());
        }
        CurrentUser by = users.findUser(e.decidedBy()).orElse(CurrentUser.system());
        audit.record(by, "DECISION_LIMITS", "outfall", String.valueOf(e.outfallId()), reason, before,
                packs.outfallLimits(e.outfallId()));
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        LocalDate from = e.validFrom().isBefore(today.minusDays(62)) ? today.minusDays(62) : e.validFrom();
        engine.submit(e.outfallId(), Evaluator.dayStart(from), now);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, List<FieldProblem> problems) {
        try {
            return value == null ? null : Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException ex) {
            problems.add(FieldProblem.of(field, value, "不认识的取值", "unknown value"));
            return null;
        }
    }
}
