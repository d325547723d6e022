package org.gongzhi.monitoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data_logger table and an in-memory copy of it for the gateway, which looks up MN, password and lenient-CRC
 * switch for every packet without touching the database. Changes through this class update the copy at once;
 * {@link #reload()} runs every minute for changes made by other instances. Last contact is kept in memory and
 * written in batches ({@link #flushLastSeen()}), not once per packet.
 *
 * <p>A plain component, not a {@code @Repository} with {@code @Transactional} methods: either made Spring wrap it
 * in an AOP proxy, and the gateway calls {@link #find}, {@link #lenientCrc} and {@link #touch} for every packet —
 * through the proxy's interceptor chain and a reflective call each time (perf showed it on the event loops).
 * {@link #register} runs its own transaction through a {@link TransactionTemplate}; JdbcClient already throws
 * Spring's DataAccessExceptions, so there is nothing for the repository's exception translation to do.
 */
@Component
class DataLoggerRegistry {

    private static final Logger log = LoggerFactory.getLogger(DataLoggerRegistry.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private volatile Map<String, DataLogger> byMn = Map.of();
    /** Contact not yet written: MN → (when, from where). */
    private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, String> lastRemote = new ConcurrentHashMap<>();

    DataLoggerRegistry(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    private static final String SELECT = """
            SELECT id, mn, outfall_id, expected_factors, interval_seconds, lenient_crc, registered_at, registered_by,
                   last_seen_at, last_remote_address, enabled, password_salt, password_hash FROM data_logger""";

    private static DataLogger map(ResultSet rs, int i) throws SQLException {
        Timestamp seen = rs.getTimestamp(9);
        return new DataLogger(rs.getLong(1), rs.getString(2), rs.getLong(3),
                List.of((String[]) rs.getArray(4).getArray()), rs.getInt(5), rs.getBoolean(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), seen == null ? null : seen.toInstant(),
                rs.getString(10), rs.getBoolean(11), rs.getBytes(12), rs.getBytes(13));
    }

    @Scheduled(fixedDelayString = "${gongzhi.monitoring.registry-reload-ms:60000}", initialDelay = 60_000)
    synchronized void reload() {
        Map<String, DataLogger> m = new ConcurrentHashMap<>();
        for (DataLogger d : jdbc.sql(SELECT).query(DataLoggerRegistry::map).list()) {
            m.put(d.mn(), d);
        }
        byMn = m;
    }

    /** The logger with this MN (exact, case-sensitive as sent), from memory. */
    DataLogger find(String mn) {
        Map<String, DataLogger> m = byMn;
        if (m.isEmpty() && !loaded) {
            reloadOnce();
            m = byMn;
        }
        return mn == null ? null : m.get(mn);
    }

    private volatile boolean loaded;

    private synchronized void reloadOnce() {
        if (!loaded) {
            reload();
            loaded = true;
        }
    }

    boolean lenientCrc(String mn) {
        DataLogger d = find(mn);
        return d != null && d.lenientCrc();
    }

    Collection<DataLogger> all() {
        find(null);
        List<DataLogger> out = new ArrayList<>();
        for (DataLogger d : byMn.values()) {
            Instant s = lastSeen.get(d.mn());
            out.add(s == null ? d : d.seen(s, lastRemote.get(d.mn())));
        }
        out.sort((a, b) -> a.mn().compareTo(b.mn()));
        return out;
    }

    Optional<DataLogger> current(String mn) {
        DataLogger d = find(mn);
        if (d == null) {
            return Optional.empty();
        }
        Instant s = lastSeen.get(mn);
        return Optional.of(s == null ? d : d.seen(s, lastRemote.get(mn)));
    }

    boolean exists(String mn) {
        return jdbc.sql("SELECT count(*) FROM data_logger WHERE mn = ?").param(mn).query(Long.class).single() > 0;
    }

    DataLogger register(String mn, String password, long outfallId, List<String> factors, int intervalSeconds,
                        boolean lenientCrc, String by) {
        return tx.execute(status -> insert(mn, password, outfallId, factors, intervalSeconds, lenientCrc, by));
    }

    private DataLogger insert(String mn, String password, long outfallId, List<String> factors, int intervalSeconds,
                              boolean lenientCrc, String by) {
        byte[] salt = DevicePasswords.newSalt();
        jdbc.sql("""
                INSERT INTO data_logger (mn, password_salt, password_hash, outfall_id, expected_factors, interval_seconds,
                                         lenient_crc, registered_at, registered_by, enabled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)""")
                .params(mn, salt, DevicePasswords.hash(salt, password), outfallId, factors.toArray(String[]::new),
                        intervalSeconds, lenientCrc, Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)), by)
                .update();
        DataLogger d = jdbc.sql(SELECT + " WHERE mn = ?").param(mn).query(DataLoggerRegistry::map).single();
        // Into the in-memory copy once committed, under the same lock as reload(): concurrent registrations each
        // add their own device (a copy-and-swap without the lock lost 63 of 2,000 in scripts/bench-gateway.sh),
        // and a reload that started before the commit cannot drop it afterwards.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    remember(d);
                }
            });
        } else {
            remember(d);
        }
        return d;
    }

    private synchronized void remember(DataLogger d) {
        Map<String, DataLogger> m = new ConcurrentHashMap<>(byMn);
        m.put(d.mn(), d);
        byMn = m;
    }

    /** Records contact in memory (called on the event loop for every authenticated packet). */
    void touch(String mn, Instant at, String remote) {
        lastSeen.put(mn, at);
        lastRemote.put(mn, remote);
        seen.add(mn);
    }

    @Scheduled(fixedDelayString = "${gongzhi.monitoring.last-seen-flush-ms:10000}")
    void flushLastSeen() {
        if (seen.isEmpty()) {
            return;
        }
        List<String> mns = new ArrayList<>(seen);
        mns.forEach(seen::remove);
        List<Timestamp> ats = new ArrayList<>();
        List<String> remotes = new ArrayList<>();
        for (String mn : mns) {
            ats.add(Timestamp.from(lastSeen.get(mn)));
            remotes.add(lastRemote.get(mn));
        }
        try {
            jdbc.sql("""
                    UPDATE data_logger d SET last_seen_at = GREATEST(d.last_seen_at, u.at), last_remote_address = u.remote
                    FROM unnest(?::text[], ?::timestamptz[], ?::text[]) AS u(mn, at, remote) WHERE d.mn = u.mn""")
                    .params(mns.toArray(String[]::new), ats.toArray(Timestamp[]::new), remotes.toArray(String[]::new))
                    .update();
        } catch (RuntimeException e) {
            log.warn("could not record last contact of {} data loggers: {}", mns.size(), e.toString());
            seen.addAll(mns);
        }
    }

}
