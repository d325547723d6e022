package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * A rough end-to-end figure, not a test of correctness: N loggers on N sockets each send M minute packets of
 * 7 factors with Flag=5 and wait for every 9014. Run on demand:
 * {@code mvn -pl app -am test -Dtest=GatewayThroughputTest -Dgongzhi.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@SpringBootTest(properties = "gongzhi.gateway.port=0")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@EnabledIfSystemProperty(named = "gongzhi.bench", matches = "true")
class GatewayThroughputTest {

    @Autowired Gateway gateway;
    @Autowired DataLoggerRegistry registry;
    @Autowired JdbcClient jdbc;

    @Test
    void rowsPerSecond() throws Exception {
        int loggers = Integer.getInteger("bench.loggers", 50);
        int packets = Integer.getInteger("bench.packets", 200);
        String[] f = {"w00000", "w01018", "w21003", "w21011", "w21001", "w01001", "w01010"};
        long base = 900_000_000L + System.nanoTime() % 1000 * 1000;
        List<Hj212Client> clients = new ArrayList<>();
        List<List<byte[]>> frames = new ArrayList<>();
        LocalDateTime t0 = LocalDateTime.now(MonitoringGatewayTest.CHINA).truncatedTo(ChronoUnit.MINUTES).minusDays(1);
        for (int i = 0; i < loggers; i++) {
            String mn = "BENCH" + base + "-" + i;
            registry.register(mn, "123456", base + i, List.of(f), 60, false, "bench");
            List<byte[]> l = new ArrayList<>();
            for (int p = 0; p < packets; p++) {
                Hj212Message.Builder b = Hj212Message.builder().qn(String.format("20260101000000%03d", p % 1000)).st("32")
                        .cn(2051).pw("123456").mn(mn).flag(5).group("DataTime", t0.plusMinutes(p).format(MonitoringGatewayTest.T));
                for (String code : f) {
                    b.group(code + "-Min", "1.1", code + "-Avg", "2.2", code + "-Max", "3.3", code + "-Flag", "N");
                }
                l.add(Hj212Encoder.encode(b.build()));
            }
            frames.add(l);
            clients.add(new Hj212Client(gateway.port()));
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loggers; i++) {
            Hj212Client c = clients.get(i);
            List<byte[]> l = frames.get(i);
            Thread th = new Thread(() -> {
                try {
                    for (byte[] b : l) {
                        c.send(b);
                    }
                    for (int p = 0; p < l.size(); p++) {
                        assertThat(c.reply(60_000)).isNotNull();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long rows = (long) loggers * packets * f.length;
        System.out.printf("BENCH %d loggers x %d packets x %d factors = %d rows, all acked in %.2f s: %.0f rows/s, %.0f packets/s%n",
                loggers, packets, f.length, rows, secs, rows / secs, loggers * packets / secs);
        for (Hj212Client c : clients) {
            c.close();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM measurement WHERE outfall_id >= ? AND outfall_id < ?")
                .params(base, base + loggers).query(Long.class).single()).isEqualTo(rows);
    }
}
