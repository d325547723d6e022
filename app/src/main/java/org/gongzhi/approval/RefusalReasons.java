package org.gongzhi.approval;

import java.util.ArrayList;
import java.util.List;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalogue of reasons for refusing an approval (不予许可理由目录), kept by national administrators: the reasons
 * come from national law (《水污染防治法》, the 2024 Measures), so one catalogue serves every bureau. Entries are added
 * and retired, never reworded or deleted: issued decisions quote them (《行政许可法》第三十八条 requires the reasons
 * to be stated), and a case page must go on showing what its decision said.
 */
@Service
class RefusalReasons {

    private final JdbcClient jdbc;
    private final ApprovalCases cases;
    private final AuditLog audit;

    RefusalReasons(JdbcClient jdbc, ApprovalCases cases, AuditLog audit) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.audit = audit;
    }

    record Input(String code, String zh, String en, String basis, Integer sort) {
    }

    List<ApprovalCases.RefusalReason> all(CurrentUser admin) {
        requireNationalAdmin(admin);
        return cases.refusalReasons();
    }

    @Transactional
    ApprovalCases.RefusalReason add(Input in, CurrentUser admin) {
        requireNationalAdmin(admin);
        String code = in.code() == null ? "" : in.code().trim();
        List<FieldProblem> problems = new ArrayList<>();
        if (!code.matches("[A-Z][A-Z0-9_]{1,39}")) {
            problems.add(FieldProblem.of("code", code, "代码为 2–40 位大写字母、数字或下划线，以字母开头，如 FLOOD_CONTROL",
                    "the code is 2–40 capital letters, digits or underscores, starting with a letter, e.g. FLOOD_CONTROL"));
        } else if (cases.refusalReasons().stream().anyMatch(r -> r.code().equals(code))) {
            problems.add(FieldProblem.of("code", code, "目录中已有此代码（已停用的可重新启用）",
                    "the catalogue already has this code (a retired one can be restored)"));
        }
        text("zh", in.zh(), problems);
        text("en", in.en(), problems);
        text("basis", in.basis(), problems);
        int sort = in.sort() == null ? 50 : in.sort();
        if (sort < 0 || sort > 999) {
            problems.add(FieldProblem.of("sort", in.sort(), "排序为 0–999", "the order is 0–999"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        jdbc.sql("INSERT INTO approval_refusal_reason (code, zh, en, basis, sort) VALUES (?, ?, ?, ?, ?)")
                .params(code, in.zh().trim(), in.en().trim(), in.basis().trim(), sort).update();
        ApprovalCases.RefusalReason added = find(code);
        audit.record(admin, "REFUSAL_REASON_ADDED", "approval_refusal_reason", code, null, null, added);
        return added;
    }

    /** Retires (no longer offered for new refusals) or restores an entry. */
    @Transactional
    ApprovalCases.RefusalReason setActive(String code, boolean active, CurrentUser admin) {
        requireNationalAdmin(admin);
        ApprovalCases.RefusalReason before = find(code);
        if (before.active() == active) {
            return before;
        }
        if (!active && cases.refusalReasons().stream().filter(ApprovalCases.RefusalReason::active).count() < 2) {
            throw new InvalidInputException(FieldProblem.of("code", code, "至少保留一项可选的理由",
                    "keep at least one reason on offer"));
        }
        jdbc.sql("UPDATE approval_refusal_reason SET retired_at = CASE WHEN ? THEN NULL ELSE now() END WHERE code = ?")
                .params(active, code).update();
        ApprovalCases.RefusalReason after = find(code);
        audit.record(admin, active ? "REFUSAL_REASON_RESTORED" : "REFUSAL_REASON_RETIRED", "approval_refusal_reason",
                code, null, before, after);
        return after;
    }

    private ApprovalCases.RefusalReason find(String code) {
        return cases.refusalReasons().stream().filter(r -> r.code().equals(code)).findFirst()
                .orElseThrow(() -> new NotFoundException("refusal reason " + code));
    }

    private static void text(String field, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank() || value.length() > 300) {
            problems.add(FieldProblem.of(field, value, "必填，不超过 300 字", "required, at most 300 characters"));
        }
    }

    private static void requireNationalAdmin(CurrentUser admin) {
        if (admin.role() != Role.ADMIN || admin.jurisdiction().scope() != Jurisdiction.Scope.NATIONAL) {
            throw new ForbiddenException("the refusal catalogue is kept by national administrators / 不予许可理由目录由国家级管理员维护");
        }
    }
}
