package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.gongzhi.hj212.Hj212Packet;
import org.junit.jupiter.api.Test;

/** Flag=5 uploads, 9014 matching by QN, resends of the same packet, failures after the retries. */
class AckFlowTest {

    private static boolean isUpload(Hj212Packet p) {
        return p.cn() == 2011 || p.cn() == 2051 || p.cn() == 2061 || p.cn() == 2031;
    }

    @Test
    void everyPacketAckedExactlyOnceAndResendsReuseTheQn() throws Exception {
        Set<String> dropped = ConcurrentHashMap.newKeySet();
        // drop the first ack of roughly every 4th QN
        AckServer.AckPolicy policy = (p, attempt) -> {
            boolean drop = attempt == 1 && Math.floorMod(p.qn().hashCode(), 4) == 0;
            if (drop) {
                dropped.add(p.mn() + '/' + p.qn());
            }
            return drop;
        };
        try (AckServer s = AckServer.start(0, 1, policy, true)) {
            Map<String, Object> r = Runs.run(s, "--devices=6", "--packets=30", "--ack-timeout=150", "--retries=3");
            assertThat(n(r, "sent")).isEqualTo(180);
            assertThat(n(r, "acked")).isEqualTo(180);
            assertThat(n(r, "failed")).isZero();
            assertThat(n(r, "unsent")).isZero();
            assertThat(dropped).isNotEmpty();
            assertThat(n(r, "resent")).isEqualTo(dropped.size()).isEqualTo(s.acksDropped());
            assertThat(n(r, "duplicatesAcked")).isZero();
            assertThat(n(r, "unknownAcks")).isZero();
            assertThat(n(r, "ackLatencyMs.count")).isEqualTo(180);

            // the server saw each QN once, or twice when its first ack was dropped; the resend is byte-identical
            List<Hj212Packet> got = s.received();
            assertThat(got).hasSize(180 + dropped.size());
            Map<String, String> segmentByQn = new HashMap<>();
            for (Hj212Packet p : got) {
                assertThat(isUpload(p)).isTrue();
                assertThat(p.flag()).isEqualTo(5);
                String key = p.mn() + '/' + p.qn();
                String before = segmentByQn.putIfAbsent(key, p.segment());
                if (before != null) {
                    assertThat(p.segment()).isEqualTo(before);
                }
            }
            s.qnCounts().forEach((k, v) -> assertThat(v).as(k).isEqualTo(dropped.contains(k) ? 2 : 1));
            assertThat(s.acksSent()).isEqualTo(180);
        }
    }

    @Test
    void timeoutsCountFailedAfterTheRetries() throws Exception {
        String silent = "88888880000002";
        try (AckServer s = AckServer.start(0, 1, (p, a) -> p.mnEquals(silent), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=3", "--packets=4", "--ack-timeout=100", "--retries=2",
                "--verbose");
            assertThat(n(r, "sent")).isEqualTo(12);
            assertThat(n(r, "acked")).isEqualTo(8);
            assertThat(n(r, "failed")).isEqualTo(4);
            assertThat(n(r, "resent")).isEqualTo(4 * 2);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> by = (List<Map<String, Object>>) r.get("byDevice");
            Map<String, Object> dev2 = by.get(1);
            assertThat(dev2.get("mn")).isEqualTo(silent);
            assertThat(n(dev2, "failed")).isEqualTo(4);
            assertThat(n(dev2, "acked")).isZero();
            assertThat(n(by.get(0), "failed")).isZero();
            // each of its packets went out 1 + retries times with the same QN
            s.qnCounts().forEach((k, v) -> assertThat(v).as(k).isEqualTo(k.startsWith(silent) ? 3 : 1));
        }
    }

    @Test
    void lateAcksAfterAResendAreCountedAsDuplicatesNotTwice() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            s.ackDelayMs(250); // every ack arrives after the 150 ms timeout: one resend each, then two acks
            Map<String, Object> r = Runs.run(s, "--devices=2", "--packets=3", "--ack-timeout=150", "--retries=3");
            assertThat(n(r, "sent")).isEqualTo(6);
            assertThat(n(r, "acked")).isEqualTo(6);
            assertThat(n(r, "failed")).isZero();
            assertThat(n(r, "resent")).isGreaterThanOrEqualTo(6);
            assertThat(n(r, "duplicatesAcked")).isGreaterThanOrEqualTo(1);
            assertThat(n(r, "ackLatencyMs.p50")).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void noAckModeSendsFlag4AndWaitsForNothing() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=4", "--packets=25", "--no-ack");
            assertThat(n(r, "sent")).isEqualTo(100);
            assertThat(n(r, "acked")).isZero();
            assertThat(n(r, "failed")).isZero();
            assertThat(s.received(100, Duration.ofSeconds(5))).hasSize(100)
                .allSatisfy(p -> assertThat(p.flag()).isEqualTo(4));
            assertThat(s.acksSent()).isZero();
        }
    }

    @Test
    void windowAllowsSeveralPacketsInFlightAndDataTimesStepPerKind() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=1", "--packets=40", "--window=8",
                "--start-time=20250301000000");
            assertThat(n(r, "acked")).isEqualTo(40);
            Map<Integer, List<String>> times = new HashMap<>();
            for (Hj212Packet p : s.received()) {
                times.computeIfAbsent(p.cn(), k -> new java.util.ArrayList<>()).add(p.cp().get("DataTime"));
            }
            assertThat(times.get(2011)).startsWith("20250301000000", "20250301000030", "20250301000100");
            assertThat(times.get(2051)).startsWith("20250301000000", "20250301001000", "20250301002000");
            assertThat(times.get(2061)).startsWith("20250301000000", "20250301010000");
            assertThat(times.get(2031)).startsWith("20250301000000", "20250302000000");
            assertThat(times.values()).allSatisfy(l -> assertThat(l).doesNotHaveDuplicates());
        }
    }
}
