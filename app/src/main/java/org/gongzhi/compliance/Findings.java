package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The finding table (V9): upserts keyed by outfall × factor × statistic × kind × window, and the lifecycle. */
@Repository
class Findings {

    enum Kind {
        INSTANT_EXCEEDANCE(2), VIOLATION(3), INSUFFICIENT_DATA(1), CHRONIC(4), TRC(4), DEVICE_OFFLINE(1),
        /** A required factor without any valid value for a whole China day (ICIS D80, anchors §1.1). */
        MISSING_DATA(1);

        /** How serious, for an alert whose window sees several kinds: the most severe one names the alert. */
        final int severity;

        Kind(int severity) {
            this.severity = severity;
        }
    }

    enum Status { OPEN, ACKNOWLEDGED, RESOLVED }

    /** Who resolves findings that a recomputation no longer supports. */
    static final String SYSTEM = "system";

    record Finding(long id, long outfallId, String factor, String statistic, Instant windowStart, Instant windowEnd,
                   Kind kind, JsonNode limit, String packCode, Integer packVersion, BigDecimal observed,
                   BigDecimal limitValue, String unit, JsonNode values, BigDecimal exceedancePercent, BigDecimal ratio,
                   Status status, String statusReason, String statusBy, Instant statusAt, Instant createdAt,
                   Instant updatedAt) {
    }

    /** What to store; {@code keepWorst}: update an existing row only if this one exceeds more (early warnings). */
    record Draft(long outfallId, String factor, String statistic, Instant windowStart, Instant windowEnd, Kind kind,
                 Object limit, String packCode, Integer packVersion, BigDecimal observed, BigDecimal limitValue,
                 String unit, Object values, BigDecimal exceedancePercent, BigDecimal ratio, boolean keepWorst) {
    }

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final JsonMapper json;

