package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.sql.Date;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The standard packs, their limits, assignments of a pack to an outfall and outfall-specific limits (V9). */
@Repository
class StandardPacks {

    /**
     * A standard pack version. {@code province} (6 digits, e.g. 320000) only for a local standard (地方标准), with its
     * {@code designation} (e.g. DB32/1072-2018) and the date it takes effect; national packs have none.
     */
    record Pack(String code, int version, String nameZh, String nameEn, String kind, List<String> grades, String source,
                String note, String province, String designation, LocalDate validFrom, String createdBy,
                Instant createdAt) {

        boolean local() {
            return province != null;
        }
    }

    /** A pack and grade assigned to an outfall for [validFrom, validTo). */
    record Assignment(long id, long outfallId, String packCode, int packVersion, String grade, String scope,
                      String waterBody, Boolean builtBefore2006, LocalDate validFrom, LocalDate validTo,
                      String assignedBy, Instant assignedAt, String reason) {

        boolean validOn(LocalDate day) {
            return !day.isBefore(validFrom) && (validTo == null || day.isBefore(validTo));
        }
    }

    private final JdbcClient jdbc;

    StandardPacks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Pack> packs() {
        return jdbc.sql("SELECT " + PACK_COLUMNS + " FROM standard_pack ORDER BY code, version")
                .query(StandardPacks::pack).list();
    }

    Optional<Pack> latest(String code) {
        return jdbc.sql("SELECT " + PACK_COLUMNS + " FROM standard_pack WHERE code = ? ORDER BY version DESC LIMIT 1").param(code).query(StandardPacks::pack).optional();
    }

    Optional<Pack> pack(String code, int version) {
        return jdbc.sql("SELECT " + PACK_COLUMNS + " FROM standard_pack WHERE code = ? AND version = ?").params(code, version).query(StandardPacks::pack).optional();
    }

    private static final String PACK_COLUMNS = "code, version, name_zh, name_en, kind, grades, source, note, province, designation, valid_from, created_by, created_at";

    private static Pack pack(ResultSet rs, int i) throws SQLException {
        return new Pack(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Arrays.asList((String[]) rs.getArray(6).getArray()), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getDate(11) == null ? null : rs.getDate(11).toLocalDate(), rs.getString(12),
                rs.getTimestamp(13).toInstant());
    }

    /**
     * Stores a new version of a pack (1 for a new code) with its rows, in the caller's transaction, and returns it.
     * Existing versions are never touched.
     */
    Pack addVersion(Pack header, List<Limit> rows, String by, Instant at) {
        int version = jdbc.sql("SELECT coalesce(max(version), 0) + 1 FROM standard_pack WHERE code = ?")
                .param(header.code()).query(Integer.class).single();
        jdbc.sql("""
                INSERT INTO standard_pack (code, version, name_zh, name_en, kind, grades, source, note, province, designation,
                    valid_from, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(header.code(), version, header.nameZh(), header.nameEn(), header.kind(),
                        header.grades().toArray(String[]::new), header.source(), header.note(), header.province(),
                        header.designation(), header.validFrom() == null ? null : Date.valueOf(header.validFrom()), by,
                        Timestamp.from(at))
                .update();
        for (Limit l : rows) {
            jdbc.sql("""
                    INSERT INTO pack_limit (pack_code, pack_version, grade, factor, statistic, comparison, value, low, high,
                        unit, condition, scope, clause, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(header.code(), version, l.grade(), l.factor(), l.statistic().name(), l.comparison().name(),
                            l.value(), l.low(), l.high(), l.unit(), l.condition().name(), l.scope(), l.clause(), l.note())
                    .update();
        }
        return pack(header.code(), version).orElseThrow();
    }

    /**
     * The rows of pack versions already read: a version is never edited once it exists (a correction is a new
     * version), so they can be kept; the engine asks for them for every day it evaluates.
     */
    private final Map<String, List<Limit>> limitCache = new java.util.concurrent.ConcurrentHashMap<>();

    /** The limits of a pack version (of one grade, or all grades when null), in a stable order. */
    List<Limit> limits(String code, int version, String grade) {
        return limitCache.computeIfAbsent(code + "|" + version + "|" + grade, k -> List.copyOf(read(code, version, grade)));
    }

    private List<Limit> read(String code, int version, String grade) {
        return jdbc.sql("""
                SELECT l.id, l.pack_code, l.pack_version, l.grade, l.factor, l.statistic, l.comparison, l.value, l.low, l.high,
                       l.unit, l.condition, l.scope, l.clause, l.note, p.province IS NOT NULL
                FROM pack_limit l JOIN standard_pack p ON p.code = l.pack_code AND p.version = l.pack_version
                WHERE l.pack_code = ? AND l.pack_version = ? AND (?::text IS NULL OR l.grade = ?)
                ORDER BY l.grade, l.factor, l.statistic, l.scope, l.condition""")
                .params(code, version, grade, grade)
                .query((rs, i) -> new Limit(rs.getLong(1), null, rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), Limit.Statistic.valueOf(rs.getString(6)), Limit.Comparison.valueOf(rs.getString(7)),
                        rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getString(11),
                        Limit.Condition.valueOf(rs.getString(12)), rs.getString(13),
                        rs.getBoolean(16) ? Limit.Source.LOCAL : Limit.Source.NATIONAL, rs.getString(14), rs.getString(15),
                        null, null))
                .list();
    }

