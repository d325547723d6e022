package org.gongzhi.compliance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts (告警): every open finding raises, in the transaction that stores it, an alert to the regulators with
 * jurisdiction over the outfall (the lowest level that exists: county, else city, else province) and to the outfall's
 * responsible parties. One alert per outfall × factor × window: a later finding of the same window only re-notifies
 * when it is more severe (an early warning becoming the day's violation). An alert must be acknowledged; one left
 * open for {@code gongzhi.compliance.alerts.escalate-after} is escalated to the next regulator level up
 * (county → city → province). Pushes (webhooks, e-mail) go through {@link AlertChannels}' outbox.
 */
@Service
class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(Evaluator.CHINA);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(Evaluator.CHINA);

    enum Level { NONE, COUNTY, CITY, PROVINCE }

    /** WITHDRAWN: the system resolved the finding before anyone acknowledged the alert (see Findings.resolveBySystem). */
    enum Status { OPEN, ACKNOWLEDGED, WITHDRAWN }

    record Alert(long id, long outfallId, String factor, Instant windowStart, Instant windowEnd, Findings.Kind kind,
                 long findingId, String summaryZh, String summaryEn, Level level, Status status, String acknowledgedBy,
                 Instant acknowledgedAt, String acknowledgeNote, Instant raisedAt, Instant notifiedAt, Instant updatedAt,
                 boolean read) {
    }

    record Recipient(long organizationId, String role, String level, Instant addedAt) {
    }

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final LedgerLookup lookup;
    private final Organizations organizations;
    private final AlertChannels channels;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Duration maxAge;
    private final Duration escalateAfter;

    Alerts(JdbcClient jdbc, Ledger ledger, LedgerLookup lookup, Organizations organizations, AlertChannels channels, AuditLog audit,
           TransactionTemplate tx, JsonMapper json,
           @Value("${gongzhi.compliance.alerts.max-age:P7D}") Duration maxAge,
           @Value("${gongzhi.compliance.alerts.escalate-after:PT4H}") Duration escalateAfter) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.lookup = lookup;
        this.organizations = organizations;
        this.channels = channels;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.maxAge = maxAge;
        this.escalateAfter = escalateAfter;
    }

    // ---- raising ---------------------------------------------------------------------------------------------------

    /**
     * Raises (or, when more severe, re-raises) the alert of a finding's window. Runs inside the transaction that
     * stored the finding. Windows that ended longer than {@code max-age} ago (a backfill over old history) are
     * findings only: nobody is paged about last year.
     */
    void raise(long findingId, Findings.Draft d, Instant now) {
        if (!alertable(d, now)) {
            return;
        }
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        String[] text = summary(d);
        var row = jdbc.sql("""
                INSERT INTO alert (outfall_id, factor, window_start, window_end, kind, severity, finding_id, summary_zh,
                                   summary_en, level, raised_at, notified_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'NONE', ?, ?, ?)
                ON CONFLICT (outfall_id, factor, window_start, window_end) DO UPDATE SET
                    kind = EXCLUDED.kind, severity = EXCLUDED.severity, finding_id = EXCLUDED.finding_id,
                    summary_zh = EXCLUDED.summary_zh, summary_en = EXCLUDED.summary_en, status = 'OPEN',
                    acknowledged_by = NULL, acknowledged_at = NULL, acknowledge_note = NULL,
                    notified_at = EXCLUDED.notified_at, updated_at = EXCLUDED.updated_at
                WHERE alert.severity < EXCLUDED.severity OR alert.status = 'WITHDRAWN'
                RETURNING id, xmax = 0""")
                .params(d.outfallId(), d.factor(), Timestamp.from(d.windowStart()), Timestamp.from(d.windowEnd()),
                        d.kind().name(), d.kind().severity, findingId, text[0], text[1], Timestamp.from(at),
                        Timestamp.from(at), Timestamp.from(at))
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0}).optional();
        if (row.isEmpty()) {
            return; // the same window is already alerted at this severity or higher (deduplicated)
        }
        long alertId = row.get()[0];
        Outfall outfall = outfall(d.outfallId());
        if (outfall == null) {
            return; // data for an id the ledger does not know (a logger bound to a deleted outfall): nobody to tell
        }
        List<Long> told;
        String event;
        if (row.get()[1] == 1) {
            List<Organization> regulators = organizations.regulatorsOver(outfall.regionCode());
            Level level = regulators.isEmpty() ? Level.NONE : Level.valueOf(regulators.get(0).level().name());
            told = new ArrayList<>();
            for (Organization o : regulators) {
                if (o.level().name().equals(level.name())) {
                    addRecipient(alertId, o.id(), "REGULATOR", level.name(), at);
                    told.add(o.id());
                }
            }
            for (Outfall.Party p : outfall.parties()) {
                addRecipient(alertId, p.organizationId(), "PARTY", null, at);
                told.add(p.organizationId());
            }
            jdbc.sql("UPDATE alert SET level = ? WHERE id = ?").params(level.name(), alertId).update();
            event = "RAISED";
        } else {
            jdbc.sql("DELETE FROM alert_read WHERE alert_id = ?").param(alertId).update(); // unread again
            told = recipients(alertId).stream().map(Recipient::organizationId).toList();
            event = "SEVERITY_RAISED";
        }
        channels.enqueue(alertId, event, payload(alertId, event, outfall), told, at);
    }

    /** The outfall as the system sees it, or null when the ledger has no such id (checked first: no exception). */
    private Outfall outfall(long id) {
        return lookup.visible(List.of(id), CurrentUser.system()).isEmpty() ? null : ledger.find(id, CurrentUser.system());
    }

    /** Whether a finding's window is recent enough to alert anyone ({@code alerts.max-age}). */
    boolean alertable(Findings.Draft d, Instant now) {
        return !d.windowEnd().isBefore(now.minus(maxAge));
    }

    private void addRecipient(long alertId, long organizationId, String role, String level, Instant at) {
        jdbc.sql("INSERT INTO alert_recipient (alert_id, organization_id, role, level, added_at) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(alertId, organizationId, role, level, Timestamp.from(at)).update();
    }

    /** The alert's headline in Chinese and English, from the finding alone (so it can be recomputed). */
    static String[] summary(Findings.Draft d) {
        Optional<Factor> f = Factor.of(d.factor());
        String zhName = f.map(x -> x.nameZh + "（" + x.code + "）").orElse(d.factor());
        String enName = f.map(x -> x.nameEn + " (" + x.code + ")").orElse(d.factor());
        String when = d.windowEnd().equals(d.windowStart()) || Duration.between(d.windowStart(), d.windowEnd()).toHours() < 24
                ? MINUTE.format(d.windowStart())
                : Duration.between(d.windowStart(), d.windowEnd()).toDays() <= 1 ? DAY.format(d.windowStart())
                : DAY.format(d.windowStart()) + "–" + DAY.format(d.windowEnd().minusSeconds(1));
        String observed = d.observed() == null ? "" : d.observed().stripTrailingZeros().toPlainString()
                + (d.unit() == null || d.unit().isEmpty() ? "" : " " + d.unit());
        String limit = d.limitValue() == null ? "" : d.limitValue().stripTrailingZeros().toPlainString();
        String pct = d.exceedancePercent() == null ? "" : d.exceedancePercent().stripTrailingZeros().toPlainString() + "%";
        return switch (d.kind()) {
            case INSTANT_EXCEEDANCE -> new String[] {
                    when + " " + zhName + " 瞬时值 " + observed + " 高于日均限值 " + limit + "（预警，超 " + pct + "）",
                    when + " " + enName + " value " + observed + " above the daily limit " + limit + " (early warning, " + pct + " over)"};
            case VIOLATION -> new String[] {
                    when + " " + zhName + " " + d.statistic() + " " + observed + " 超标 " + pct + "（限值 " + limit + "）",
                    when + " " + enName + " " + d.statistic() + " " + observed + " exceeds the limit " + limit + " by " + pct};
            case INSUFFICIENT_DATA -> new String[] {
                    when + " " + zhName + " 有效数据不足，无法判定达标",
                    when + " " + enName + ": too little valid data to judge compliance"};
            case CHRONIC -> new String[] {
                    when + " " + zhName + " 6个月内至少4个月超标（长期超标）",
                    when + " " + enName + " exceeded in at least 4 of 6 months (chronic)"};
            case TRC -> new String[] {
                    when + " " + zhName + " 6个月内至少2个月严重超标（TRC）",
                    when + " " + enName + " exceeded by the TRC multiple in at least 2 of 6 months"};
            case MISSING_DATA -> new String[] {
                    when + " " + zhName + " 全天无有效监测数据（数据缺失）",
                    when + " " + enName + ": no valid value all day (missing data)"};
            case DEVICE_OFFLINE -> new String[] {
                    when + " 数采仪 " + d.factor().replace("device:", "") + " 离线",
                    when + " data logger " + d.factor().replace("device:", "") + " offline"};
        };
    }

    /** The JSON body pushed to webhooks (and the text of e-mails): what happened, where, and where to look. */
    private String payload(long alertId, String event, Outfall outfall) {
        Alert a = load(alertId, 0).orElseThrow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("alertId", a.id());
        m.put("findingId", a.findingId());
        m.put("outfallId", a.outfallId());
        m.put("outfallCode", outfall.nationalCode());
        m.put("outfallName", outfall.name());
        m.put("factor", a.factor());
        m.put("kind", a.kind());
        m.put("windowStart", a.windowStart().toString());
        m.put("windowEnd", a.windowEnd().toString());
        m.put("level", a.level());
        m.put("summaryZh", a.summaryZh());
        m.put("summaryEn", a.summaryEn());
        m.put("link", "/alerts/" + a.id());
        m.put("at", a.notifiedAt().toString());
        return json.writeValueAsString(m);
    }

    // ---- escalation ------------------------------------------------------------------------------------------------

    @Scheduled(fixedDelayString = "${gongzhi.compliance.alerts.escalation-check-ms:60000}", initialDelay = 30_000)
    void escalateDue() {
        try {
            escalateDue(Instant.now());
        } catch (RuntimeException e) {
            log.error("alert escalation failed", e);
        }
    }

    /**
     * Escalates every open alert not acknowledged within {@code escalate-after} of its last notification to the next
     * regulator level up that exists; returns how many were escalated.
     */
    int escalateDue(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        List<long[]> due = jdbc.sql("""
                SELECT id, outfall_id FROM alert WHERE status = 'OPEN' AND level IN ('COUNTY', 'CITY')
                  AND notified_at <= ? ORDER BY notified_at LIMIT 500""")
                .param(Timestamp.from(at.minus(escalateAfter)))
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        int escalated = 0;
        for (long[] d : due) {
            Boolean done = tx.execute(s -> escalate(d[0], d[1], at));
            escalated += Boolean.TRUE.equals(done) ? 1 : 0;
        }
        return escalated;
    }

    private boolean escalate(long alertId, long outfallId, Instant at) {
        Level current = jdbc.sql("SELECT level FROM alert WHERE id = ? AND status = 'OPEN' FOR UPDATE").param(alertId)
                .query(String.class).optional().map(Level::valueOf).orElse(null);
        if (current == null) {
            return false;
        }
        Outfall outfall = outfall(outfallId);
        if (outfall == null) {
            return false;
        }
        List<Organization> higher = organizations.regulatorsOver(outfall.regionCode()).stream()
                .filter(o -> Level.valueOf(o.level().name()).ordinal() > current.ordinal()).toList();
        if (higher.isEmpty()) {
            // nobody above (e.g. no provincial bureau registered): restart the clock instead of checking every minute
            jdbc.sql("UPDATE alert SET notified_at = ? WHERE id = ?").params(Timestamp.from(at), alertId).update();
            return false;
        }
        Level next = Level.valueOf(higher.get(0).level().name());
        List<Long> told = new ArrayList<>();
        for (Organization o : higher) {
            if (o.level().name().equals(next.name())) {
                addRecipient(alertId, o.id(), "REGULATOR", next.name(), at);
                told.add(o.id());
            }
        }
        jdbc.sql("UPDATE alert SET level = ?, notified_at = ?, updated_at = ? WHERE id = ?")
                .params(next.name(), Timestamp.from(at), Timestamp.from(at), alertId).update();
        audit.record(CurrentUser.system(), "ESCALATE", "alert", String.valueOf(alertId),
                "未在 " + escalateAfter + " 内确认 / not acknowledged within " + escalateAfter, current, next);
        channels.enqueue(alertId, "ESCALATED", payload(alertId, "ESCALATED", outfall), told, at);
        return true;
    }

    // ---- the inbox -------------------------------------------------------------------------------------------------

    private static final String SELECT = """
            SELECT a.id, a.outfall_id, a.factor, a.window_start, a.window_end, a.kind, a.finding_id, a.summary_zh,
                   a.summary_en, a.level, a.status, a.acknowledged_by, a.acknowledged_at, a.acknowledge_note, a.raised_at,
                   a.notified_at, a.updated_at, r.user_id IS NOT NULL
            FROM alert a LEFT JOIN alert_read r ON r.alert_id = a.id AND r.user_id = :user""";

    /** The alerts sent to the caller's organization, newest first. */
    List<Alert> inbox(CurrentUser user, Status status, boolean unreadOnly, int limit) {
        return jdbc.sql(SELECT + """
                         JOIN alert_recipient ar ON ar.alert_id = a.id AND ar.organization_id = :org
                        WHERE (CAST(:status AS text) IS NULL OR a.status = :status) AND (NOT :unread OR r.user_id IS NULL)
                        ORDER BY a.updated_at DESC, a.id DESC LIMIT :limit""")
                .param("user", user.id()).param("org", user.organizationId())
                .param("status", status == null ? null : status.name()).param("unread", unreadOnly)
                .param("limit", Math.min(Math.max(limit, 1), 500))
                .query(this::map).list();
    }

    /** Alerts sent to the caller's organization that the caller has not opened (the number in the navigation). */
    long unread(CurrentUser user) {
        return jdbc.sql("""
                SELECT count(*) FROM alert_recipient ar JOIN alert a ON a.id = ar.alert_id
                WHERE ar.organization_id = ? AND a.status <> 'WITHDRAWN'
                  AND NOT EXISTS (SELECT 1 FROM alert_read r WHERE r.alert_id = ar.alert_id AND r.user_id = ?)""")
                .params(user.organizationId(), user.id()).query(Long.class).single();
    }

    private Optional<Alert> load(long id, long userId) {
        return jdbc.sql(SELECT + " WHERE a.id = :id").param("user", userId).param("id", id).query(this::map).optional();
    }

    List<Recipient> recipients(long alertId) {
        return jdbc.sql("SELECT organization_id, role, level, added_at FROM alert_recipient WHERE alert_id = ? ORDER BY added_at, organization_id")
                .param(alertId)
                .query((rs, i) -> new Recipient(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
    }

    /**
     * One alert: visible to users of a recipient organization and to anyone who can see its outfall (404 otherwise).
     * Opening it marks it read for the caller.
     */
    @Transactional
    Alert open(long id, CurrentUser user) {
        Alert a = visible(id, user);
        jdbc.sql("INSERT INTO alert_read (alert_id, user_id, read_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING")
                .params(id, user.id()).update();
        return load(id, user.id()).orElse(a);
    }

    private Alert visible(long id, CurrentUser user) {
        Alert a = load(id, user.id()).orElseThrow(() -> new NotFoundException("alert " + id));
        boolean recipient = jdbc.sql("SELECT EXISTS (SELECT 1 FROM alert_recipient WHERE alert_id = ? AND organization_id = ?)")
                .params(id, user.organizationId()).query(Boolean.class).single();
        if (!recipient) {
            ledger.find(a.outfallId(), user); // 404 outside the jurisdiction
        }
        return a;
    }

    /** Acknowledges an open alert (regulators, admins and the party; inspectors read only). Audited. */
    @Transactional
    Alert acknowledge(long id, String note, CurrentUser user) {
        Alert a = visible(id, user);
        if (user.role() == Role.INSPECTOR) {
            throw new ForbiddenException("inspectors read alerts; regulators and the responsible party acknowledge them");
        }
        String n = note == null || note.isBlank() ? null : note.trim();
        if (n != null && n.length() > 2000) {
            throw new InvalidInputException(FieldProblem.of("note", n.length(), "说明不得超过2000字", "the note may not exceed 2000 characters"));
        }
        int changed = jdbc.sql("""
                UPDATE alert SET status = 'ACKNOWLEDGED', acknowledged_by = ?, acknowledged_at = now(), acknowledge_note = ?,
                                 updated_at = now() WHERE id = ? AND status = 'OPEN'""")
                .params(user.username(), n, id).update();
        if (changed == 0) {
            throw new InvalidInputException(FieldProblem.of("status", a.status(), "该告警已确认", "the alert is already acknowledged"));
        }
        jdbc.sql("INSERT INTO alert_read (alert_id, user_id, read_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING")
                .params(id, user.id()).update();
        audit.record(user, "ACKNOWLEDGE", "alert", String.valueOf(id), n, a.status(), Status.ACKNOWLEDGED);
        return load(id, user.id()).orElseThrow();
    }

    private Alert map(ResultSet rs, int i) throws SQLException {
        return new Alert(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(), Findings.Kind.valueOf(rs.getString(6)), rs.getLong(7), rs.getString(8),
                rs.getString(9), Level.valueOf(rs.getString(10)), Status.valueOf(rs.getString(11)), rs.getString(12),
                rs.getTimestamp(13) == null ? null : rs.getTimestamp(13).toInstant(), rs.getString(14),
                rs.getTimestamp(15).toInstant(), rs.getTimestamp(16).toInstant(), rs.getTimestamp(17).toInstant(),
                rs.getBoolean(18));
    }
}
