package org.gongzhi.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the API does, scoped to the caller: packs are public reference data; assignments, effective limits and
 * findings are visible when their outfall is (the ledger decides: outside the jurisdiction answers 404).
 */
@Service
class Compliance {

    private final StandardPacks packs;
    private final Findings findings;
    private final ComplianceEngine engine;
    private final Ledger ledger;
    private final LedgerLookup lookup;
    private final AuditLog audit;

    Compliance(StandardPacks packs, Findings findings, ComplianceEngine engine, Ledger ledger, LedgerLookup lookup,
               AuditLog audit) {
        this.packs = packs;
        this.findings = findings;
        this.engine = engine;
        this.ledger = ledger;
        this.lookup = lookup;
        this.audit = audit;
    }

    List<StandardPacks.Pack> packs() {
        return packs.packs();
    }

    record PackLimits(StandardPacks.Pack pack, List<Limit> limits) {
    }

    PackLimits packLimits(String code, Integer version, String grade) {
        StandardPacks.Pack p = (version == null ? packs.latest(code) : packs.pack(code, version))
                .orElseThrow(() -> new NotFoundException("standard pack " + code));
        return new PackLimits(p, packs.limits(p.code(), p.version(), grade == null || grade.isBlank() ? null : grade));
    }

    /** Body of PUT /outfalls/{id}/limit-assignment. */
    record AssignmentInput(String packCode, Integer packVersion, String grade, String scope, String waterBody,
                           Boolean builtBefore2006, LocalDate validFrom, String reason) {
    }

