package org.gongzhi.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url}, Gongzhi runs its own PostgreSQL 17 (zonky's binaries from Maven Central)
 * in {@code gongzhi.db.data-dir}, which survives restarts. Set {@code spring.datasource.url/username/password}
 * to use an external server instead; then this class does nothing.
 *
 * <p>As root, zonky starts PostgreSQL under {@code unshare -U} (PostgreSQL refuses to run as root).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /**
     * Plan every statement with its actual parameters. pgjdbc prepares statements on the server after a few
     * executions and PostgreSQL may then switch to a generic plan, which cannot use an index for
     * {@code region_code LIKE $1} (the prefix is unknown) and scans the ledger: 70 ms instead of 7 ms for a city
     * at 500,000 outfalls (docs/benchmarks.md). Planning these short queries costs well under a millisecond.
     * External databases get the same through spring.datasource.hikari.connection-init-sql.
     */
    static final String PLAN_CACHE_MODE = "SET plan_cache_mode = force_custom_plan";

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${gongzhi.db.data-dir}") String dataDir,
                                      @Value("${gongzhi.db.port:0}") int port,
                                      @Value("${gongzhi.db.durable:true}") boolean durable,
                                      @Value("${gongzhi.db.max-wal-size:8GB}") String maxWalSize) throws IOException {
        Path dir = Path.of(dataDir).toAbsolutePath();
        Files.createDirectories(dir);
        EmbeddedPostgres pg = builder(dir, port, durable, maxWalSize).start();
        log.info("Embedded PostgreSQL on port {} with data in {}{}", pg.getPort(), dir,
                durable ? "" : " (NOT durable: fsync and synchronous_commit off)");
        return pg;
    }

    /**
     * zonky starts PostgreSQL for tests: {@code -F} (fsync off) and synchronous_commit off, so a commit returns
     * before its WAL is on disk. Gongzhi acknowledges HJ 212 data only after commit and promises that what it
     * acknowledged is stored, so by default both are switched back on ({@code -c} settings come after {@code -F}
     * on the command line and win). scripts/reliability-kill9.sh lost 334 acknowledged packets without this.
     * Only the test suite turns durability off ({@code gongzhi.db.durable=false}), for speed.
     */
    static EmbeddedPostgres.Builder builder(Path dir, int port, boolean durable, String maxWalSize) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // C.UTF-8 gives Unicode character classes, so text search treats 汉字 as letters.
                .setLocaleConfig("locale", "C.UTF-8")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                // WAL for a write-heavy server (docs/benchmarks.md "session 4", PostgreSQL docs "WAL Configuration").
                // The default wal_buffers (1/32 of shared_buffers = 8 MB) filled up at the gateway's full rate
                // (pg_stat_wal.wal_buffers_full: 2,000–3,000 per minute, mostly in the bursts of full-page images
                // after each checkpoint), and then the committing backends write WAL themselves.
                .setServerConfig("wal_buffers", "64MB")
                // The default max_wal_size (1 GB) forced a checkpoint every 11–13 s at the gateway's full rate
                // (≈ 37 MB of WAL a second); after each one every hot index page is written once more in full
                // (≈ 6,000 full-page images) and commits wait longer: ack p99 of those seconds 200–300 ms against
                // 130–170 ms. With 4 GB a checkpoint still came every ≈ 55 s and slowed the next 15 s by a third.
                // 8 GB: one every ≈ 2 minutes at full rate. The limit only binds during such bursts (loggers catching
                // up after an outage); at ordinary rates checkpoint_timeout (5 min) comes first and pg_wal stays
                // small. Disk: pg_wal can grow to about this size; crash recovery replays at most this much WAL.
                .setServerConfig("max_wal_size", maxWalSize);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres pg, @Value("${gongzhi.db.pool-size:20}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("gongzhi");
        config.setConnectionInitSql(PLAN_CACHE_MODE);
        return new HikariDataSource(config);
    }
}
