package org.gongzhi.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Append-only, hash-chained audit log: every change to ledger data records who, when, why, before and after.
 * Each entry's hash covers the previous entry's hash, so editing or deleting any row (the table also refuses
 * UPDATE/DELETE by trigger) breaks the chain at that row, which {@link #verify()} names.
 */
@Service
public class AuditLog {

    static final String GENESIS = "0".repeat(64);
    /** Serializes appends so that each entry links to the one before it. */
    private static final long CHAIN_LOCK = 0x6a7a_6175_6469_74L;

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final JsonMapper json;

    public AuditLog(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** One entity created or changed, for {@link #recordAll}. */
    public record Change(String entityId, Object before, Object after) {
    }

    /**
     * Records many changes of one kind at once (bulk creation in an import): the same chain, computed in one
     * go under one lock and written in one batch, instead of a lock and two round trips per entry.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAll(CurrentUser by, String action, String entityType, String reason, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleRow();
        String prev = jdbc.sql("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").query(String.class).optional()
                .orElse(GENESIS);
        List<Object[]> rows = new java.util.ArrayList<>(changes.size());
        for (Change c : changes) {
            String beforeJson = c.before() == null ? null : json.writeValueAsString(c.before());
            String afterJson = c.after() == null ? null : json.writeValueAsString(c.after());
            String hash = hash(prev, at, by.username(), action, entityType, c.entityId(), reason, beforeJson, afterJson);
            rows.add(new Object[] {Timestamp.from(at), by.username(), action, entityType, c.entityId(), reason, beforeJson,
                    afterJson, prev, hash});
            prev = hash;
        }
        // Rows go in list order, so ids (bigserial) follow the chain.
        batch.batchUpdate("""
                INSERT INTO audit_log (at, actor, action, entity_type, entity_id, reason, before_json, after_json,
                                       prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    public record Entry(long id, Instant at, String actor, String action, String entityType, String entityId,
                        String reason, String beforeJson, String afterJson, String prevHash, String hash) {
    }

    /** The result of checking the chain: how many entries were checked and the first broken one, if any. */
    public record Verification(long checked, Long firstBrokenId, String problem) {
        public boolean intact() {
            return firstBrokenId == null;
        }
    }

    /** Records a change by the signed-in user (see {@link #record(CurrentUser, String, String, String, String, Object, Object)}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String entityType, String entityId, String reason, Object before, Object after) {
        record(CurrentUser.get(), action, entityType, entityId, reason, before, after);
    }

    /** Records a change by {@code by}; joins the caller's transaction so the change and its entry commit together. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(CurrentUser by, String action, String entityType, String entityId, String reason, Object before,
                       Object after) {
        String actor = by.username();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String beforeJson = before == null ? null : json.writeValueAsString(before);
        String afterJson = after == null ? null : json.writeValueAsString(after);
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleRow();
        String prev = jdbc.sql("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").query(String.class).optional()
                .orElse(GENESIS);
        String hash = hash(prev, at, actor, action, entityType, entityId, reason, beforeJson, afterJson);
        jdbc.sql("""
                INSERT INTO audit_log (at, actor, action, entity_type, entity_id, reason, before_json, after_json,
                                       prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(at), actor, action, entityType, entityId, reason, beforeJson, afterJson, prev, hash)
                .update();
    }

    public List<Entry> forEntity(String entityType, String entityId) {
        return jdbc.sql(SELECT + " WHERE entity_type = ? AND entity_id = ? ORDER BY id")
                .params(entityType, entityId).query(AuditLog::map).list();
    }

    public List<Entry> latest(int limit) {
        return jdbc.sql(SELECT + " ORDER BY id DESC LIMIT ?").param(limit).query(AuditLog::map).list();
    }

    /** Recomputes every hash in order and names the first entry whose link or content does not match. */
    @Transactional(readOnly = true)
    public Verification verify() {
        String expectedPrev = GENESIS;
        long checked = 0;
        try (Stream<Entry> entries = jdbc.sql(SELECT + " ORDER BY id").withFetchSize(1000).query(AuditLog::map).stream()) {
            for (Entry e : (Iterable<Entry>) entries::iterator) {
                checked++;
                if (!e.prevHash().equals(expectedPrev)) {
                    return new Verification(checked, e.id(), "prev_hash does not match the hash of the entry before");
                }
                String recomputed = hash(e.prevHash(), e.at(), e.actor(), e.action(), e.entityType(), e.entityId(),
                        e.reason(), e.beforeJson(), e.afterJson());
                if (!recomputed.equals(e.hash())) {
                    return new Verification(checked, e.id(), "content does not match its hash");
                }
                expectedPrev = e.hash();
            }
        }
        return new Verification(checked, null, null);
    }

    private static final String SELECT = "SELECT id, at, actor, action, entity_type, entity_id, reason, before_json, "
            + "after_json, prev_hash, hash FROM audit_log";

    private static Entry map(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11));
    }

    static String hash(String prev, Instant at, String actor, String action, String entityType, String entityId,
                       String reason, String before, String after) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // Unit separator between fields, and a marker for null, so that no two different entries hash alike.
            for (String part : new String[] {prev, at.toString(), actor, action, entityType, entityId, reason, before, after}) {
                sha.update(part == null ? new byte[] {0} : part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Entry> find(long id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(AuditLog::map).optional();
    }
}