    /**
     * Assignments and outfall limits per outfall, read on every evaluation (every batch of data): kept until this
     * module changes them ({@link #invalidate}, also after the changing transaction commits, so that a read racing the
     * change cannot keep the old rows).
     */
    private final Map<Long, List<Assignment>> assignmentCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, List<Limit>> outfallLimitCache = new java.util.concurrent.ConcurrentHashMap<>();

    void invalidate(long outfallId) {
        assignmentCache.remove(outfallId);
        outfallLimitCache.remove(outfallId);
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            changedInThisTransaction().add(outfallId);
        }
    }

    /**
     * The outfalls this transaction changed: until it ends, its own reads of them go to the database (they see its
     * uncommitted rows) and never fill the cache, and a concurrent evaluation that filled the cache meanwhile from
     * the committed rows is dropped when the transaction ends.
     */
    @SuppressWarnings("unchecked")
    private java.util.Set<Long> changedInThisTransaction() {
        java.util.Set<Long> changed = (java.util.Set<Long>)
                org.springframework.transaction.support.TransactionSynchronizationManager.getResource(this);
        if (changed == null) {
            java.util.Set<Long> created = new java.util.HashSet<>();
            org.springframework.transaction.support.TransactionSynchronizationManager.bindResource(this, created);
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            org.springframework.transaction.support.TransactionSynchronizationManager.unbindResourceIfPossible(
                                    StandardPacks.this);
                            created.forEach(id -> {
                                assignmentCache.remove(id);
                                outfallLimitCache.remove(id);
                            });
                        }
                    });
            changed = created;
        }
        return changed;
    }

    private boolean changedInThisTransaction(long outfallId) {
        Object changed = org.springframework.transaction.support.TransactionSynchronizationManager.getResource(this);
        return changed instanceof java.util.Set<?> set && set.contains(outfallId);
    }

    List<Assignment> assignments(long outfallId) {
        if (changedInThisTransaction(outfallId)) {
            return List.copyOf(readAssignments(outfallId));
        }
        return assignmentCache.computeIfAbsent(outfallId, id -> List.copyOf(readAssignments(id)));
    }

    private List<Assignment> readAssignments(long outfallId) {
        return jdbc.sql("""
                SELECT id, outfall_id, pack_code, pack_version, grade, scope, water_body, built_before_2006, valid_from,
                       valid_to, assigned_by, assigned_at, reason
                FROM outfall_limit_assignment WHERE outfall_id = ? ORDER BY valid_from, id""")
                .param(outfallId)
                .query((rs, i) -> new Assignment(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), (Boolean) rs.getObject(8),
                        rs.getDate(9).toLocalDate(), rs.getDate(10) == null ? null : rs.getDate(10).toLocalDate(),
                        rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getString(13)))
                .list();
    }

    /** Closes the open assignment (if it started before {@code from}) and inserts the new one. */
    long assign(long outfallId, Pack pack, String grade, String scope, String waterBody, Boolean builtBefore2006,
                LocalDate from, String by, Instant at, String reason) {
        invalidate(outfallId);
        jdbc.sql("UPDATE outfall_limit_assignment SET valid_to = ? WHERE outfall_id = ? AND valid_to IS NULL AND valid_from < ?")
                .params(Date.valueOf(from), outfallId, Date.valueOf(from)).update();
        // an assignment starting on or after the new one is replaced by it
        jdbc.sql("DELETE FROM outfall_limit_assignment WHERE outfall_id = ? AND valid_from >= ?")
                .params(outfallId, Date.valueOf(from)).update();
        return jdbc.sql("""
                INSERT INTO outfall_limit_assignment (outfall_id, pack_code, pack_version, grade, scope, water_body,
                    built_before_2006, valid_from, assigned_by, assigned_at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(outfallId, pack.code(), pack.version(), grade, scope, waterBody, builtBefore2006,
                        Date.valueOf(from), by, Timestamp.from(at), reason)
                .query(Long.class).single();
    }

    /** Every outfall with an assignment or an outfall limit still in force (the day-close job evaluates them). */
    List<Long> outfallsWithLimits() {
        return jdbc.sql("""
                SELECT outfall_id FROM outfall_limit_assignment WHERE valid_to IS NULL OR valid_to >= current_date - 1
                UNION SELECT outfall_id FROM outfall_limit WHERE valid_to IS NULL OR valid_to >= current_date - 1""")
                .query(Long.class).list();
    }

    List<Limit> outfallLimits(long outfallId) {
        if (changedInThisTransaction(outfallId)) {
            return List.copyOf(readOutfallLimits(outfallId));
        }
        return outfallLimitCache.computeIfAbsent(outfallId, id -> List.copyOf(readOutfallLimits(id)));
    }

    private List<Limit> readOutfallLimits(long outfallId) {
        return jdbc.sql("""
                SELECT id, factor, statistic, comparison, value, low, high, unit, condition, source, clause, valid_from, valid_to
                FROM outfall_limit WHERE outfall_id = ? ORDER BY factor, statistic, valid_from""")
                .param(outfallId)
                .query((rs, i) -> new Limit(null, rs.getLong(1), null, null, null, rs.getString(2),
                        Limit.Statistic.valueOf(rs.getString(3)), Limit.Comparison.valueOf(rs.getString(4)),
                        rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8),
                        Limit.Condition.valueOf(rs.getString(9)), "all", Limit.Source.valueOf(rs.getString(10)),
                        rs.getString(11), null, rs.getDate(12).toLocalDate(),
                        rs.getDate(13) == null ? null : rs.getDate(13).toLocalDate()))
                .list();
    }

    /** Stores an outfall-specific limit (validated by the caller). */
    long addOutfallLimit(long outfallId, Limit l, String by, Instant at, String reason) {
        return addOutfallLimit(outfallId, l, by, at, reason, null);
    }

    /** Stores an outfall-specific limit; {@code decisionCaseId} for limits of an approval decision. */
    long addOutfallLimit(long outfallId, Limit l, String by, Instant at, String reason, Long decisionCaseId) {
        invalidate(outfallId);
        return jdbc.sql("""
                INSERT INTO outfall_limit (outfall_id, factor, statistic, comparison, value, low, high, unit, condition,
                    valid_from, valid_to, source, clause, created_by, created_at, reason, decision_case_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(outfallId, l.factor(), l.statistic().name(), l.comparison().name(), l.value(), l.low(), l.high(),
                        l.unit(), l.condition().name(), Date.valueOf(l.validFrom()),
                        l.validTo() == null ? null : Date.valueOf(l.validTo()), l.source().name(), l.clause(), by,
                        Timestamp.from(at), reason, decisionCaseId)
                .query(Long.class).single();
    }

    /** The limits in force for an outfall on a day, with the assignment they come from (if any). */
    record Effective(LocalDate day, Assignment assignment, Map<String, List<Limit>> byFactorAndStatistic) {

        static String key(String factor, Limit.Statistic statistic) {
            return factor + "|" + statistic;
        }

        List<Limit> all() {
            return byFactorAndStatistic.values().stream().flatMap(List::stream).toList();
        }

        Set<String> factors() {
            return all().stream().map(Limit::factor).collect(Collectors.toSet());
        }
    }

    /**
     * Effective limits on {@code day}: the assigned pack and grade (industry scope for GB 8978: the outfall's row,
     * else the "其他" row, plus rows for all industries; of a construction-date or river/lake split only the row the
     * assignment selects), replaced factor × statistic by outfall-specific limits
     * valid that day. Several limits under one key are a pack's condition split (NH3-N, TP, river/lake).
     */
    Effective effective(long outfallId, LocalDate day, List<Assignment> assignments, List<Limit> specific) {
        Assignment a = assignments.stream().filter(x -> x.validOn(day)).reduce((x, y) -> y).orElse(null);
        Map<String, List<Limit>> out = new LinkedHashMap<>();
        if (a != null) {
            List<Limit> rows = limits(a.packCode(), a.packVersion(), a.grade());
            Map<String, List<Limit>> byKey = rows.stream().collect(Collectors.groupingBy(
                    l -> Effective.key(l.factor(), l.statistic()), LinkedHashMap::new, Collectors.toList()));
            for (var e : byKey.entrySet()) {
                List<Limit> chosen = e.getValue().stream().filter(l -> "all".equals(l.scope()) || l.scope().equals(a.scope())).toList();
                if (chosen.isEmpty()) {
                    chosen = e.getValue().stream().filter(l -> "其他".equals(l.scope())).toList();
                }
                // the conditions the assignment settles (construction date, water body); water temperature stays
                Evaluator.Context fixed = new Evaluator.Context(null, a.builtBefore2006(),
                        a.waterBody() == null ? null : Limit.Condition.valueOf(a.waterBody()));
                chosen = chosen.stream().filter(l -> l.condition() == Limit.Condition.WATER_TEMP_GT_12
                        || l.condition() == Limit.Condition.WATER_TEMP_LE_12
                        || Evaluator.select(List.of(l), fixed, Evaluator.Rules.defaults()).limit() != null).toList();
                if (!chosen.isEmpty()) {
                    out.put(e.getKey(), chosen);
                }
            }
        }
        Map<String, List<Limit>> own = specific.stream().filter(l -> l.validOn(day)).collect(Collectors.groupingBy(
                l -> Effective.key(l.factor(), l.statistic()), LinkedHashMap::new, Collectors.toList()));
        out.putAll(own);
        return new Effective(day, a, out);
    }

    static BigDecimal nz(BigDecimal b) {
        return b == null ? BigDecimal.ZERO : b;
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
