package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.gongzhi.hj212.Hj212Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @Test
    void loadsTheFieldPacketFile() throws Exception {
        List<Replay.Frame> frames = Replay.load(Runs.shared("hj212-field-packets.txt"), false);
        assertThat(frames).hasSize(43);
        Replay.Frame first = frames.get(0);
        assertThat(new String(first.bytes(), StandardCharsets.UTF_8)).startsWith("##0101QN=20160801085857223")
            .endsWith("&&1C80\r\n");
        assertThat(first.packet()).isNotNull();
        assertThat(first.expectAck()).isFalse(); // CN 1062 is a host command, not an upload
        assertThat(frames.stream().filter(f -> f.packet() == null).count()).isPositive();
        assertThat(frames.stream().filter(Replay.Frame::expectAck).count()).isPositive();
    }

    @Test
    void replaysFramesAndWaitsForTheAcksTheyAskFor() throws Exception {
        Path file = Runs.shared("hj212-field-packets.txt");
        List<Replay.Frame> frames = Replay.load(file, false);
        long expectAck = frames.stream().filter(Replay.Frame::expectAck).count();
        long invalid = frames.stream().filter(f -> f.packet() == null).count();
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=2", "--replay=" + file, "--ack-timeout=300",
                "--retries=1");
            assertThat(n(r, "sent")).isEqualTo(2L * frames.size());
            assertThat(n(r, "acked")).isEqualTo(2 * expectAck);
            assertThat(n(r, "failed")).isZero();
            assertThat(n(r, "replay.invalidFramesSent")).isEqualTo(2 * invalid);
            assertThat(s.acksSent()).isEqualTo(2 * expectAck);
            assertThat(s.rejected()).isNotEmpty();
        }
    }

    @Test
    void rewriteUsesTheDeviceMnPwAndFreshQns(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cap.txt");
        Files.writeString(f, """
            // two uploads asking for acks, then one with a broken CRC
            ##0325QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&6180\\r\\n	LEN_OK
            ##0325QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&B7C1\\r\\n
            ##0325QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&B7C2\\r\\n
            """);
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            Map<String, Object> r = Runs.run(s, "--devices=3", "--replay=" + f, "--replay-rewrite",
                "--password-per-device", "--packets=6");
            assertThat(n(r, "sent")).isEqualTo(18);
            assertThat(n(r, "acked")).isEqualTo(12);
            assertThat(n(r, "replay.invalidFramesSent")).isEqualTo(6);
            Options o = Options.parse("--devices=3", "--password-per-device");
            assertThat(s.received()).hasSize(12).allSatisfy(p -> {
                int dev = (int) (Long.parseLong(p.mn()) % 100) - 1;
                assertThat(p.mn()).isEqualTo(o.mn(dev));
                assertThat(p.pw()).isEqualTo(o.password(dev));
                assertThat(p.qn()).doesNotStartWith("2016");
            });
            assertThat(s.received().stream().map(p -> p.mn() + p.qn()).distinct().count()).isEqualTo(12);
        }
    }

    @Test
    void rawCaptureIsCutAtFrameStarts() {
        byte[] raw = "##0087QN=1;CP=&&&&AAAA\r\n##0010xyz##12garbage##0001".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> cut = Replay.cutRaw(raw);
        assertThat(cut).extracting(b -> new String(b, StandardCharsets.US_ASCII))
            .containsExactly("##0087QN=1;CP=&&&&AAAA\r\n", "##0010xyz##12garbage", "##0001");
    }

    @Test
    void rewriteKeepsTheRestOfTheSegment() {
        Hj212Packet p = Hj212Packet.parseSegment(
            "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=LD130133000015;Flag=5;CP=&&DataTime=20160824003817;011-Rtd=231.0&&");
        Hj212Packet q = Hj212Packet.decodeFrame(Replay.rewrite(p, "MNX", "654321", "20250101000000001"));
        assertThat(q.segment()).isEqualTo(
            "QN=20250101000000001;ST=32;CN=2011;PW=654321;MN=MNX;Flag=5;CP=&&DataTime=20160824003817;011-Rtd=231.0&&");
    }
}
