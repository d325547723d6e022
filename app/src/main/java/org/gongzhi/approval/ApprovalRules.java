package org.gongzhi.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Administering the routing rules (which bureau decides) and the catalogue of refusal reasons. The 办法 leaves the
 * approval authority to each province, so a provincial administrator keeps the rules of their province; the national
 * rules (the documented default) and the refusal catalogue are for national administrators. Every change is audited;
 * a case keeps the authority it was routed to.
 */
@Service
class ApprovalRules {

    static final Set<String> CRITERIA = Set.of("WATER_BODY", "REGION", "EIA_LEVEL", "ANY");
    static final Set<String> LEVELS = Set.of("BASIN_BUREAU", "PROVINCE", "CITY", "COUNTY", "SAME_AS_EIA");

    private final JdbcClient jdbc;
    private final ApprovalCases cases;
    private final WaterBodies waterBodies;
    private final Regions regions;
    private final AuditLog audit;

    ApprovalRules(JdbcClient jdbc, ApprovalCases cases, WaterBodies waterBodies, Regions regions, AuditLog audit) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.waterBodies = waterBodies;
        this.regions = regions;
        this.audit = audit;
    }

    /** The province an administrator keeps the rules of; null for a national administrator. */
    static String provinceOf(CurrentUser admin) {
        if (admin.role() != Role.ADMIN) {
            throw new ForbiddenException("administrators only");
        }
        Jurisdiction j = admin.jurisdiction();
        if (j.scope() == Jurisdiction.Scope.NATIONAL) {
            return null;
        }
        if (j.scope() == Jurisdiction.Scope.REGION && j.regionPrefix().length() == 2) {
            return j.regionPrefix();
        }
        throw new ForbiddenException("routing rules are kept by provincial and national administrators");
    }

    /** The rules an administrator keeps and reads: all for a national one, the province's own and the national ones. */
    List<ApprovalCases.Rule> visible(CurrentUser admin) {
        String province = provinceOf(admin);
        return jdbc.sql(ApprovalCases.RULE_SELECT + " WHERE ?::text IS NULL OR province_code = ? OR province_code IS NULL"
                        + " ORDER BY province_code NULLS LAST, priority, id").params(province, province)
                .query(ApprovalCases::rule).list();
    }

    record RuleInput(String provinceCode, Integer priority, String criterion, String value, String authorityLevel,
                     String note) {
    }

    @Transactional
    ApprovalCases.Rule add(RuleInput in, CurrentUser admin) {
        String own = provinceOf(admin);
        String province = blank(in.provinceCode()) ? null : in.provinceCode().trim();
        List<FieldProblem> problems = new ArrayList<>();
        if (own != null && !own.equals(province)) {
            problems.add(FieldProblem.of("provinceCode", province, "只能维护本省的规则", "you keep the rules of your own province only"));
        }
        if (province != null && (!province.matches("\\d{2}") || regions.find(province + "0000").isEmpty())) {
            problems.add(FieldProblem.of("provinceCode", province, "省级行政区划代码前两位，如 32", "the province's two digits, e.g. 32"));
        }
        if (in.priority() == null || in.priority() < 1 || in.priority() > 9999) {
            problems.add(FieldProblem.of("priority", in.priority(), "优先级为 1–9999，小者先匹配", "priority 1–9999, lower matches first"));
        }
        String criterion = in.criterion() == null ? "" : in.criterion().trim();
        String value = blank(in.value()) ? null : in.value().trim();
        if (!CRITERIA.contains(criterion)) {
            problems.add(FieldProblem.of("criterion", criterion, "条件应为 WATER_BODY、REGION、EIA_LEVEL 或 ANY",
                    "the criterion must be WATER_BODY, REGION, EIA_LEVEL or ANY"));
        } else if (criterion.equals("WATER_BODY") && (value == null || !value.matches("\\d+")
                || waterBodies.find(Long.parseLong(value)).isEmpty())) {
            problems.add(FieldProblem.of("value", value, "请选择受纳水体", "choose the water body"));
        } else if (criterion.equals("REGION") && (value == null || !value.matches("\\d{2,6}")
                || (province != null && !value.startsWith(province)))) {
            problems.add(FieldProblem.of("value", value, "行政区划代码前缀（本省内）", "a region code prefix (inside the province)"));
        } else if (criterion.equals("EIA_LEVEL") && value != null && !AuthorityRouting.EIA_LEVELS.contains(value)) {
            problems.add(FieldProblem.of("value", value, "环评审批级别应为 BASIN_BUREAU、PROVINCE、CITY、COUNTY 或留空",
                    "the EIA level must be BASIN_BUREAU, PROVINCE, CITY, COUNTY or empty"));
        }
        if (in.authorityLevel() == null || !LEVELS.contains(in.authorityLevel())) {
            problems.add(FieldProblem.of("authorityLevel", in.authorityLevel(), "请选择审批级别", "choose the deciding level"));
        }
        if (blank(in.note())) {
            problems.add(FieldProblem.of("note", in.note(), "请注明依据（如省厅公布的审批权限划分文件）",
                    "give the basis (e.g. the province's published split of authority)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                        INSERT INTO approval_authority_rule (province_code, priority, criterion, criterion_value, authority_level, note)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(province, in.priority(), criterion, criterion.equals("ANY") ? null : value, in.authorityLevel(),
                        in.note().trim()).query(Long.class).single();
        ApprovalCases.Rule rule = find(id);
        audit.record(admin, "APPROVAL_RULE_ADDED", "approval_authority_rule", String.valueOf(id), in.note().trim(), null, rule);
        return rule;
    }

    /** Removes a rule no case was routed by (those stay as the record of why a case went where it did). */
    @Transactional
    void remove(long id, CurrentUser admin) {
        String own = provinceOf(admin);
        ApprovalCases.Rule rule = find(id);
        if (own != null && !own.equals(rule.provinceCode())) {
            throw new NotFoundException("rule " + id);
        }
        boolean used = jdbc.sql("SELECT EXISTS (SELECT 1 FROM approval_case WHERE authority_rule_id = ?)").param(id)
                .query(Boolean.class).single();
        if (used) {
            throw new InvalidInputException(FieldProblem.of("id", id, "已有案件按此规则分派，不能删除；请新增优先级更高的规则替代",
                    "cases were routed by this rule, so it stays; add a rule with a higher priority instead"));
        }
        if (rule.provinceCode() == null && rule.criterion().equals("ANY")
                && cases.rules("--").stream().filter(r -> r.criterion().equals("ANY")).count() < 2) {
            throw new InvalidInputException(FieldProblem.of("id", id, "至少保留一条全国通用的兜底规则（条件 ANY）",
                    "keep at least one national fallback rule (criterion ANY)"));
        }
        jdbc.sql("DELETE FROM approval_authority_rule WHERE id = ?").param(id).update();
        audit.record(admin, "APPROVAL_RULE_REMOVED", "approval_authority_rule", String.valueOf(id), null, rule, null);
    }

    private ApprovalCases.Rule find(long id) {
        return jdbc.sql(ApprovalCases.RULE_SELECT + " WHERE id = ?").param(id).query(ApprovalCases::rule).optional()
                .orElseThrow(() -> new NotFoundException("rule " + id));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
