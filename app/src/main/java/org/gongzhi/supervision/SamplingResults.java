package org.gongzhi.supervision;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.gongzhi.monitoring.MeasurementKind;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.monitoring.MeasurementsStored;
import org.gongzhi.platform.CurrentUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Attaches lab results to sampling tasks. Results arrive through the monitoring module's results import (监测结果导入,
 * source LAB or MANUAL) like any other measurement; a task is matched by its outfall and its sampling time, within
 * {@code gongzhi.supervision.sample-match-minutes} (default 120) either side, because the lab reports the
 * sampling time it was given, rounded as it likes. Runs after the import has committed, and again when a sample is
 * recorded (the results may have come first).
 */
@Component
class SamplingResults {

    private final JdbcClient jdbc;
    private final MeasurementQueries measurements;
    private final Campaigns campaigns;
    private final Duration tolerance;

    SamplingResults(JdbcClient jdbc, MeasurementQueries measurements, Campaigns campaigns,
                    @Value("${gongzhi.supervision.sample-match-minutes:120}") long minutes) {
        this.jdbc = jdbc;
        this.measurements = measurements;
        this.campaigns = campaigns;
        this.tolerance = Duration.ofMinutes(minutes);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(MeasurementsStored stored) {
        if (!stored.imported()) {
            return; // data loggers send no LAB or MANUAL values: no query on the gateway's path for every batch
        }
        List<Long> tasks = jdbc.sql("""
                SELECT id FROM sampling_task
                WHERE status = 'SAMPLED' AND outfall_id = ANY(?) AND sampled_at BETWEEN ? AND ?""")
                .params(stored.outfallIds().toArray(Long[]::new), Timestamp.from(stored.from().minus(tolerance)),
                        Timestamp.from(stored.to().plus(tolerance)))
                .query(Long.class).list();
        tasks.forEach(id -> check(id, CurrentUser.system()));
    }

    /** Counts the LAB and MANUAL values of the task's outfall at its sampling time; when there are any, the results are in. */
    @Transactional
    void check(long taskId, CurrentUser by) {
        var row = jdbc.sql("SELECT outfall_id, sampled_at, factors FROM sampling_task WHERE id = ? AND status = 'SAMPLED'")
                .param(taskId)
                .query((rs, i) -> new Object[] {rs.getLong(1), rs.getTimestamp(2).toInstant(), Campaigns.strings(rs.getArray(3))})
                .optional();
        if (row.isEmpty()) {
            return;
        }
        long outfall = (Long) row.get()[0];
        Instant at = (Instant) row.get()[1];
        @SuppressWarnings("unchecked") List<String> factors = (List<String>) row.get()[2];
        long count = measurements.values(outfall, EnumSet.allOf(MeasurementKind.class), factors,
                        at.minus(tolerance), at.plus(tolerance).plusMillis(1)).stream()
                .filter(v -> "LAB".equals(v.source()) || "MANUAL".equals(v.source())).count();
        if (count > 0) {
            campaigns.resultsIn(taskId, (int) count, by);
        }
    }
}
