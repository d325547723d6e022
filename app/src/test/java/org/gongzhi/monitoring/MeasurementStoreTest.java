package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Packet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The store writes what the logger sent, exactly once: values, flags and times survive the binary COPY; a resend
 * inserts nothing and is counted as duplicates of its own packet, also when it shares a batch with new packets
 * (the direct COPY then meets the primary key and the batch goes through the staging table instead); the raw frame is
 * archived byte for byte.
 */
@SpringBootTest
@ActiveProfiles("test")
class MeasurementStoreTest {

    @Autowired DataSource dataSource;
    @Autowired JdbcClient jdbc;

    private final long outfall = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);

    private static WriteJob.Store job(long outfallId, String segment, Instant receivedAt) {
        Hj212Packet p = Hj212Packet.decodeFrame(Hj212Encoder.frame(segment));
        return new WriteJob.Store(p, List.of(p), outfallId, "127.0.0.1:5000", receivedAt, new CompletableFuture<>());
    }

    private static String minute(String time, String cod, String codFlag) {
        return "QN=" + time + "000;ST=32;CN=2051;PW=123456;MN=STORE0001;Flag=5;CP=&&DataTime=" + time
                + ";w01018-Min=1.5,w01018-Avg=" + cod + ",w01018-Max=60.25,w01018-Flag=" + codFlag
                + ";w00000-Cou=12.0,w00000-Avg=0.5,w00000-Flag=N;a01001-Avg=-3.25,a01001-Flag=N&&";
    }

    private MeasurementStore.Result write(boolean direct, WriteJob.Store... jobs) throws Exception {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            MeasurementStore.Result r = MeasurementStore.write(conn, List.of(jobs), direct);
            conn.commit();
            return r;
        }
    }

    @Test
    void storesValuesFlagsAndTimesAndArchivesTheFrame() throws Exception {
        Instant received = Instant.parse("2026-11-29T02:03:04.123456Z");
        WriteJob.Store j = job(outfall, minute("20261129100100", "45.75", "T"), received);

        MeasurementStore.Result r = write(true, j);

        assertThat(r.inserted()).containsExactly(3);
        assertThat(r.conflict()).isFalse();
        Map<String, Object> cod = jdbc.sql("SELECT * FROM measurement WHERE outfall_id = ? AND factor = 'w01018'")
                .param(outfall).query().singleRow();
        assertThat(cod).containsEntry("kind", "MINUTE").containsEntry("source", "HJ212").containsEntry("flag", "T")
                .containsEntry("min", 1.5).containsEntry("avg", 45.75).containsEntry("max", 60.25);
        assertThat(cod.get("rtd")).isNull();
        // DataTime is China time: 10:01 in Shanghai is 02:01 UTC
        assertThat(((java.sql.Timestamp) cod.get("data_time")).toInstant()).isEqualTo(Instant.parse("2026-11-29T02:01:00Z"));
        assertThat(((java.sql.Timestamp) cod.get("received_at")).toInstant()).isEqualTo(received);
        assertThat(jdbc.sql("SELECT avg FROM measurement WHERE outfall_id = ? AND factor = 'a01001'").param(outfall)
                .query(Double.class).single()).isEqualTo(-3.25);

        byte[] archived;
        try (Connection conn = dataSource.getConnection()) {
            archived = MeasurementStore.rawFrame(conn, ((Number) cod.get("packet_id")).longValue()).orElseThrow();
        }
        assertThat(new String(archived, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(new String(Hj212Encoder.frame(minute("20261129100100", "45.75", "T")),
                        java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aResendInABatchWithNewPacketsIsCountedAsItsOwnDuplicatesAndNothingIsStoredTwice() throws Exception {
        Instant received = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // timestamptz keeps microseconds
        write(true, job(outfall, minute("20261129110000", "40", "N"), received));

        WriteJob.Store resend = job(outfall, minute("20261129110000", "99", "N"), received);
        WriteJob.Store fresh = job(outfall, minute("20261129110100", "41", "N"), received);
        MeasurementStore.Result r = write(true, fresh, resend);

        assertThat(r.conflict()).as("the direct COPY met the stored rows").isTrue();
        assertThat(r.inserted()).containsExactly(3, 0);
        assertThat(r.staged()).containsExactly(3, 3);
        assertThat(jdbc.sql("SELECT count(*) FROM measurement WHERE outfall_id = ?").param(outfall).query(Long.class)
                .single()).isEqualTo(6);
        assertThat(jdbc.sql("SELECT avg FROM measurement WHERE outfall_id = ? AND factor = 'w01018' AND data_time = ?")
                .param(outfall).param(java.sql.Timestamp.from(Instant.parse("2026-11-29T03:00:00Z")))
                .query(Double.class).single()).as("the first value stays").isEqualTo(40.0);
        // both packets are archived, the resend too: the archive is what was received
        assertThat(jdbc.sql("SELECT count(*) FROM raw_packet WHERE mn = 'STORE0001' AND received_at = ?")
                .param(java.sql.Timestamp.from(received)).query(Long.class).single()).isEqualTo(3);

        try (Connection conn = dataSource.getConnection()) {
            for (WriteJob.Store j : List.of(fresh, resend)) {
                long id = jdbc.sql("SELECT id FROM raw_packet WHERE mn = 'STORE0001' AND received_at = ? AND qn = ? ORDER BY id DESC LIMIT 1")
                        .param(java.sql.Timestamp.from(received)).param(j.packet().qn()).query(Long.class).single();
                assertThat(MeasurementStore.rawFrame(conn, id)).as("each frame of a batch is its own slice")
                        .hasValueSatisfying(f -> assertThat(f).isEqualTo(MeasurementStore.frame(j.packet())));
            }
        }

        MeasurementStore.Result staged = write(false, job(outfall, minute("20261129110200", "42", "N"), received),
                job(outfall, minute("20261129110100", "41", "N"), received));
        assertThat(staged.conflict()).isFalse();
        assertThat(staged.inserted()).containsExactly(3, 0);
    }
}
