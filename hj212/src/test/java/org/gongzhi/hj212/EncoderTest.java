package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The encoder, replies and commands reproduce the standard's own Appendix C frames byte for byte (as framed in
 * shared/data/hj212-samples.txt).
 */
class EncoderTest {

    private static final String QN = "20160801085857223";
    private static final Hj212Commands.Target T =
        new Hj212Commands.Target("32", "123456", "010000A8900016F000169DC0", ProtocolVersion.V2017);

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String sample(String fragment) {
        for (SharedData.Line l : SharedData.packets("hj212-samples.txt")) {
            if (l.packetText().contains(fragment)) {
                return text(l.packet());
            }
        }
        throw new AssertionError("no sample " + fragment);
    }

    private static void same(Hj212Message m, String sampleFragment) {
        assertThat(text(Hj212Encoder.encode(m))).isEqualTo(sample(sampleFragment));
    }

    @Test
    void hostCommandsMatchAppendixC() {
        same(Hj212Commands.setTimeoutAndRetries(T, QN, 5, 3), "CN=1000;");
        same(Hj212Commands.getFieldTime(T, QN, "w01018"), "CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&");
        same(Hj212Commands.setFieldTime(T, QN, "w01018", LocalDateTime.of(2016, 8, 1, 8, 58, 57)), "CN=1012;");
        same(Hj212Commands.getRtdInterval(T, QN), "CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&");
        same(Hj212Commands.setMinInterval(T, QN, 10), "CN=1064;");
        same(Hj212Commands.setPassword(T, QN, "654321"), "CN=1072;");
        same(Hj212Commands.startRealtimeData(T, QN), "CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&");
        same(Hj212Commands.stopRealtimeData(T, QN), "CN=2012;");
        same(Hj212Commands.history(T, QN, 2051, LocalDateTime.of(2016, 8, 1, 8, 40), LocalDateTime.of(2016, 8, 1, 8, 40)),
            "CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime");
        same(Hj212Commands.calibrate(T, QN, "w01018"), "CN=3011;");
        same(Hj212Commands.setSamplingPeriod(T, QN, "w01018", LocalTime.MIDNIGHT, 2), "CN=3016;");
        same(Hj212Commands.setFieldParameter(T, QN, "w01018", "i13004", "168.0"), "CN=3021;");
        Hj212Commands.Target t100000 = new Hj212Commands.Target("32", "100000", "010000A8900016F000169DC0", ProtocolVersion.V2017);
        assertThat(Hj212Crc.toHex(Hj212Crc.compute(Hj212Encoder.segment(Hj212Commands.setRtdInterval(t100000, QN, 30)))))
            .isEqualTo("1C80"); // the Annex A example
    }

