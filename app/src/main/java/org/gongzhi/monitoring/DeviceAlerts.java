package org.gongzhi.monitoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.platform.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Offline alerts of data loggers (设备离线告警). Every {@code gongzhi.monitoring.offline-check-seconds} (60) the check
 * compares each enabled device's last contact (or its registration, if it never sent anything) with
 * {@code offline-after-intervals} (3) × its interval: a device past that gets ONE open OFFLINE alert per outage
 * ({@link DeviceWentOffline}), and an open alert is cleared when the device is within it again
 * ({@link DeviceBackOnline}). The partial unique index on open alerts keeps it to one alert even when two
 * instances check at once; each change commits with its event. "Now" is a parameter of {@link #check}, so tests
 * drive the clock. Last contact comes from the registry, which holds this instance's unflushed contacts in memory
 * (with several gateway instances, a device connected to another one is seen within its 10 s flush).
 */
@Service
class DeviceAlerts {

    private static final Logger log = LoggerFactory.getLogger(DeviceAlerts.class);

    private final DataLoggerRegistry registry;
    private final LedgerLookup lookup;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final int offlineAfterIntervals;

    DeviceAlerts(DataLoggerRegistry registry, LedgerLookup lookup, JdbcClient jdbc, TransactionTemplate tx,
                 ApplicationEventPublisher events,
                 @Value("${gongzhi.monitoring.offline-after-intervals:3}") int offlineAfterIntervals) {
        this.registry = registry;
        this.lookup = lookup;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.offlineAfterIntervals = offlineAfterIntervals;
    }

    /** An alert as the API and the devices page show it. */
    record Alert(long id, String mn, long outfallId, String outfallCode, String outfallName, String kind,
                 Instant lastContact, Instant raisedAt, Instant clearedAt) {
        public boolean open() {
            return clearedAt == null;
        }
    }

    /** What one check changed. */
    record CheckResult(int raised, int cleared) {
    }

    @Scheduled(fixedDelayString = "${gongzhi.monitoring.offline-check-seconds:60}",
            initialDelayString = "${gongzhi.monitoring.offline-check-seconds:60}", timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    void scheduledCheck() {
        try {
            CheckResult r = check(Instant.now());
            if (r.raised() > 0 || r.cleared() > 0) {
                log.info("device alerts: {} raised, {} cleared", r.raised(), r.cleared());
            }
        } catch (RuntimeException e) {
            log.warn("device offline check failed: {}", e.toString());
        }
    }

    /** Raises and clears offline alerts as of {@code now}. */
    CheckResult check(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        record Open(long id, Instant raisedAt) {
        }
        Map<String, Open> open = new HashMap<>();
        jdbc.sql("SELECT id, mn, raised_at FROM device_alert WHERE kind = 'OFFLINE' AND cleared_at IS NULL")
                .query((rs, i) -> open.put(rs.getString(2), new Open(rs.getLong(1), rs.getTimestamp(3).toInstant())))
                .list();
        int raised = 0;
        int cleared = 0;
        for (DataLogger d : registry.all()) {
            Instant last = d.lastSeenAt() != null ? d.lastSeenAt() : d.registeredAt();
            boolean offline = last.isBefore(at.minusSeconds((long) d.intervalSeconds() * offlineAfterIntervals));
            Open o = open.get(d.mn());
            if (offline && o == null && d.enabled()) {
                Boolean done = tx.execute(s -> {
                    Optional<Long> id = jdbc.sql("""
                            INSERT INTO device_alert (mn, outfall_id, kind, last_contact, raised_at)
                            VALUES (?, ?, 'OFFLINE', ?, ?)
                            ON CONFLICT (mn, kind) WHERE cleared_at IS NULL DO NOTHING RETURNING id""")
                            .params(d.mn(), d.outfallId(), Timestamp.from(last), Timestamp.from(at))
                            .query(Long.class).optional();
                    id.ifPresent(x -> events.publishEvent(new DeviceWentOffline(x, d.mn(), d.outfallId(), last, at)));
                    return id.isPresent();
                });
                raised += Boolean.TRUE.equals(done) ? 1 : 0;
            } else if (!offline && o != null) {
                Boolean done = tx.execute(s -> {
                    int n = jdbc.sql("UPDATE device_alert SET cleared_at = GREATEST(?, raised_at) WHERE id = ? AND cleared_at IS NULL")
                            .params(Timestamp.from(at), o.id()).update();
                    if (n == 1) {
                        events.publishEvent(new DeviceBackOnline(o.id(), d.mn(), d.outfallId(), o.raisedAt(), at));
                    }
                    return n == 1;
                });
                cleared += Boolean.TRUE.equals(done) ? 1 : 0;
            }
        }
        return new CheckResult(raised, cleared);
    }

    /**
     * Alerts of devices whose outfall the caller can see, newest first: the open ones, or with {@code all} also
     * those cleared in the last 30 days; at most {@code limit}.
     */
    List<Alert> list(boolean all, int limit, CurrentUser user) {
        record RawAlert(long id, String mn, long outfallId, String kind, Instant lastContact, Instant raisedAt,
                        Instant clearedAt) {
        }
        List<RawAlert> rows = jdbc.sql("""
                SELECT id, mn, outfall_id, kind, last_contact, raised_at, cleared_at FROM device_alert
                WHERE cleared_at IS NULL OR (? AND cleared_at > now() - interval '30 days')
                ORDER BY raised_at DESC, id DESC""")
                .param(all)
                .query((rs, i) -> new RawAlert(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        ts(rs.getTimestamp(5)), ts(rs.getTimestamp(6)), ts(rs.getTimestamp(7))))
                .list();
        Map<Long, LedgerLookup.OutfallRef> visible = lookup.visible(
                rows.stream().map(RawAlert::outfallId).collect(Collectors.toSet()), user);
        List<Alert> out = new ArrayList<>();
        for (RawAlert r : rows) {
            LedgerLookup.OutfallRef o = visible.get(r.outfallId());
            if (o != null && out.size() < limit) {
                out.add(new Alert(r.id(), r.mn(), r.outfallId(), o.nationalCode(), o.name(), r.kind(), r.lastContact(),
                        r.raisedAt(), r.clearedAt()));
            }
        }
        return out;
    }

    private static Instant ts(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