    Findings(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** Insert or refresh one finding (see {@link #upsert}); the last parameter is keepWorst. */
    private static final String UPSERT = """
                INSERT INTO finding (outfall_id, factor, statistic, window_start, window_end, kind, limit_ref, pack_code,
                    pack_version, observed, limit_value, unit, values_used, exceedance_percent, ratio)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (outfall_id, factor, statistic, kind, window_start, window_end) DO UPDATE SET
                    limit_ref = EXCLUDED.limit_ref, pack_code = EXCLUDED.pack_code, pack_version = EXCLUDED.pack_version,
                    observed = EXCLUDED.observed, limit_value = EXCLUDED.limit_value, unit = EXCLUDED.unit,
                    values_used = EXCLUDED.values_used, exceedance_percent = EXCLUDED.exceedance_percent,
                    ratio = EXCLUDED.ratio, updated_at = now(),
                    status = CASE WHEN finding.status = 'RESOLVED' AND finding.status_by = 'system' THEN 'OPEN' ELSE finding.status END,
                    status_reason = CASE WHEN finding.status = 'RESOLVED' AND finding.status_by = 'system' THEN NULL ELSE finding.status_reason END,
                    status_by = CASE WHEN finding.status = 'RESOLVED' AND finding.status_by = 'system' THEN NULL ELSE finding.status_by END,
                    status_at = CASE WHEN finding.status = 'RESOLVED' AND finding.status_by = 'system' THEN NULL ELSE finding.status_at END
                WHERE NOT ? OR finding.exceedance_percent IS NULL OR EXCLUDED.exceedance_percent > finding.exceedance_percent""";

    /** The row an upsert wrote: its id and status after the write. */
    record Stored(long id, Status status) {
    }

    /**
     * Inserts or refreshes the finding of that window; a row the system had resolved is reopened. Empty when nothing
     * was written (an early warning no worse than the stored one).
     */
    Optional<Stored> upsert(Draft d) {
        return jdbc.sql(UPSERT + " RETURNING id, status")
                .params(params(d))
                .query((rs, i) -> new Stored(rs.getLong(1), Status.valueOf(rs.getString(2))))
                .optional();
    }

    /** Upserts many findings in one JDBC batch (backfill of windows too old to alert anyone: no ids needed). */
    void upsertAll(List<Draft> drafts) {
        if (drafts.isEmpty()) {
            return;
        }
        batch.batchUpdate(UPSERT, drafts, 500, (ps, d) -> {
            Object[] p = params(d);
            for (int i = 0; i < p.length; i++) {
                ps.setObject(i + 1, p[i]);
            }
        });
    }

    private Object[] params(Draft d) {
        return new Object[] {d.outfallId(), d.factor(), d.statistic(), Timestamp.from(d.windowStart()), Timestamp.from(d.windowEnd()),
                d.kind().name(), json.writeValueAsString(d.limit()), d.packCode(), d.packVersion(), d.observed(),
                d.limitValue(), d.unit(), json.writeValueAsString(d.values()), d.exceedancePercent(), d.ratio(),
                d.keepWorst()};
    }

    /** Identifies a finding within one outfall: factor, statistic, kind and window start (to the microsecond). */
    static String key(String factor, String statistic, Kind kind, Instant windowStart) {
        return factor + "|" + statistic + "|" + kind + "|" + windowStart.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** The keys of an outfall's findings with a window starting in [from, to) that are not resolved. */
    java.util.Set<String> unresolvedKeys(long outfallId, Instant from, Instant to) {
        java.util.Set<String> out = java.util.concurrent.ConcurrentHashMap.newKeySet();
        jdbc.sql("SELECT factor, statistic, kind, window_start FROM finding WHERE outfall_id = ? AND window_start >= ? "
                        + "AND window_start < ? AND status <> 'RESOLVED'")
                .params(outfallId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, i) -> key(rs.getString(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getTimestamp(4).toInstant()))
                .list().forEach(out::add);
        return out;
    }

    /** Resolves, as the system, open findings of these kinds for a window that a recomputation no longer supports. */
    void resolveBySystem(long outfallId, String factor, String statistic, Instant start, Instant end, List<Kind> kinds,
                         String reason) {
        // An open alert raised by such a finding is withdrawn with it: history arriving in pieces (a logger catching
        // up) makes a day look short of data for a moment, and nobody should have to acknowledge that.
        jdbc.sql("""
                WITH resolved AS (
                    UPDATE finding SET status = 'RESOLVED', status_by = 'system', status_reason = ?, status_at = now(), updated_at = now()
                    WHERE outfall_id = ? AND factor = ? AND statistic = ? AND window_start = ? AND window_end = ?
                      AND kind = ANY(?) AND status <> 'RESOLVED'
                    RETURNING id)
                UPDATE alert SET status = 'WITHDRAWN', updated_at = now()
                WHERE status = 'OPEN' AND finding_id IN (SELECT id FROM resolved)""")
                .params(reason, outfallId, factor, statistic, Timestamp.from(start), Timestamp.from(end),
                        kinds.stream().map(Enum::name).toArray(String[]::new))
                .update();
    }

    /**
     * Per month (China time) in [from, to): whether the limit of this factor and statistic was violated, and the
     * worst ratio. Violations the system resolved (superseded by a recomputation) do not count.
     */
    Map<YearMonth, RollingWindows.Month> monthly(long outfallId, String factor, String statistic, Instant from, Instant to) {
        Map<YearMonth, RollingWindows.Month> out = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT to_char(window_start AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, max(ratio)
                FROM finding
                WHERE outfall_id = ? AND factor = ? AND statistic = ? AND kind = 'VIOLATION'
                  AND window_start >= ? AND window_start < ? AND NOT (status = 'RESOLVED' AND status_by = 'system')
                GROUP BY m""")
                .params(outfallId, factor, statistic, Timestamp.from(from), Timestamp.from(to))
                .query((rs, i) -> new RollingWindows.Month(YearMonth.parse(rs.getString(1)), true, rs.getBigDecimal(2)))
                .list().forEach(m -> out.put(m.month(), m));
        return out;
    }

    private static final String SELECT = """
            SELECT id, outfall_id, factor, statistic, window_start, window_end, kind, limit_ref::text, pack_code, pack_version,
                   observed, limit_value, unit, values_used::text, exceedance_percent, ratio, status, status_reason,
                   status_by, status_at, created_at, updated_at FROM finding""";

    Optional<Finding> find(long id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(this::map).optional();
    }

    List<Finding> forOutfall(long outfallId, Status status, int limit) {
        return jdbc.sql(SELECT + " WHERE outfall_id = ? AND (?::text IS NULL OR status = ?) ORDER BY window_start DESC, id DESC LIMIT ?")
                .params(outfallId, status == null ? null : status.name(), status == null ? null : status.name(), limit)
                .query(this::map).list();
    }

    /**
     * The findings of an outfall whose window overlaps {@code [from, to)}, oldest first, without those a
     * recomputation withdrew (resolved by the system): what the effluent charts and monthly reports show.
     */
    List<Finding> overlapping(long outfallId, Instant from, Instant to) {
        return jdbc.sql(SELECT + " " + """
                WHERE outfall_id = ? AND window_start < ? AND (window_end > ? OR window_start >= ?)
                   AND NOT (status = 'RESOLVED' AND status_by = 'system') ORDER BY window_start, id""")
                .params(outfallId, Timestamp.from(to), Timestamp.from(from), Timestamp.from(from))
                .query(this::map).list();
    }

    List<Finding> recent(Status status, int limit) {
        return jdbc.sql(SELECT + " WHERE (?::text IS NULL OR status = ?) ORDER BY created_at DESC, id DESC LIMIT ?")
                .params(status == null ? null : status.name(), status == null ? null : status.name(), limit)
                .query(this::map).list();
    }

    boolean acknowledge(long id, String by, String reason) {
        return jdbc.sql("""
                UPDATE finding SET status = 'ACKNOWLEDGED', status_by = ?, status_reason = ?, status_at = now(), updated_at = now()
                WHERE id = ? AND status = 'OPEN'""").params(by, reason, id).update() == 1;
    }

    private Finding map(ResultSet rs, int i) throws SQLException {
        return new Finding(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6).toInstant(), Kind.valueOf(rs.getString(7)), json.readTree(rs.getString(8)),
                rs.getString(9), (Integer) rs.getObject(10), rs.getBigDecimal(11), rs.getBigDecimal(12), rs.getString(13),
                json.readTree(rs.getString(14)), rs.getBigDecimal(15), rs.getBigDecimal(16), Status.valueOf(rs.getString(17)),
                rs.getString(18), rs.getString(19), rs.getTimestamp(20) == null ? null : rs.getTimestamp(20).toInstant(),
                rs.getTimestamp(21).toInstant(), rs.getTimestamp(22).toInstant());
    }
}