    @Test
    void everyCommandDecodes() {
        LocalDateTime t0 = LocalDateTime.of(2024, 1, 2, 3, 4, 5);
        List<Hj212Message> all = List.of(
            Hj212Commands.setTimeoutAndRetries(T, QN, 10, 3), Hj212Commands.getFieldTime(T, QN, null),
            Hj212Commands.setFieldTime(T, QN, null, t0), Hj212Commands.getRtdInterval(T, QN),
            Hj212Commands.setRtdInterval(T, QN, 60), Hj212Commands.getMinInterval(T, QN),
            Hj212Commands.setMinInterval(T, QN, 5), Hj212Commands.setPassword(T, QN, "abc"),
            Hj212Commands.startRealtimeData(T, QN), Hj212Commands.stopRealtimeData(T, QN),
            Hj212Commands.startRunState(T, QN), Hj212Commands.stopRunState(T, QN),
            Hj212Commands.history(T, QN, 2031, t0, t0), Hj212Commands.history(T, QN, 2041, t0, t0),
            Hj212Commands.history(T, QN, 2061, t0, t0.plusHours(5)), Hj212Commands.calibrate(T, QN, "w01018"),
            Hj212Commands.sampleNow(T, QN, "w01018"), Hj212Commands.clean(T, QN, "w01018"),
            Hj212Commands.comparisonSample(T, QN, "w01018"), Hj212Commands.retainSample(T, QN, "w01018"),
            Hj212Commands.setSamplingPeriod(T, QN, "w01018", LocalTime.of(1, 30), 4),
            Hj212Commands.getSamplingPeriod(T, QN, "w01018"), Hj212Commands.getSampleTime(T, QN, "w01018"),
            Hj212Commands.getInstrumentSn(T, QN, "w01018"), Hj212Commands.getFieldInfo(T, QN, "w01018", "i11001", t0, t0),
            Hj212Commands.setFieldParameter(T, QN, "w01018", "i13004", "168.0"));
        int[] cns = {1000, 1011, 1012, 1061, 1062, 1063, 1064, 1072, 2011, 2012, 2021, 2022, 2031, 2041, 2061,
            3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018, 3019, 3020, 3021};
        for (int i = 0; i < all.size(); i++) {
            Hj212Packet p = Hj212Packet.decodeFrame(Hj212Encoder.encode(all.get(i)));
            assertThat(p.cn()).isEqualTo(cns[i]);
            assertThat(p.flag()).isEqualTo(5);
            assertThat(p.qn()).isEqualTo(QN);
            assertThat(p.warnings()).isEmpty();
        }
        assertThat(Hj212Packet.decodeFrame(Hj212Encoder.encode(Hj212Commands.history(T, QN, 2061, t0, t0.plusHours(5))))
            .cp().getTime("EndTime")).isEqualTo(t0.plusHours(5).withSecond(5));
    }

