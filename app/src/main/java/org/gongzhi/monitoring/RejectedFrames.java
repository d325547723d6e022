package org.gongzhi.monitoring;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * The rejected_frame log: every frame the gateway refused, with reason, remote address, MN if known and the first
 * bytes (at most {@link #MAX_RAW}). Bounded: the newest {@code gongzhi.monitoring.rejected.max-rows} rows
 * (default 100,000) younger than {@code gongzhi.monitoring.rejected.retention-days} (default 30) are kept.
 */
@Repository
class RejectedFrames {

    private static final Logger log = LoggerFactory.getLogger(RejectedFrames.class);
    static final int MAX_RAW = 2048;

    /** Reasons for failed authentication, next to the codec's Hj212Error names. */
    static final String AUTH_UNKNOWN_MN = "AUTH_UNKNOWN_MN";
    static final String AUTH_BAD_PASSWORD = "AUTH_BAD_PASSWORD";
    static final String AUTH_DISABLED = "AUTH_DISABLED";
    static final String SPLIT_INCOMPLETE = "SPLIT_INCOMPLETE";

    private final JdbcClient jdbc;
    private final long maxRows;
    private final int retentionDays;

    RejectedFrames(JdbcClient jdbc, @Value("${gongzhi.monitoring.rejected.max-rows:100000}") long maxRows,
                   @Value("${gongzhi.monitoring.rejected.retention-days:30}") int retentionDays) {
        this.jdbc = jdbc;
        this.maxRows = maxRows;
        this.retentionDays = retentionDays;
    }

    record Frame(long id, Instant receivedAt, String remote, String mn, Integer cn, String reason, String detail,
                 String raw) {
    }

    record Unregistered(String mn, long count, Instant firstSeen, Instant lastSeen, String lastRemote,
                        String lastReason) {
    }

    record Page(List<Frame> items, long total, int page, int size) {
    }

    void insertAll(List<WriteJob.Reject> rejects) {
        if (rejects.isEmpty()) {
            return;
        }
        List<Object[]> args = new ArrayList<>(rejects.size());
        for (WriteJob.Reject r : rejects) {
            byte[] raw = r.raw() == null ? null : Arrays.copyOf(r.raw(), Math.min(r.raw().length, MAX_RAW));
            args.add(new Object[] {r.at().toString(), r.remote(), clean(r.mn()), r.cn(), r.reason(),
                    clean(r.detail()), raw});
        }
        // one statement for the batch: unnest over parallel arrays
        jdbc.sql("""
                INSERT INTO rejected_frame (received_at, remote, mn, cn, reason, detail, raw)
                SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bytea[])""")
                .params(column(args, 0, String[]::new), column(args, 1, String[]::new), column(args, 2, String[]::new),
                        column(args, 3, Integer[]::new), column(args, 4, String[]::new), column(args, 5, String[]::new),
                        column(args, 6, byte[][]::new))
                .update();
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] column(List<Object[]> rows, int i, java.util.function.IntFunction<T[]> make) {
        T[] out = make.apply(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            out[r] = (T) rows.get(r)[i];
        }
        return out;
    }

    private static String clean(String s) {
        return s == null ? null : s.replace("\0", "");
    }

    /**
     * Newest first. {@code visibleMns} null: everything (national users); otherwise frames of those MNs plus frames
     * whose MN is unknown or not registered (they belong to no jurisdiction yet).
     */
    Page list(Collection<String> visibleMns, String reason, int page, int size) {
        String where = "(:reason::text IS NULL OR reason = :reason)" + (visibleMns == null ? ""
                : " AND (mn IS NULL OR mn = ANY(:mns) OR NOT EXISTS (SELECT 1 FROM data_logger d WHERE d.mn = rejected_frame.mn))");
        var count = jdbc.sql("SELECT count(*) FROM rejected_frame WHERE " + where).param("reason", reason);
        var select = jdbc.sql("SELECT id, received_at, remote, mn, cn, reason, detail, raw FROM rejected_frame WHERE "
                        + where + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("reason", reason).param("limit", size).param("offset", (long) page * size);
        if (visibleMns != null) {
            count = count.param("mns", visibleMns.toArray(String[]::new));
            select = select.param("mns", visibleMns.toArray(String[]::new));
        }
        long total = count.query(Long.class).single();
        List<Frame> items = select.query((rs, i) -> new Frame(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), rs.getString(4), (Integer) rs.getObject(5), rs.getString(6), rs.getString(7),
                printable(rs.getBytes(8)))).list();
        return new Page(items, total, page, size);
    }

    /** MNs that tried to connect but are not registered: how often, when, from where (newest first). */
    List<Unregistered> unregistered(Duration window, int limit) {
        return jdbc.sql("""
                SELECT r.mn, count(*), min(r.received_at), max(r.received_at),
                       (array_agg(r.remote ORDER BY r.id DESC))[1], (array_agg(r.reason ORDER BY r.id DESC))[1]
                FROM rejected_frame r
                WHERE r.reason = 'AUTH_UNKNOWN_MN' AND r.mn IS NOT NULL AND r.received_at > ?
                  AND NOT EXISTS (SELECT 1 FROM data_logger d WHERE d.mn = r.mn)
                GROUP BY r.mn ORDER BY max(r.received_at) DESC LIMIT ?""")
                .params(Timestamp.from(Instant.now().minus(window)), limit)
                .query((rs, i) -> new Unregistered(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)))
                .list();
    }

    @Scheduled(fixedDelayString = "${gongzhi.monitoring.rejected.prune-ms:600000}", initialDelay = 120_000)
    void prune() {
        int old = jdbc.sql("DELETE FROM rejected_frame WHERE received_at < ?")
                .param(Timestamp.from(Instant.now().minus(Duration.ofDays(retentionDays)))).update();
        int over = jdbc.sql("""
                DELETE FROM rejected_frame WHERE id <= (SELECT id FROM rejected_frame ORDER BY id DESC OFFSET ? LIMIT 1)""")
                .param(maxRows).update();
        if (old + over > 0) {
            log.info("pruned {} rejected frames (older than {} days: {}, beyond the newest {}: {})", old + over,
                    retentionDays, old, maxRows, over);
        }
    }

    /** The access password in a data segment: QN=…;ST=…;CN=…;PW=secret;MN=… (the value ends at ';' or '&'). */
    private static final java.util.regex.Pattern PASSWORD = java.util.regex.Pattern.compile("(^|[;#0-9])PW=[^;&]*");

    /**
     * Raw bytes as text for display: printable ASCII/UTF-8 kept, CR/LF and control bytes as escapes, and the access
     * password masked ({@code PW=***}): a refused frame may carry a device's real password (a wrong MN) or a guess
     * close to it, and the log is shown to every regulator of the jurisdiction. The stored bytes are unchanged.
     */
    static String printable(byte[] raw) {
        if (raw == null) {
            return null;
        }
        String s = PASSWORD.matcher(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).replaceAll("$1PW=***");
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
