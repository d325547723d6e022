package org.gongzhi.monitoring;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monthly partitions (China time) of measurement (by data_time) and raw_packet (by received_at): created
 * {@code months-ahead} ahead at start-up and every night, so that writes normally never land in the DEFAULT
 * partition. If the DEFAULT partition already holds rows of a month being created (a logger with its clock in the
 * future), they are moved into the new partition in the same transaction. Also the raw-packet retention job.
 */
@Component
class StoragePartitions {

    private static final Logger log = LoggerFactory.getLogger(StoragePartitions.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final int monthsAhead;
    private final int monthsBack;
    private final int rawRetentionDays;

    StoragePartitions(JdbcClient jdbc, TransactionTemplate tx,
                      @Value("${gongzhi.monitoring.partitions.months-ahead:3}") int monthsAhead,
                      @Value("${gongzhi.monitoring.partitions.months-back:1}") int monthsBack,
                      @Value("${gongzhi.monitoring.raw-packet.retention-days:180}") int rawRetentionDays) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.monthsAhead = monthsAhead;
        this.monthsBack = monthsBack;
        this.rawRetentionDays = rawRetentionDays;
    }

    @Scheduled(cron = "${gongzhi.monitoring.partitions.cron:0 17 2 * * *}", zone = "Asia/Shanghai")
    void ensure() {
        YearMonth now = YearMonth.now(MeasurementStore.CHINA);
        for (int i = -monthsBack; i <= monthsAhead; i++) {
            YearMonth m = now.plusMonths(i);
            ensure("measurement", "data_time", m);
            ensure("raw_packet", "received_at", m);
            ensure("raw_batch", "received_at", m);
        }
    }

    static String name(String table, YearMonth m) {
        return table + "_p" + m.getYear() + String.format("%02d", m.getMonthValue());
    }

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(MeasurementStore.CHINA).toInstant();
    }

    void ensure(String table, String column, YearMonth m) {
        String part = name(table, m);
        Boolean exists = jdbc.sql("SELECT to_regclass(?) IS NOT NULL").param(part).query(Boolean.class).single();
        if (Boolean.TRUE.equals(exists)) {
            return;
        }
        String from = start(m).toString();
        String to = start(m.plusMonths(1)).toString();
        try {
            tx.executeWithoutResult(s -> {
                // Lock out writers of the parent while rows move out of DEFAULT (brief; runs at night).
                jdbc.sql("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE").update();
                jdbc.sql("CREATE TABLE " + part + " (LIKE " + table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)").update();
                int moved = jdbc.sql("WITH m AS (DELETE FROM " + table + "_default WHERE " + column + " >= '" + from
                        + "' AND " + column + " < '" + to + "' RETURNING *) INSERT INTO " + part + " SELECT * FROM m").update();
                jdbc.sql("ALTER TABLE " + table + " ATTACH PARTITION " + part + " FOR VALUES FROM ('" + from + "') TO ('"
                        + to + "')").update();
                if (moved > 0) {
                    log.warn("moved {} rows of {} from {}_default into {}", moved, m, table, part);
                }
            });
            log.info("created partition {}", part);
        } catch (RuntimeException e) {
            log.error("could not create partition {}: {}", part, e.toString());
        }
    }

    /** Raw packets older than the retention: whole months dropped, the rest deleted. */
    @Scheduled(cron = "${gongzhi.monitoring.raw-packet.retention-cron:0 47 3 * * *}", zone = "Asia/Shanghai")
    void applyRawRetention() {
        Instant cutoff = Instant.now().minus(Duration.ofDays(rawRetentionDays));
        YearMonth cutoffMonth = YearMonth.from(LocalDate.ofInstant(cutoff, MeasurementStore.CHINA));
        for (String table : List.of("raw_packet", "raw_batch")) {
            List<String> parts = jdbc.sql("""
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = CAST(? AS regclass) AND c.relname ~ ('^' || ? || '_p[0-9]{6}$')""")
                    .params(table, table).query(String.class).list();
            for (String p : parts) {
                String yyyymm = p.substring(p.length() - 6);
                YearMonth m = YearMonth.of(Integer.parseInt(yyyymm.substring(0, 4)), Integer.parseInt(yyyymm.substring(4)));
                if (m.isBefore(cutoffMonth)) {
                    jdbc.sql("DROP TABLE " + p).update();
                    log.info("dropped {} (raw packets older than {} days)", p, rawRetentionDays);
                }
            }
        }
        jdbc.sql("DELETE FROM raw_batch WHERE received_at < ?").param(Timestamp.from(cutoff)).update();
        int deleted = jdbc.sql("DELETE FROM raw_packet WHERE received_at < ?").param(Timestamp.from(cutoff)).update();
        if (deleted > 0) {
            log.info("deleted {} raw packets older than {} days", deleted, rawRetentionDays);
        }
    }
}