    @Test
    void hj212v2025CommandsCarryTheVersion2FlagAndAreRefusedFor2017Loggers() {
        Hj212Commands.Target t25 = new Hj212Commands.Target("32", "123456", "010000A8900016F000169DC0", ProtocolVersion.V2025);
        LocalDateTime t0 = LocalDateTime.of(2026, 3, 1, 8, 0, 0);
        List<Hj212Message> all = List.of(Hj212Commands.setMn(t25, QN, "010000A8900016F000169DC1"),
            Hj212Commands.newKey(t25, QN, t0, "k3y"), Hj212Commands.history(t25, QN, 2013, t0, t0.plusHours(1)),
            Hj212Commands.history(t25, QN, 2062, t0, t0.plusDays(1)), Hj212Commands.retainSampleNow(t25, QN, "w01018"),
            Hj212Commands.startStandardCheck(t25, QN, "w21003"));
        int[] cns = {1002, 1014, 2013, 2062, 3022, 3024};
        for (int i = 0; i < all.size(); i++) {
            Hj212Packet p = Hj212Packet.decodeFrame(Hj212Encoder.encode(all.get(i)));
            assertThat(p.cn()).isEqualTo(cns[i]);
            assertThat(p.flag()).as("2025 version bits (8) with A").isEqualTo(9);
            assertThat(p.version()).isEqualTo(ProtocolVersion.V2025);
            assertThat(p.warnings()).isEmpty();
        }
        assertThat(Hj212Encoder.segment(all.get(0))).endsWith("CP=&&i23005-Info=010000A8900016F000169DC1&&");
        assertThat(Hj212Encoder.segment(all.get(1))).endsWith("CP=&&SKCreateTime=20260301080000;NewSK=k3y&&");
        assertThat(Hj212Packet.decodeFrame(Hj212Encoder.encode(all.get(2))).cp().getTime("EndTime"))
            .isEqualTo(t0.plusHours(1));
        assertThatThrownBy(() -> Hj212Commands.setMn(T, QN, "X")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2025");
        assertThatThrownBy(() -> Hj212Commands.history(T, QN, 2013, t0, t0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Commands.newKey(t25, QN, t0, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandArgumentsAreValidated() {
        assertThatThrownBy(() -> Hj212Commands.setRtdInterval(T, QN, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Commands.setMinInterval(T, QN, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Commands.history(T, QN, 2011, LocalDateTime.now(), LocalDateTime.now()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Commands.setTimeoutAndRetries(T, QN, 0, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void repliesMatchAppendixC() {
        Hj212Packet request = Hj212Packet.decodeFrame(Hj212Encoder.encode(Hj212Commands.setTimeoutAndRetries(T, QN, 5, 3)));
        same(Hj212Replies.requestAnswer(request, Hj212Replies.QnRtn.READY), "CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&1B00");
        same(Hj212Replies.executionResult(request, Hj212Replies.ExeRtn.SUCCESS), "CN=9012;");
        Hj212Packet upload = Hj212Packet.decodeFrame(SharedData.unescape(sample("CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01001")));
        assertThat(Hj212Replies.needsDataAck(upload)).isTrue();
        same(Hj212Replies.dataAck(upload), "CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3240");
        Hj212Packet part1 = Hj212Packet.decodeFrame(SharedData.unescape(sample("Flag=7;PNUM=2;PNO=1")));
        same(Hj212Replies.dataAck(part1), "QN=20160801085857534;ST=91;CN=9014");
        Hj212Packet notify = Hj212Packet.decodeFrame(SharedData.unescape(sample("CN=1013;")));
        assertThat(Hj212Replies.needsNotifyAck(notify)).isTrue();
        assertThat(text(Hj212Encoder.encode(Hj212Replies.notifyAck(notify))))
            .startsWith("##0087QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&");
    }

    @Test
    void repliesFollowTheVersionOfThePacketAnswered() {
        Hj212Packet v2005 = Hj212Packet.parseSegment("QN=20240101000000000;ST=32;CN=2011;PW=1;MN=LD1;Flag=1;CP=&&&&");
        assertThat(Hj212Encoder.segment(Hj212Replies.dataAck(v2005)))
            .isEqualTo("ST=91;CN=9014;PW=1;MN=LD1;Flag=0;CP=&&QN=20240101000000000&&");
        assertThat(Hj212Encoder.segment(Hj212Replies.requestAnswer(v2005, Hj212Replies.QnRtn.BAD_CRC)))
            .isEqualTo("ST=91;CN=9011;PW=1;MN=LD1;Flag=0;CP=&&QN=20240101000000000;QnRtn=9&&");
        Hj212Packet v2025 = Hj212Packet.parseSegment("QN=20240101000000000;ST=32;CN=2011;PW=1;MN=LD1;Flag=9;CP=&&&&");
        assertThat(Hj212Encoder.segment(Hj212Replies.dataAck(v2025)))
            .isEqualTo("QN=20240101000000000;ST=91;CN=9014;PW=1;MN=LD1;Flag=8;CP=&&&&");
        Hj212Packet noAck = Hj212Packet.parseSegment("QN=20240101000000000;ST=32;CN=2011;PW=1;MN=LD1;Flag=4;CP=&&&&");
        assertThat(Hj212Replies.needsDataAck(noAck)).isFalse();
    }

    @Test
    void encoderRefusesWhatCannotBeReadBack() {
        assertThatThrownBy(() -> Hj212Encoder.segment(Hj212Message.builder().cn(2011).group("a", "1;2").build()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Encoder.segment(Hj212Message.builder().cn(2011).group("a", " 1").build()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Encoder.segment(Hj212Message.builder().cn(2011).group("a=b", "1").build()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Encoder.segment(Hj212Message.builder().cn(2011).mn("a;b").build()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Encoder.frame(new byte[10000])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hj212Message.builder().cn(2011).parts(2, 3).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frameCountsUtf8Bytes() {
        byte[] f = Hj212Encoder.frame("CN=3020;CP=&&i11001-Info=清洗&&");
        assertThat(text(f)).startsWith("##0033CN=3020");
        assertThat(Hj212Packet.decodeFrame(f).cp().get("i11001-Info")).isEqualTo("清洗");
    }
}
