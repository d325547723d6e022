package org.gongzhi.monitoring;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read access for other modules to the self-monitoring (自行监测) results parties upload through the results import
 * (source SELF): the supervision module shows them on the party's duties page. Read through the import's side rows
 * (measurement_sample, one per imported value), so an outfall's online data is never scanned. No jurisdiction check: callers pass
 * outfalls they have already found through the ledger for the caller.
 */
@Service
public class ManualResultQueries {

    /** One self-monitoring value, in the factor's HJ 212 unit; {@code belowDetection} for ND / "&lt;x" results. */
    public record SelfResult(long outfallId, Instant sampledAt, String factor, String factorName, String unit, Double value,
                             boolean belowDetection, String lab, String reportNo, Long importId) {
    }

    private final JdbcClient jdbc;

    ManualResultQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest {@code perOutfall} self-monitoring values of each of these outfalls, newest first. */
    @Transactional(readOnly = true)
    public List<SelfResult> selfMonitoring(Collection<Long> outfallIds, int perOutfall) {
        if (outfallIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT x.outfall_id, x.data_time, x.factor, coalesce(m.rtd, m.avg), m.flag, x.lab, x.report_no, x.import_id
                FROM (SELECT s.*, row_number() OVER (PARTITION BY s.outfall_id ORDER BY s.data_time DESC, s.factor) AS n
                      FROM measurement_sample s WHERE s.outfall_id = ANY(?) AND s.source = 'SELF') x
                JOIN measurement m USING (outfall_id, kind, data_time, factor, source)
                WHERE x.n <= ? ORDER BY x.outfall_id, x.data_time DESC, x.factor""")
                .params(outfallIds.toArray(Long[]::new), perOutfall)
                .query((rs, i) -> {
                    Optional<WaterFactor> f = WaterFactor.ofCode(rs.getString(3));
                    return new SelfResult(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            f.map(x -> x.zh).orElse(rs.getString(3)), f.map(x -> x.unit).orElse(null), (Double) rs.getObject(4),
                            "ND".equals(rs.getString(5)), rs.getString(6), rs.getString(7), (Long) rs.getObject(8));
                })
                .list();
    }
}
