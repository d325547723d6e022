package org.gongzhi.monitoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read access to stored measurements for other modules (compliance evaluates them), so that no other module reads
 * the measurement table. No jurisdiction check: callers are services acting on events or on outfalls they have
 * already checked through the ledger.
 */
@Service
public class MeasurementQueries {

    /**
     * One stored value: {@code value} is Rtd for real-time rows and Avg for minute, hour and day rows; min/max as
     * stored; flag as sent (null when none).
     */
    public record Value(long outfallId, MeasurementKind kind, Instant dataTime, String factor, String source,
                        Double value, Double min, Double max, Double cou, String flag) {
    }

    /** Maps the columns every value query selects, in this order. */
    private static final org.springframework.jdbc.core.RowMapper<Value> VALUE = (rs, i) -> new Value(rs.getLong(1),
            MeasurementKind.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5),
            (Double) rs.getObject(6), (Double) rs.getObject(7), (Double) rs.getObject(8), (Double) rs.getObject(9),
            rs.getString(10));

    private final JdbcClient jdbc;

    MeasurementQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The values of one outfall with {@code from <= data_time < to}, of the given kinds and (when not empty) factors,
     * ordered by factor and time.
     */
    @Transactional(readOnly = true)
    public List<Value> values(long outfallId, Collection<MeasurementKind> kinds, Collection<String> factors,
                              Instant from, Instant to) {
        if (kinds.isEmpty()) {
            return List.of();
        }
        String factorClause = factors == null || factors.isEmpty() ? "" : " AND factor = ANY(:factors)";
        var spec = jdbc.sql("""
                SELECT outfall_id, kind, data_time, factor, source,
                       CASE WHEN kind = 'REALTIME' THEN coalesce(rtd, avg) ELSE coalesce(avg, rtd) END, min, max, cou, flag
                FROM measurement
                WHERE outfall_id = :outfall AND kind = ANY(:kinds) AND data_time >= :from AND data_time < :to"""
                        + factorClause + " ORDER BY factor, data_time")
                .param("outfall", outfallId)
                .param("kinds", kinds.stream().map(Enum::name).toArray(String[]::new))
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to));
        if (!factorClause.isEmpty()) {
            spec = spec.param("factors", factors.toArray(String[]::new));
        }
        return spec.query(VALUE)
                .list();
    }

    /** The factors an outfall has values of in {@code [from, to)}. */
    @Transactional(readOnly = true)
    public Set<String> factors(long outfallId, Instant from, Instant to) {
        return Set.copyOf(jdbc.sql("SELECT DISTINCT factor FROM measurement WHERE outfall_id = ? AND data_time >= ? AND data_time < ?")
                .params(outfallId, Timestamp.from(from), Timestamp.from(to)).query(String.class).list());
    }

    /** How many distinct hours of a China day (Asia/Shanghai) an outfall has values of one factor for. */
    public record HoursOfDay(String factor, java.time.LocalDate day, int hours) {
    }

    /**
     * Per factor and China day in {@code [from, to)}: the number of distinct hours with any value (data completeness
     * for the compliance pages: effluent charts and the jurisdiction dashboard).
     */
    @Transactional(readOnly = true)
    public List<HoursOfDay> hoursPerDay(long outfallId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT factor, (data_time AT TIME ZONE 'Asia/Shanghai')::date AS d,
                       count(DISTINCT date_trunc('hour', data_time AT TIME ZONE 'Asia/Shanghai'))
                FROM measurement WHERE outfall_id = ? AND data_time >= ? AND data_time < ?
                GROUP BY factor, d ORDER BY factor, d""")
                .params(outfallId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, i) -> new HoursOfDay(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getInt(3))).list();
    }

    /**
     * The values in the given spans (outfall, kind, data times from..to inclusive), all factors and sources, in one
     * query ordered by outfall, factor and time: the compliance engine reads exactly the rows a committed batch of the
     * gateway stored ({@link MeasurementsStored#spans}). Spans that overlap return a row once per span: merge them first.
     */
    @Transactional(readOnly = true)
    public List<Value> values(List<MeasurementsStored.Span> spans) {
        if (spans.isEmpty()) {
            return List.of();
        }
        // one index probe of the primary key (outfall_id, kind, data_time) per span; times as ISO text (exact)
        return jdbc.sql("""
                SELECT m.outfall_id, m.kind, m.data_time, m.factor, m.source,
                       CASE WHEN m.kind = 'REALTIME' THEN coalesce(m.rtd, m.avg) ELSE coalesce(m.avg, m.rtd) END,
                       m.min, m.max, m.cou, m.flag
                FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[]) AS s(outfall_id, kind, t0, t1)
                JOIN measurement m ON m.outfall_id = s.outfall_id AND m.kind = s.kind
                                  AND m.data_time >= s.t0 AND m.data_time <= s.t1
                ORDER BY m.outfall_id, m.factor, m.data_time""")
                .params(spans.stream().map(MeasurementsStored.Span::outfallId).toArray(Long[]::new),
                        spans.stream().map(x -> x.kind().name()).toArray(String[]::new),
                        spans.stream().map(x -> x.from().toString()).toArray(String[]::new),
                        spans.stream().map(x -> x.to().toString()).toArray(String[]::new))
                .query(VALUE)
                .list();
    }

    /**
     * The values of several outfalls with {@code from <= data_time < to} and (when not empty) the given factors, all
     * kinds, in no particular order: the compliance backfill reads a stretch of history for a group of outfalls at
     * once, so that the partition's pages (which hold the rows of many outfalls, written as they arrived) are visited
     * once per group instead of once per outfall, and sorts in Java what it needs sorted. Min, max and cou are not
     * read (null): the compliance statistics use the value and its flag.
     */
    @Transactional(readOnly = true)
    public List<Value> unorderedValues(Collection<Long> outfallIds, Collection<String> factors, Instant from, Instant to) {
        if (outfallIds.isEmpty()) {
            return List.of();
        }
        // a read of this size has a plan cost far above jit_above_cost, but its expressions are trivial: compiling
        // them (about 0.1 s of CPU per query) costs more than it saves
        jdbc.sql("SET LOCAL jit = off").update();
        String factorClause = factors == null || factors.isEmpty() ? "" : " AND factor = ANY(:factors)";
        // the time as epoch microseconds: formatting and parsing timestamps as text was a third of the read's CPU
        var spec = jdbc.sql("""
                SELECT outfall_id, kind, CAST(extract(epoch FROM data_time) * 1000000 AS bigint), factor, source,
                       CASE WHEN kind = 'REALTIME' THEN coalesce(rtd, avg) ELSE coalesce(avg, rtd) END, flag
                FROM measurement
                WHERE outfall_id = ANY(:outfalls) AND data_time >= :from AND data_time < :to""" + factorClause)
                .param("outfalls", outfallIds.toArray(Long[]::new))
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to));
        if (!factorClause.isEmpty()) {
            spec = spec.param("factors", factors.toArray(String[]::new));
        }
        return spec.query((rs, i) -> {
            long micros = rs.getLong(3);
            return new Value(rs.getLong(1), MeasurementKind.valueOf(rs.getString(2)),
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L),
                    rs.getString(4), rs.getString(5), (Double) rs.getObject(6), null, null, null, rs.getString(7));
        }).list();
    }

    /** What an enabled data logger of an outfall is registered to send, and since when. */
    public record ExpectedFactors(String mn, List<String> factors, Instant registeredAt) {
    }

    /**
     * The enabled data loggers of an outfall with the factors each is registered to send (compliance judges a day
     * without any valid value of such a factor as missing data). Disabled loggers are left out.
     */
    @Transactional(readOnly = true)
    public List<ExpectedFactors> expectedFactors(long outfallId) {
        return jdbc.sql("SELECT mn, expected_factors, registered_at FROM data_logger WHERE outfall_id = ? AND enabled ORDER BY mn")
                .param(outfallId)
                .query((rs, i) -> new ExpectedFactors(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()),
                        rs.getTimestamp(3).toInstant()))
                .list();
    }
}
