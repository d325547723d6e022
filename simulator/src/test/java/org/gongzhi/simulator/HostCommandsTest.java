package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.gongzhi.hj212.Hj212Commands;
import org.gongzhi.hj212.Hj212Commands.Target;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.ProtocolVersion;
import org.junit.jupiter.api.Test;

/** The device answers host commands: 9011/9012, 1011 with SystemTime, 1061, history 2061, 2012 → 9013, bad PW. */
class HostCommandsTest {

    private static final String MN = "88888880000001";

    @Test
    void answersHostCommands() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return Runs.run(s, "--devices=1", "--interval=0.3", "--duration=6", "--cn=2011,2051");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            await(s, p -> p.mnEquals(MN));
            Target t = new Target("32", "123456", MN, ProtocolVersion.V2017);

            s.send(MN, Hj212Commands.getFieldTime(t, "20250301000000001", "w01018"));
            Hj212Packet ready = await(s, p -> p.cn() == 9011 && "20250301000000001".equals(p.qn()));
            assertThat(ready.cp().get("QnRtn")).isEqualTo("1");
            assertThat(ready.st()).isEqualTo("91");
            Hj212Packet time = await(s, p -> p.cn() == 1011 && "20250301000000001".equals(p.qn()));
            assertThat(time.cp().get("SystemTime")).matches("\\d{14}");
            assertThat(time.cp().get("PolId")).isEqualTo("w01018");
            assertThat(time.flag()).isEqualTo(4);
            Hj212Packet exe = await(s, p -> p.cn() == 9012 && "20250301000000001".equals(p.qn()));
            assertThat(exe.cp().get("ExeRtn")).isEqualTo("1");

            LocalDateTime b = LocalDateTime.of(2025, 3, 1, 8, 0);
            s.send(MN, Hj212Commands.history(t, "20250301000000002", 2061, b, b.plusHours(2)));
            Hj212Packet done = await(s, p -> p.cn() == 9012 && "20250301000000002".equals(p.qn()));
            assertThat(done.cp().get("ExeRtn")).isEqualTo("1");
            List<Hj212Packet> all = s.received();
            List<Hj212Packet> hours = all.stream().filter(p -> p.cn() == 2061).toList();
            assertThat(hours).extracting(p -> p.cp().get("DataTime"))
                .containsExactly("20250301080000", "20250301090000", "20250301100000");
            assertThat(hours).allSatisfy(p -> {
                assertThat(p.flag()).isEqualTo(5);
                assertThat(p.qn()).isNotEqualTo("20250301000000002");
                assertThat(p.cp().factor("w01018").avg()).isPresent();
            });
            assertThat(all.indexOf(done)).isGreaterThan(all.indexOf(hours.get(2)));

            s.send(MN, Hj212Commands.getRtdInterval(t, "20250301000000003"));
            Hj212Packet rtd = await(s, p -> p.cn() == 1061 && "20250301000000003".equals(p.qn()));
            assertThat(rtd.cp().get("RtdInterval")).isEqualTo("30");

            s.send(MN, Hj212Commands.getFieldTime(new Target("32", "999999", MN, ProtocolVersion.V2017),
                "20250301000000004", null));
            Hj212Packet badPw = await(s, p -> p.cn() == 9011 && "20250301000000004".equals(p.qn()));
            assertThat(badPw.cp().get("QnRtn")).isEqualTo("3");

            s.send(MN, Hj212Commands.stopRealtimeData(t, "20250301000000005"));
            await(s, p -> p.cn() == 9013 && "20250301000000005".equals(p.qn()));

            Map<String, Object> r = run.get(20, TimeUnit.SECONDS);
            assertThat(Runs.get(r, "host.commands")).isEqualTo(Map.of("1011", 2L, "2061", 1L, "1061", 1L,
                "2012", 1L));
            assertThat(n(r, "data.historyRecords")).isEqualTo(3);
            assertThat(n(r, "failed")).isZero();
            assertThat(n(r, "acked")).isEqualTo(n(r, "sent"));
        }
    }

    /** History replies carry the same values the device sent live for that hour (deterministic model). */
    @Test
    void historyMatchesLiveValues() {
        Options o = Options.parse("--devices=1");
        ValueModel a = new ValueModel(o.seed, 0, o.factors, 0.01, 0.005, false);
        ValueModel b = new ValueModel(o.seed, 0, o.factors, 0.01, 0.005, false);
        LocalDateTime t = LocalDateTime.of(2025, 3, 1, 9, 0);
        assertThat(a.aggregate(2061, t, 3600)).isEqualTo(b.aggregate(2061, t, 3600));
        assertThat(a.aggregate(2061, t, 3600)).isNotEqualTo(b.aggregate(2061, t.plusHours(1), 3600));
    }

    private static Hj212Packet await(AckServer s, Predicate<Hj212Packet> what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            for (Hj212Packet p : s.received()) {
                if (what.test(p)) {
                    return p;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not received in 5 s; got " + s.received().stream().map(Hj212Packet::segment).toList());
    }
}
