package org.gongzhi.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With spring.datasource.url set, Gongzhi uses that server (here a separately started PostgreSQL 17 standing in
 * for a production one) and starts no embedded database of its own; Flyway builds the schema there.
 */
@SpringBootTest
@ActiveProfiles("test")
class ExternalDatabaseTest {

    static final EmbeddedPostgres EXTERNAL;

    static {
        try {
            EXTERNAL = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> EXTERNAL.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void stop() throws IOException {
        EXTERNAL.close();
    }

    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;

    @Test
    void usesTheConfiguredServerAndStartsNoEmbeddedOne() {
        assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
        int port = jdbc.sql("SELECT current_setting('port')::int").query(Integer.class).single();
        assertThat(port).isEqualTo(EXTERNAL.getPort());
        assertThat(jdbc.sql("SELECT count(*) FROM region").query(Integer.class).single()).isEqualTo(3348);
        assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE username = 'admin'").query(Integer.class).single()).isOne();
    }
}
