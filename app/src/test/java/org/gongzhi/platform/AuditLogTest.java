package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log's hash chain. The table refuses UPDATE and DELETE by trigger; to show that verify() would still catch
 * a change made behind the application's back (by a superuser), the tests switch the trigger off inside a transaction
 * as the postgres superuser, tamper, verify, and roll everything back, trigger included, so that the shared test
 * database keeps an intact chain.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AuditLogTest {

    @Autowired AuditLog audit;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;

    List<Long> ids;

    @BeforeEach
    void threeEntries() {
        String key = "audit-test-" + System.nanoTime();
        tx.executeWithoutResult(s -> {
            audit.record("CREATE", "test", key, null, null, Map.of("name", "苏州市吴中区甲厂排污口"));
            audit.record("UPDATE", "test", key, "更正名称", Map.of("name", "苏州市吴中区甲厂排污口"),
                    Map.of("name", "苏州市吴中区甲厂1#排污口"));
            audit.record("UPDATE", "test", key, "补充坐标", null, Map.of("longitude", 120.61));
        });
        ids = audit.forEntity("test", key).stream().map(AuditLog.Entry::id).toList();
        assertThat(ids).hasSize(3);
    }

    @Test
    void theChainVerifiesAndEachEntryLinksToTheOneBefore() {
        AuditLog.Verification v = audit.verify();
        assertThat(v.intact()).as(String.valueOf(v)).isTrue();
        assertThat(v.checked()).isGreaterThanOrEqualTo(3);
        List<AuditLog.Entry> entries = ids.stream().map(id -> audit.find(id).orElseThrow()).toList();
        assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
        assertThat(entries.get(2).prevHash()).isEqualTo(entries.get(1).hash());
        AuditLog.Entry e = entries.get(1);
        assertThat(AuditLog.hash(e.prevHash(), e.at(), e.actor(), e.action(), e.entityType(), e.entityId(), e.reason(),
                e.beforeJson(), e.afterJson())).isEqualTo(e.hash());
        assertThat(e.reason()).isEqualTo("更正名称");
        assertThat(e.afterJson()).contains("甲厂1#");
    }

    @Test
    void theTableRefusesUpdateAndDelete() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s ->
                jdbc.sql("UPDATE audit_log SET reason = 'x' WHERE id = ?").param(ids.get(0)).update()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> tx.executeWithoutResult(s ->
                jdbc.sql("DELETE FROM audit_log WHERE id = ?").param(ids.get(0)).update()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void changedContentIsNamedAtTheFirstTamperedEntry() {
        AuditLog.Verification v = tampered("""
                UPDATE audit_log SET after_json = replace(after_json, '1#', '2#') WHERE id = :middle;
                UPDATE audit_log SET reason = '无' WHERE id = :last""");
        assertThat(v.firstBrokenId()).isEqualTo(ids.get(1));
        assertThat(v.problem()).isEqualTo("content does not match its hash");
        assertThat(audit.verify().intact()).as("rolled back").isTrue();
    }

    @Test
    void aRecomputedHashStillBreaksTheLinkOfTheNextEntry() {
        // Someone who rewrites an entry and its hash has to rewrite every hash after it: the next link gives it away.
        AuditLog.Entry middle = audit.find(ids.get(1)).orElseThrow();
        String forged = AuditLog.hash(middle.prevHash(), middle.at(), middle.actor(), middle.action(),
                middle.entityType(), middle.entityId(), "伪造的原因", middle.beforeJson(), middle.afterJson());
        AuditLog.Verification v = tampered("UPDATE audit_log SET reason = '伪造的原因', hash = '" + forged
                + "' WHERE id = :middle");
        assertThat(v.firstBrokenId()).isEqualTo(ids.get(2));
        assertThat(v.problem()).isEqualTo("prev_hash does not match the hash of the entry before");
    }

    @Test
    void aDeletedEntryIsNamedByTheEntryAfterIt() {
        AuditLog.Verification v = tampered("DELETE FROM audit_log WHERE id = :middle");
        assertThat(v.firstBrokenId()).isEqualTo(ids.get(2));
    }

    @Test
    void aChangedTimestampOrActorIsCaught() {
        assertThat(tampered("UPDATE audit_log SET at = at + interval '1 second' WHERE id = :first").firstBrokenId())
                .isEqualTo(ids.get(0));
        assertThat(tampered("UPDATE audit_log SET actor = 'someone-else' WHERE id = :last").firstBrokenId())
                .isEqualTo(ids.get(2));
    }

    /**
     * Runs the statements with the append-only trigger disabled, verifies inside the same transaction, and rolls
     * back. The app connects as the postgres superuser, which may ALTER the table; DDL is transactional in PostgreSQL.
     */
    private AuditLog.Verification tampered(String statements) {
        return tx.execute(status -> {
            status.setRollbackOnly();
            jdbc.sql("ALTER TABLE audit_log DISABLE TRIGGER USER").update();
            for (String sql : statements.split(";")) {
                jdbc.sql(sql.strip()).param("first", ids.get(0)).param("middle", ids.get(1)).param("last", ids.get(2))
                        .update();
            }
            jdbc.sql("ALTER TABLE audit_log ENABLE TRIGGER USER").update();
            AuditLog.Verification v = audit.verify();
            assertThat(v.intact()).as("tampering must be detected").isFalse();
            return v;
        });
    }
}
