package org.gongzhi.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service catalogue (派单目录, Open311 "services"): the categories a citizen can report under, each with its
 * deadlines and form attributes. It is data (table request_service, seeded by V30 with the Beijing defaults of
 * other-systems.md §2.2), because the catalogue changes over time (Beijing's has changed 300+ times); an
 * administrator changes deadlines or retires a category with {@link #update}.
 */
@Service
public class ServiceCatalogue {

    public enum DeadlineUnit { HOURS, DAYS, WORKING_DAYS }

    /** One value of a list attribute. */
    public record Value(String key, String name) {
    }

    /** A form attribute, as Open311 service definitions describe them. */
    public record Attribute(String code, String datatype, boolean required, Integer order, String description,
                            String datatypeDescription, List<Value> values) {
    }

    public record ServiceType(String code, String group, String nameZh, String nameEn, String descriptionZh,
                              String descriptionEn, String keywords, int responseHours, int resolveAmount,
                              DeadlineUnit resolveUnit, int reopenWorkingDays, List<Attribute> attributes, boolean active) {
        public String name(boolean english) {
            return english ? nameEn : nameZh;
        }
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AuditLog audit;

    ServiceCatalogue(JdbcClient jdbc, JsonMapper json, AuditLog audit) {
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
    }

    /** The active categories, in display order. */
    public List<ServiceType> active() {
        return jdbc.sql(SELECT + " WHERE active ORDER BY sort, code").query(this::map).list();
    }

    public Optional<ServiceType> find(String code) {
        return code == null ? Optional.empty() : jdbc.sql(SELECT + " WHERE code = ?").param(code).query(this::map).optional();
    }

    /** What an administrator may change: the deadlines, the form attributes, and whether the category is offered. */
    public record Change(Integer responseHours, Integer resolveAmount, DeadlineUnit resolveUnit, Integer reopenWorkingDays,
                         Boolean active, List<Attribute> attributes, String reason) {
    }

    /** A new category (the 派单目录 grows: Beijing's changed 300+ times). */
    public record NewService(String code, String group, String nameZh, String nameEn, String descriptionZh,
                             String descriptionEn, String keywords, Integer responseHours, Integer resolveAmount,
                             DeadlineUnit resolveUnit, Integer reopenWorkingDays, List<Attribute> attributes, String reason) {
    }

    static final java.util.Set<String> DATATYPES = java.util.Set.of("string", "number", "datetime", "text",
            "singlevaluelist", "multivaluelist");

    @Transactional
    public ServiceType create(NewService n, CurrentUser user) {
        if (user.role() != Role.ADMIN) {
            throw new ForbiddenException("only administrators change the service catalogue");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (n.code() == null || !n.code().matches("[A-Z][A-Z0-9_]{1,39}")) {
            problems.add(FieldProblem.of("code", n.code(), "类别代码为2至40位大写字母、数字或下划线，以字母开头",
                    "the code is 2 to 40 upper-case letters, digits or underscores, starting with a letter"));
        } else if (find(n.code()).isPresent()) {
            problems.add(FieldProblem.of("code", n.code(), "该类别代码已存在", "this code exists"));
        }
        if (!"OUTFALL".equals(n.group()) && !"GENERAL".equals(n.group())) {
            problems.add(FieldProblem.of("group", n.group(), "分组为 OUTFALL 或 GENERAL", "the group is OUTFALL or GENERAL"));
        }
        for (String[] f : new String[][] {{"nameZh", n.nameZh()}, {"nameEn", n.nameEn()}, {"descriptionZh", n.descriptionZh()},
                {"descriptionEn", n.descriptionEn()}}) {
            if (f[1] == null || f[1].isBlank() || f[1].length() > 200) {
                problems.add(FieldProblem.of(f[0], f[1], "必填，不超过200字", "required, at most 200 characters"));
            }
        }
        if (n.responseHours() == null || n.resolveAmount() == null || n.resolveUnit() == null) {
            problems.add(FieldProblem.of("resolveAmount", null, "须给出响应时限、办理时限及其单位",
                    "responseHours, resolveAmount and resolveUnit are required"));
        }
        Change limits = new Change(n.responseHours(), n.resolveAmount(), n.resolveUnit(), n.reopenWorkingDays(), true,
                n.attributes(), n.reason());
        problems.addAll(check(limits));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        jdbc.sql("""
                INSERT INTO request_service (code, grp, name_zh, name_en, description_zh, description_en, keywords,
                    response_hours, resolve_amount, resolve_unit, reopen_working_days, attributes, sort)
                VALUES (:code, :grp, :nameZh, :nameEn, :dZh, :dEn, :kw, :rh, :ra, :ru, :rw, CAST(:attrs AS jsonb),
                    (SELECT coalesce(max(sort), 0) + 10 FROM request_service))""")
                .param("code", n.code()).param("grp", n.group()).param("nameZh", n.nameZh().trim())
                .param("nameEn", n.nameEn().trim()).param("dZh", n.descriptionZh().trim()).param("dEn", n.descriptionEn().trim())
                .param("kw", n.keywords() == null ? "" : n.keywords().trim()).param("rh", n.responseHours())
                .param("ra", n.resolveAmount()).param("ru", n.resolveUnit().name())
                .param("rw", n.reopenWorkingDays() == null ? 5 : n.reopenWorkingDays())
                .param("attrs", json.writeValueAsString(n.attributes() == null ? List.of() : n.attributes())).update();
        ServiceType created = find(n.code()).orElseThrow();
        audit.record(user, "CREATE", "request_service", n.code(), n.reason(), null, created);
        return created;
    }

    /** Problems with deadlines, attributes and the reason of a change. */
    private static List<FieldProblem> check(Change c) {
        List<FieldProblem> problems = new ArrayList<>();
        if (c.responseHours() != null && (c.responseHours() < 1 || c.responseHours() > 720)) {
            problems.add(FieldProblem.of("responseHours", c.responseHours(), "响应时限为1至720小时", "response time is 1 to 720 hours"));
        }
        if (c.resolveAmount() != null && (c.resolveAmount() < 1 || c.resolveAmount() > 365)) {
            problems.add(FieldProblem.of("resolveAmount", c.resolveAmount(), "办理时限为1至365", "resolution time is 1 to 365"));
        }
        if (c.reopenWorkingDays() != null && (c.reopenWorkingDays() < 1 || c.reopenWorkingDays() > 60)) {
            problems.add(FieldProblem.of("reopenWorkingDays", c.reopenWorkingDays(), "退回再办时限为1至60个工作日",
                    "the reopened time limit is 1 to 60 working days"));
        }
        if (c.attributes() != null) {
            java.util.Set<String> codes = new java.util.HashSet<>();
            for (int i = 0; i < c.attributes().size(); i++) {
                Attribute a = c.attributes().get(i);
                String f = "attributes[" + i + "]";
                if (a == null || a.code() == null || !a.code().matches("[a-z][a-z0-9_]{0,39}") || !codes.add(a.code())) {
                    problems.add(FieldProblem.of(f + ".code", a == null ? null : a.code(), "属性代码为小写字母、数字或下划线，且不重复",
                            "an attribute code is lower-case letters, digits or underscores, and unique"));
                    continue;
                }
                if (!DATATYPES.contains(a.datatype())) {
                    problems.add(FieldProblem.of(f + ".datatype", a.datatype(), "类型应为 " + DATATYPES, "the datatype is one of " + DATATYPES));
                } else if (a.datatype().endsWith("valuelist") && (a.values() == null || a.values().isEmpty())) {
                    problems.add(FieldProblem.of(f + ".values", null, "选项类属性须列出可选值", "a list attribute lists its values"));
                }
                if (a.description() == null || a.description().isBlank()) {
                    problems.add(FieldProblem.of(f + ".description", null, "须说明该属性", "describe the attribute"));
                }
            }
        }
        if (c.reason() == null || c.reason().isBlank()) {
            problems.add(FieldProblem.of("reason", c.reason(), "修改须填写原因", "a reason for the change is required"));
        }
        return problems;
    }

    @Transactional
    public ServiceType update(String code, Change c, CurrentUser user) {
        if (user.role() != Role.ADMIN) {
            throw new ForbiddenException("only administrators change the service catalogue");
        }
        ServiceType before = find(code).orElseThrow(() -> new NotFoundException("service " + code));
        List<FieldProblem> problems = check(c);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        jdbc.sql("""
                UPDATE request_service SET response_hours = coalesce(:rh, response_hours),
                       resolve_amount = coalesce(:ra, resolve_amount), resolve_unit = coalesce(:ru, resolve_unit),
                       reopen_working_days = coalesce(:rw, reopen_working_days), active = coalesce(:active, active),
                       attributes = coalesce(CAST(:attrs AS jsonb), attributes)
                WHERE code = :code""")
                .param("attrs", c.attributes() == null ? null : json.writeValueAsString(c.attributes()))
                .param("rh", c.responseHours()).param("ra", c.resolveAmount())
                .param("ru", c.resolveUnit() == null ? null : c.resolveUnit().name())
                .param("rw", c.reopenWorkingDays()).param("active", c.active()).param("code", code).update();
        ServiceType after = find(code).orElseThrow();
        audit.record(user, "UPDATE", "request_service", code, c.reason(), before, after);
        return after;
    }

    private static final String SELECT = "SELECT code, grp, name_zh, name_en, description_zh, description_en, keywords, "
            + "response_hours, resolve_amount, resolve_unit, reopen_working_days, attributes, active FROM request_service";

    private ServiceType map(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        List<Attribute> attributes = json.readValue(rs.getString(12), new TypeReference<List<Attribute>>() { });
        return new ServiceType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9), DeadlineUnit.valueOf(rs.getString(10)),
                rs.getInt(11), attributes, rs.getBoolean(13));
    }
}
