package org.gongzhi.approval;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.WaterBodies;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The case tables. Every read takes the caller's jurisdiction and adds it to the SQL: a region bureau sees the
 * cases of outfalls in its region, a basin bureau those routed to it or on its waters, a party its own applications.
 */
@Repository
class ApprovalCases {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final WaterBodies waterBodies;

    ApprovalCases(JdbcClient jdbc, JsonMapper json, WaterBodies waterBodies) {
        this.jdbc = jdbc;
        this.json = json;
        this.waterBodies = waterBodies;
    }

    private static final String SELECT = """
            SELECT c.*, o.name AS applicant_name FROM approval_case c JOIN organization o ON o.id = c.applicant_org_id""";

    /** The jurisdiction as a WHERE clause and its parameters. */
    record Scope(String sql, List<Object> params) {
    }

    Scope scope(Jurisdiction j) {
        return switch (j.scope()) {
            case NATIONAL -> new Scope("TRUE", List.of());
            case REGION -> new Scope("c.region_code LIKE ?", List.of(j.regionPrefix() + "%"));
            case BASIN -> new Scope("(c.authority_basin = ? OR c.water_body_id = ANY(?))",
                    List.of(j.basin().name(), waterBodies.idsInBasin(j.basin()).toArray(Long[]::new)));
            case PARTY -> new Scope("c.applicant_org_id = ?", List.of(j.partyId()));
        };
    }

    /** The cases one bureau decides (its level and region, or its basin) as an extra clause; empty for null. */
    private static String byAuthority(ApprovalCase.Authority a, List<Object> params) {
        if (a == null) {
            return "";
        }
        params.addAll(Arrays.asList(a.level(), a.regionCode(), a.basin()));
        return " AND c.authority_level = ? AND c.authority_region_code IS NOT DISTINCT FROM ?"
                + " AND c.authority_basin IS NOT DISTINCT FROM ?";
    }

    Optional<ApprovalCase> find(long id, Jurisdiction j) {
        Scope s = scope(j);
        List<Object> params = new ArrayList<>(s.params());
        params.add(id);
        return jdbc.sql(SELECT + " WHERE " + s.sql() + " AND c.id = ?").params(params).query(this::map).optional();
    }

