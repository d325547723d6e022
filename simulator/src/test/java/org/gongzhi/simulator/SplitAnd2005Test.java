package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gongzhi.hj212.Factor;
import org.gongzhi.hj212.Hj212Encoder;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.ProtocolVersion;
import org.junit.jupiter.api.Test;

class SplitAnd2005Test {

    @Test
    void splitPacketsReassembleToTheOriginalCp() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=2", "--packets=8", "--split", "--split-cp=120",
                "--start-time=20250301080000");
            List<Hj212Packet> parts = s.received();
            assertThat(parts).isNotEmpty().allSatisfy(p -> {
                assertThat(p.flag()).isEqualTo(7);
                assertThat(p.isPart()).isTrue();
                assertThat(p.pnum()).isGreaterThan(1);
                assertThat(p.cp().text().length()).isLessThanOrEqualTo(120);
            });
            Set<String> qns = new HashSet<>();
            parts.forEach(p -> assertThat(qns.add(p.mn() + p.qn())).as("own QN per part").isTrue());
            assertThat(n(r, "sent")).isEqualTo(parts.size()).isEqualTo(n(r, "acked"));
            assertThat(n(r, "data.splitParts")).isEqualTo(parts.size());
            assertThat(n(r, "data.records")).isEqualTo(16);

            List<Hj212Packet> whole = s.assembled();
            assertThat(whole).hasSize(16);
            Options o = Options.parse("--devices=2");
            for (Hj212Packet a : whole) {
                int dev = a.mn().equals(o.mn(0)) ? 0 : 1;
                LocalDateTime dt = a.cp().dataTime();
                ValueModel m = new ValueModel(o.seed, dev, o.factors, o.exceedanceRate, o.flagRate, false);
                PacketFactory unsplit = new PacketFactory(ProtocolVersion.V2017, "32", a.mn(), o.factors, 0);
                List<ValueModel.FactorValue> v = a.cn() == 2011 ? m.realtime(dt)
                    : m.aggregate(a.cn(), dt, o.periodSeconds(a.cn()));
                List<Hj212Message> one = unsplit.upload(a.cn(), dt, v, "123456", true, () -> "20250101000000000");
                assertThat(one).hasSize(1);
                Hj212Packet expected = Hj212Packet.parseSegment(Hj212Encoder.segment(one.get(0)));
                assertThat(a.cp().text()).isEqualTo(expected.cp().text());
                assertThat(a.flag()).isEqualTo(5);
                assertThat(a.pnum()).isEqualTo(-1);
            }
        }
    }

    @Test
    void protocol2005UsesThe2005CodesAndFlagsAndIsAckedIn2005Style() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=2", "--packets=8", "--protocol=2005");
            assertThat(n(r, "acked")).isEqualTo(16);
            assertThat(s.received()).hasSize(16).allSatisfy(p -> {
                assertThat(p.version()).isEqualTo(ProtocolVersion.V2005);
                assertThat(p.flag()).isEqualTo(1);
                assertThat(p.qn()).hasSize(17);
                List<String> codes = p.cp().factors().stream().map(Factor::code).toList();
                assertThat(codes).containsExactly("011", "060", "101", "065", "001", "B01");
                assertThat(p.cp().factors().stream().map(Factor::standardCode).toList())
                    .containsExactlyElementsOf(Options.DEFAULT_FACTORS);
                for (Factor f : p.cp().factors()) {
                    assertThat(f.flag()).hasValueSatisfying(fl -> assertThat("NPFCMTDS").contains(fl));
                }
            });
        }
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=1", "--packets=4", "--protocol=2005", "--no-ack");
            assertThat(n(r, "sent")).isEqualTo(4);
            // a plain 2005 upload: no QN, no Flag; fire and forget, so wait for the server to read them
            assertThat(s.received(4, Duration.ofSeconds(5))).hasSize(4).allSatisfy(p -> {
                assertThat(p.qn()).isNull();
                assertThat(p.flag()).isEqualTo(-1);
                assertThat(p.segment()).startsWith("ST=32;CN=20").doesNotContain(";Flag=");
            });
        }
    }

    @Test
    void flagsPerProtocol() {
        PacketFactory f17 = new PacketFactory(ProtocolVersion.V2017, "32", "X", List.of("w01018"), 0);
        assertThat(f17.flag(true, false)).isEqualTo(5);
        assertThat(f17.flag(false, false)).isEqualTo(4);
        assertThat(f17.flag(true, true)).isEqualTo(7);
        assertThat(f17.flag(false, true)).isEqualTo(6);
        PacketFactory f05 = new PacketFactory(ProtocolVersion.V2005, "32", "X", List.of("011"), 0);
        assertThat(f05.flag(true, false)).isEqualTo(1);
        assertThat(f05.flag(false, false)).isEqualTo(-1);
        assertThat(f05.flag(true, true)).isEqualTo(3);
    }

    @Test
    void cpOverTheStandardLimitIsSplitEvenWithoutSplitOption() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(String.format("w9%04d", i));
        }
        ValueModel m = new ValueModel(1, 0, many, 0, 0, false);
        PacketFactory f = new PacketFactory(ProtocolVersion.V2017, "32", "MN1", many, 0);
        LocalDateTime t = LocalDateTime.of(2025, 3, 1, 8, 0);
        int[] q = {0};
        List<Hj212Message> msgs = f.upload(2061, t, m.aggregate(2061, t, 3600), "123456", true,
            () -> "2025030108000000" + q[0]++);
        assertThat(msgs.size()).isGreaterThan(1);
        for (Hj212Message msg : msgs) {
            Hj212Packet p = Hj212Packet.decodeFrame(Hj212Encoder.encode(msg));
            assertThat(p.cp().text().length()).isLessThanOrEqualTo(950);
            assertThat(p.segmentLength()).isLessThanOrEqualTo(1024);
            assertThat(p.cp().get("DataTime")).isEqualTo("20250301080000");
        }
    }
}
