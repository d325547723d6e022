package org.gongzhi.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded database as the server starts it: durable, so that an acknowledged HJ 212 packet survives a crash
 * of PostgreSQL itself (zonky's test defaults turn fsync and synchronous_commit off).
 */
class EmbeddedDatabaseDurabilityTest {

    @Test
    void theServersEmbeddedDatabaseWritesItsWalBeforeACommitReturns() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "durable-pg");
        try (EmbeddedPostgres pg = EmbeddedDatabaseConfiguration.builder(dir, 0, true, "8GB").start()) {
            JdbcClient jdbc = JdbcClient.create(pg.getPostgresDatabase());
            assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
            assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
            // the write-heavy WAL settings (fewer checkpoints and no full WAL buffers at the gateway's full rate)
            assertThat(jdbc.sql("SHOW max_wal_size").query(String.class).single()).isEqualTo("8GB");
            assertThat(jdbc.sql("SHOW wal_buffers").query(String.class).single()).isEqualTo("64MB");
        }
    }
}