    @Transactional
    StandardPacks.Assignment assign(long outfallId, AssignmentInput in, CurrentUser user) {
        var outfall = ledger.find(outfallId, user);
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot assign limits");
        }
        List<FieldProblem> problems = new ArrayList<>();
        StandardPacks.Pack pack = null;
        if (in.packCode() == null || in.packCode().isBlank()) {
            problems.add(FieldProblem.of("packCode", in.packCode(), "须指定标准（如 GB18918-2002）", "a standard pack is required (e.g. GB18918-2002)"));
        } else {
            pack = (in.packVersion() == null ? packs.latest(in.packCode().trim()) : packs.pack(in.packCode().trim(), in.packVersion()))
                    .orElse(null);
            if (pack == null) {
                problems.add(FieldProblem.of("packCode", in.packCode(), "未知的标准或版本", "unknown standard pack or version"));
            }
        }
        if (pack != null && (in.grade() == null || !pack.grades().contains(in.grade().trim()))) {
            problems.add(FieldProblem.of("grade", in.grade(), "级别须为 " + String.join("、", pack.grades()) + " 之一",
                    "grade must be one of " + String.join(", ", pack.grades())));
        }
        if (pack != null && pack.local() && (outfall.regionCode() == null
                || !outfall.regionCode().startsWith(pack.province().substring(0, 2)))) {
            // a local standard holds within its province only (《水污染防治法》第十四条)
            problems.add(FieldProblem.of("packCode", pack.code(), "地方标准 " + pack.designation() + " 仅适用于 " + pack.province()
                    + " 省内的排污口", "the local standard " + pack.designation() + " applies within province " + pack.province() + " only"));
        }
        if (pack != null && pack.code().startsWith("GB18918") && in.builtBefore2006() == null) {
            problems.add(FieldProblem.of("builtBefore2006", null, "须说明污水处理厂是否于2006年1月1日前建设（总磷限值不同）",
                    "say whether the plant was built before 2006-01-01 (the TP limits differ)"));
        }
        if (pack != null && "RECEIVING_WATER".equals(pack.kind())
                && (in.waterBody() == null || !List.of("RIVER", "LAKE_RESERVOIR").contains(in.waterBody()))) {
            problems.add(FieldProblem.of("waterBody", in.waterBody(), "须指定水体类型：RIVER（河流）或 LAKE_RESERVOIR（湖库）",
                    "water body type is required: RIVER or LAKE_RESERVOIR"));
        }
        if (in.reason() == null || in.reason().isBlank()) {
            problems.add(FieldProblem.of("reason", in.reason(), "须填写原因", "a reason is required"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        LocalDate from = in.validFrom() == null ? LocalDate.now(Evaluator.CHINA) : in.validFrom();
        List<StandardPacks.Assignment> before = packs.assignments(outfallId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String scope = in.scope() == null || in.scope().isBlank() ? "其他" : in.scope().trim();
        long id = packs.assign(outfallId, pack, in.grade().trim(), scope, in.waterBody(), in.builtBefore2006(), from,
                user.username(), now, in.reason().trim());
        List<StandardPacks.Assignment> after = packs.assignments(outfallId);
        audit.record(user, "ASSIGN_LIMITS", "outfall", String.valueOf(outfallId), in.reason().trim(), before, after);
        // re-evaluate what is already stored from the new validity on (backfill; same code path as streaming)
        Instant since = Evaluator.dayStart(from.isBefore(LocalDate.now(Evaluator.CHINA).minusDays(62))
                ? LocalDate.now(Evaluator.CHINA).minusDays(62) : from);
        engine.submit(outfallId, since, now);
        return after.stream().filter(a -> a.id() == id).findFirst().orElseThrow();
    }

    /** Body of POST /outfalls/{id}/outfall-limits: one limit from a decision, a permit or a local rule. */
    record OutfallLimitInput(String factor, Limit.Statistic statistic, Limit.Comparison comparison,
                             java.math.BigDecimal value, java.math.BigDecimal low, java.math.BigDecimal high, String unit,
                             Limit.Condition condition, LocalDate validFrom, LocalDate validTo, Limit.Source source,
                             String clause, String reason) {
    }

    /**
     * Adds a limit specific to one outfall; it replaces the pack's limit of the same factor and statistic while
     * valid. The unit must fit the factor (hj212.md §8): a COD limit in L/s is refused, not guessed.
     */
    @Transactional
    Limit addOutfallLimit(long outfallId, OutfallLimitInput in, CurrentUser user) {
        ledger.find(outfallId, user);
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot set limits");
        }
        List<FieldProblem> problems = check(in);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Limit l = toLimit(in);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id = packs.addOutfallLimit(outfallId, l, user.username(), now, in.reason().trim());
        Limit stored = packs.outfallLimits(outfallId).stream().filter(x -> x.outfallLimitId() == id).findFirst().orElseThrow();
        audit.record(user, "ADD_LIMIT", "outfall", String.valueOf(outfallId), in.reason().trim(), null, stored);
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        LocalDate from = in.validFrom().isBefore(today.minusDays(62)) ? today.minusDays(62) : in.validFrom();
        engine.submit(outfallId, Evaluator.dayStart(from), now);
        return stored;
    }

    /** What is wrong with an outfall limit, field by field (bilingual); empty when it can be stored. */
    static List<FieldProblem> check(OutfallLimitInput in) {
        List<FieldProblem> problems = new ArrayList<>();
        String unit = in.unit() == null ? "" : in.unit().trim();
        Units.problem("unit", in.factor(), unit).ifPresent(problems::add);
        if (in.statistic() == null) {
            problems.add(FieldProblem.of("statistic", null, "须指定统计方式（如 DAILY_MEAN 日均值）", "a statistic is required (e.g. DAILY_MEAN)"));
        }
        Limit.Comparison cmp = in.comparison() == null ? Limit.Comparison.LE : in.comparison();
        if (cmp == Limit.Comparison.RANGE) {
            if (in.low() == null || in.high() == null || in.low().compareTo(in.high()) > 0 || in.value() != null) {
                problems.add(FieldProblem.of("low", in.low(), "范围限值须给出下限 low ≤ 上限 high，且不填 value",
                        "a range needs low ≤ high and no value"));
            }
        } else if (in.value() == null || in.value().signum() < 0) {
            problems.add(FieldProblem.of("value", in.value(), "须给出非负的限值", "a non-negative limit value is required"));
        }
        if (in.validFrom() == null) {
            problems.add(FieldProblem.of("validFrom", null, "须给出生效日期", "a start date is required"));
        } else if (in.validTo() != null && !in.validTo().isAfter(in.validFrom())) {
            problems.add(FieldProblem.of("validTo", in.validTo(), "失效日期须晚于生效日期", "validTo must be after validFrom"));
        }
        if (in.source() == null) {
            problems.add(FieldProblem.of("source", null, "须指定来源：DECISION/PERMIT/NATIONAL/LOCAL",
                    "a source is required: DECISION, PERMIT, NATIONAL or LOCAL"));
        }
        if (in.clause() == null || in.clause().isBlank()) {
            problems.add(FieldProblem.of("clause", in.clause(), "须注明依据条款（如 决定书文号、许可证条款）",
                    "the clause is required (decision number, permit clause, …)"));
        }
        if (in.reason() == null || in.reason().isBlank()) {
            problems.add(FieldProblem.of("reason", in.reason(), "须填写原因", "a reason is required"));
        }
        return problems;
    }

    static Limit toLimit(OutfallLimitInput in) {
        Limit.Comparison cmp = in.comparison() == null ? Limit.Comparison.LE : in.comparison();
        String unit = in.unit() == null ? "" : in.unit().trim();
        return new Limit(null, null, null, null, null, in.factor().trim(), in.statistic(), cmp,
                cmp == Limit.Comparison.RANGE ? null : in.value(), cmp == Limit.Comparison.RANGE ? in.low() : null,
                cmp == Limit.Comparison.RANGE ? in.high() : null, unit,
                in.condition() == null ? Limit.Condition.NONE : in.condition(), "all", in.source(), in.clause().trim(),
                null, in.validFrom(), in.validTo());
    }

    record EffectiveLimits(long outfallId, LocalDate day, StandardPacks.Assignment assignment, List<Limit> limits,
                           List<StandardPacks.Assignment> history) {
    }

    EffectiveLimits effective(long outfallId, LocalDate day, CurrentUser user) {
        ledger.find(outfallId, user);
        LocalDate d = day == null ? LocalDate.now(Evaluator.CHINA) : day;
        var assignments = packs.assignments(outfallId);
        var eff = packs.effective(outfallId, d, assignments, packs.outfallLimits(outfallId));
        return new EffectiveLimits(outfallId, d, eff.assignment(), eff.all(), assignments);
    }

    List<Findings.Finding> findings(Long outfallId, Findings.Status status, CurrentUser user) {
        if (outfallId != null) {
            ledger.find(outfallId, user);
            return findings.forOutfall(outfallId, status, 500);
        }
        // the newest findings, then only those whose outfall the caller may see
        List<Findings.Finding> recent = findings.recent(status, 2000);
        Map<Long, ?> visible = lookup.visible(recent.stream().map(Findings.Finding::outfallId).distinct().toList(), user);
        return recent.stream().filter(f -> visible.containsKey(f.outfallId())).limit(500).toList();
    }

    @Transactional
    Findings.Finding acknowledge(long id, String reason, CurrentUser user) {
        Findings.Finding f = findings.find(id).orElseThrow(() -> new NotFoundException("finding " + id));
        ledger.find(f.outfallId(), user); // 404 outside the jurisdiction
        if (user.role() == Role.INSPECTOR) {
            throw new ForbiddenException("inspectors read findings; regulators and the responsible party acknowledge them");
        }
        if (!findings.acknowledge(id, user.username(), reason == null || reason.isBlank() ? null : reason.trim())) {
            throw new InvalidInputException(FieldProblem.of("status", f.status(), "只能确认未处理（OPEN）的发现",
                    "only an OPEN finding can be acknowledged"));
        }
        Findings.Finding after = findings.find(id).orElseThrow();
        audit.record(user, "ACKNOWLEDGE", "finding", String.valueOf(id), reason, f.status(), after.status());
        return after;
    }
}