    /** Cases of the jurisdiction, optionally only those one bureau decides (its queue), by deadline. */
    List<ApprovalCase> list(Jurisdiction j, ApprovalCase.Authority queueOf, boolean openOnly, int limit) {
        Scope s = scope(j);
        StringBuilder sql = new StringBuilder(SELECT + " WHERE " + s.sql());
        List<Object> params = new ArrayList<>(s.params());
        sql.append(byAuthority(queueOf, params));
        if (openOnly) {
            sql.append(" AND c.state NOT IN ('APPROVED', 'REFUSED', 'REGISTERED', 'CONFIRMED', 'NOT_ACCEPTED', 'WITHDRAWN')");
        }
        // The clock that runs now: the completeness check before acceptance, the decision deadline after.
        sql.append(" ORDER BY COALESCE(c.decision_deadline, c.completeness_deadline) NULLS LAST, c.id LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    /** Cases whose statutory clock runs now (completeness check or decision): what reminders look at. */
    List<Long> withRunningClock() {
        return jdbc.sql("SELECT id FROM approval_case WHERE state IN ('SUBMITTED', 'ACCEPTED') ORDER BY id")
                .query(Long.class).list();
    }

    /** Cases still in the completeness check whose deadline passed before {@code today}: candidates for deemed acceptance. */
    List<Long> overdueCompletenessChecks(LocalDate today) {
        return jdbc.sql("""
                SELECT id FROM approval_case
                WHERE kind = 'APPROVAL' AND state = 'SUBMITTED' AND completeness_deadline < ? ORDER BY id""")
                .param(today).query(Long.class).list();
    }

    long insert(ApprovalCase c) {
        ApprovalCase.Proposed p = c.outfall();
        ApprovalCase.Authority a = c.authority();
        return jdbc.sql("""
                        INSERT INTO approval_case (kind, setting_type, state, applicant_org_id, entered_by, paper, outfall_id,
                            outfall_name, type_code, region_code, water_body_id, longitude, latitude, discharge_mode,
                            discharge_pattern, destination, design_capacity, application, needs_full_report,
                            full_report_reasons, authority_level, authority_region_code, authority_basin, authority_rule_id,
                            received_on, completeness_deadline, decision_deadline, version, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                        RETURNING id""")
                .params(c.kind().name(), c.settingType() == null ? null : c.settingType().name(), c.state().name(),
                        c.applicantOrgId(), c.enteredBy(), c.paper(), c.outfallId(), p.name(), p.typeCode(), p.regionCode(),
                        p.waterBodyId(), p.longitude(), p.latitude(), p.dischargeMode(), p.dischargePattern(),
                        p.destination(), p.designCapacity(), json.writeValueAsString(c.application()), c.needsFullReport(),
                        c.fullReportReasons().toArray(String[]::new), a.level(), a.regionCode(), a.basin(), a.ruleId(),
                        c.receivedOn(), c.completenessDeadline(), c.decisionDeadline(),
                        Timestamp.from(c.createdAt()), Timestamp.from(c.updatedAt()))
                .query(Long.class).single();
    }

    /**
     * Sets columns of a case if it is still at {@code expectedVersion} (optimistic locking), bumping the version.
     * Column names come from the service's code, never from input. Returns false when someone changed it first.
     */
    boolean update(long id, int expectedVersion, Map<String, Object> columns) {
        StringBuilder sql = new StringBuilder("UPDATE approval_case SET ");
        List<Object> params = new ArrayList<>();
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            if (!e.getKey().matches("[a-z_]+")) {
                throw new IllegalArgumentException(e.getKey());
            }
            boolean jsonb = e.getKey().equals("decision") || e.getKey().equals("application");
            sql.append(e.getKey()).append(jsonb ? " = ?::jsonb, " : " = ?, ");
            Object v = e.getValue();
            params.add(jsonb && v != null ? json.writeValueAsString(v)
                    : v instanceof List<?> list ? list.stream().map(String::valueOf).toArray(String[]::new)
                    : v instanceof Enum<?> en ? en.name() : v);
        }
        sql.append("version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
        params.add(Timestamp.from(Instant.now()));
        params.add(id);
        params.add(expectedVersion);
        return jdbc.sql(sql.toString()).params(params).update() == 1;
    }

    static Map<String, Object> cols(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The next number of a series in a year (case, decision, registration numbers), never reused. */
    int nextNumber(String series, int year) {
        return jdbc.sql("""
                INSERT INTO approval_number_sequence (series, year, last) VALUES (?, ?, 1)
                ON CONFLICT (series, year) DO UPDATE SET last = approval_number_sequence.last + 1
                RETURNING last""").params(series, year).query(Integer.class).single();
    }

    // ------------------------------------------------------------------ pauses, materials, documents

    List<ApprovalCase.Pause> pauses(long caseId) {
        return jdbc.sql("""
                SELECT id, reason, note, started_on, ended_on, paused_days, started_by, ended_by
                FROM approval_pause WHERE case_id = ? ORDER BY started_on, id""").param(caseId)
                .query((rs, i) -> new ApprovalCase.Pause(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class),
                        (Integer) rs.getObject(6), rs.getString(7), rs.getString(8))).list();
    }

    Optional<ApprovalCase.Pause> openPause(long caseId) {
        return pauses(caseId).stream().filter(p -> p.endedOn() == null).findFirst();
    }

    void insertPause(long caseId, String reason, String note, LocalDate startedOn, String by) {
        jdbc.sql("INSERT INTO approval_pause (case_id, reason, note, started_on, started_by) VALUES (?, ?, ?, ?, ?)")
                .params(caseId, reason, note, startedOn, by).update();
    }

    void endPause(long pauseId, LocalDate endedOn, int pausedDays, String by) {
        jdbc.sql("UPDATE approval_pause SET ended_on = ?, paused_days = ?, ended_by = ? WHERE id = ? AND ended_on IS NULL")
                .params(endedOn, pausedDays, by, pauseId).update();
    }

    List<ApprovalCase.Material> materials(long caseId) {
        return jdbc.sql("""
                SELECT m.id, m.kind, m.file_id, f.filename, f.content_type, f.size_bytes, m.uploaded_on, f.uploaded_by
                FROM approval_material m JOIN stored_file f ON f.id = m.file_id WHERE m.case_id = ? ORDER BY m.id""")
                .param(caseId)
                .query((rs, i) -> new ApprovalCase.Material(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getObject(7, LocalDate.class), rs.getString(8))).list();
    }

    void insertMaterial(long caseId, String kind, long fileId, LocalDate on) {
        jdbc.sql("INSERT INTO approval_material (case_id, kind, file_id, uploaded_on) VALUES (?, ?, ?, ?)")
                .params(caseId, kind, fileId, on).update();
    }

    List<ApprovalCase.Document> documents(long caseId) {
        return jdbc.sql("""
                SELECT id, kind, number, verification_code, file_id, sha256, issued_on, issued_by
                FROM approval_document WHERE case_id = ? ORDER BY id""").param(caseId)
                .query(ApprovalCases::document).list();
    }

    Optional<ApprovalCase.Document> documentByCode(String code) {
        return jdbc.sql("""
                SELECT id, kind, number, verification_code, file_id, sha256, issued_on, issued_by
                FROM approval_document WHERE verification_code = ?""").param(code)
                .query(ApprovalCases::document).optional();
    }

    Optional<Long> caseOfDocument(long documentId) {
        return jdbc.sql("SELECT case_id FROM approval_document WHERE id = ?").param(documentId).query(Long.class).optional();
    }

    void insertDocument(long caseId, String kind, String number, String code, long fileId, String sha, LocalDate on,
                        String by) {
        jdbc.sql("""
                INSERT INTO approval_document (case_id, kind, number, verification_code, file_id, sha256, issued_on,
                                               issued_by, issued_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(caseId, kind, number, code, fileId, sha, on, by, Timestamp.from(Instant.now())).update();
    }

    private static ApprovalCase.Document document(ResultSet rs, int i) throws SQLException {
        return new ApprovalCase.Document(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getObject(7, LocalDate.class), rs.getString(8));
    }

    // ------------------------------------------------------------------ catalogue and rules

    /** A catalogue entry; a retired one still names the reason of the decisions that cite it, but is not offered. */
    record RefusalReason(String code, String zh, String en, String basis, int sort, boolean active) {
    }

    /** The whole catalogue, retired entries included (past decisions cite them). */
    List<RefusalReason> refusalReasons() {
        return jdbc.sql("SELECT code, zh, en, basis, sort, retired_at IS NULL FROM approval_refusal_reason ORDER BY sort, code")
                .query((rs, i) -> new RefusalReason(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getBoolean(6)))
                .list();
    }

    record Rule(long id, String provinceCode, int priority, String criterion, String value, String authorityLevel,
                String note) {
    }

    static final String RULE_SELECT = """
            SELECT id, province_code, priority, criterion, criterion_value, authority_level, note
            FROM approval_authority_rule""";

    static Rule rule(ResultSet rs, int i) throws SQLException {
        return new Rule(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7));
    }

    /** The rules that apply in a province: its own first, then the national defaults, each by priority. */
    List<Rule> rules(String provinceCode) {
        return jdbc.sql(RULE_SELECT + " WHERE province_code = ? OR province_code IS NULL"
                + " ORDER BY province_code NULLS LAST, priority, id").param(provinceCode).query(ApprovalCases::rule).list();
    }

    // ------------------------------------------------------------------ statistics

    record StateCount(String state, long count) {
    }

    List<StateCount> countByState(Jurisdiction j, ApprovalCase.Authority authority) {
        Scope s = scope(j);
        List<Object> params = new ArrayList<>(s.params());
        String byAuthority = byAuthority(authority, params);
        return jdbc.sql("SELECT c.state, count(*) FROM approval_case c WHERE " + s.sql() + byAuthority
                        + " GROUP BY c.state ORDER BY c.state").params(params)
                .query((rs, i) -> new StateCount(rs.getString(1), rs.getLong(2))).list();
    }

    /** Decided approval cases (accepted date, decision date, deadline), for working-day statistics. */
    record Decided(LocalDate acceptedOn, LocalDate decidedOn, LocalDate deadline, int pausedDays) {
    }

    List<Decided> decided(Jurisdiction j, ApprovalCase.Authority authority) {
        Scope s = scope(j);
        List<Object> params = new ArrayList<>(s.params());
        String byAuthority = byAuthority(authority, params);
        return jdbc.sql("""
                        SELECT c.accepted_on, c.decided_on, c.decision_deadline,
                               COALESCE((SELECT sum(p.paused_days) FROM approval_pause p WHERE p.case_id = c.id), 0)
                        FROM approval_case c
                        WHERE c.kind = 'APPROVAL' AND c.state IN ('APPROVED', 'REFUSED') AND """ + " " + s.sql() + byAuthority)
                .params(params)
                .query((rs, i) -> new Decided(rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class),
                        rs.getObject(3, LocalDate.class), rs.getInt(4))).list();
    }

    // ------------------------------------------------------------------ mapping

    private ApprovalCase map(ResultSet rs, int i) throws SQLException {
        String settingType = rs.getString("setting_type");
        String decision = rs.getString("decision");
        Array refusal = rs.getArray("refusal_codes");
        Long outfallId = (Long) rs.getObject("outfall_id");
        Long waterBodyId = (Long) rs.getObject("water_body_id");
        Long ruleId = (Long) rs.getObject("authority_rule_id");
        BigDecimal lon = rs.getBigDecimal("longitude");
        BigDecimal lat = rs.getBigDecimal("latitude");
        return new ApprovalCase(rs.getLong("id"), ApprovalCase.Kind.valueOf(rs.getString("kind")),
                settingType == null ? null : ApprovalCase.SettingType.valueOf(settingType),
                ApprovalCase.State.valueOf(rs.getString("state")), rs.getString("case_number"),
                rs.getLong("applicant_org_id"), rs.getString("applicant_name"), rs.getString("entered_by"),
                rs.getBoolean("paper"), outfallId,
                new ApprovalCase.Proposed(rs.getString("outfall_name"), rs.getString("type_code"),
                        rs.getString("region_code"), waterBodyId, lon == null ? null : lon.doubleValue(),
                        lat == null ? null : lat.doubleValue(), rs.getString("discharge_mode"),
                        rs.getString("discharge_pattern"), rs.getString("destination"), rs.getBigDecimal("design_capacity")),
                json.readValue(rs.getString("application"), ApprovalCase.Application.class),
                rs.getBoolean("needs_full_report"), Arrays.asList((String[]) rs.getArray("full_report_reasons").getArray()),
                new ApprovalCase.Authority(rs.getString("authority_level"), rs.getString("authority_region_code"),
                        rs.getString("authority_basin"), ruleId, null),
                rs.getObject("received_on", LocalDate.class), rs.getObject("completeness_deadline", LocalDate.class),
                rs.getObject("supplement_requested_on", LocalDate.class), rs.getString("supplement_items"),
                rs.getObject("supplemented_on", LocalDate.class), rs.getObject("accepted_on", LocalDate.class),
                rs.getBoolean("deemed_accepted"), rs.getObject("decision_deadline", LocalDate.class),
                rs.getBoolean("extended"), rs.getString("extension_reason"), rs.getObject("decided_on", LocalDate.class),
                rs.getString("decision_number"),
                decision == null ? null : json.readValue(decision, ApprovalCase.Decision.class),
                refusal == null ? List.of() : Arrays.asList((String[]) refusal.getArray()), rs.getString("refusal_text"),
                rs.getString("return_reasons"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
