package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.util.Map;

import org.gongzhi.hj212.Hj212Error;
import org.junit.jupiter.api.Test;

class ChaosTest {

    @Test
    void eachKindOfBadInputReachesTheServerAndGoodPacketsStillGetAcked() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), true)) {
            // 10 devices, all chaos: 2 of each kind; half of their packets misbehave
            Map<String, Object> r = Runs.run(s, "--devices=10", "--packets=12", "--chaos=1", "--chaos-rate=0.5",
                "--reconnect-delay=20", "--slow-chunk=64", "--slow-delay=2", "--ack-timeout=2000");
            assertThat(Runs.get(r, "chaos.kinds")).isEqualTo(Map.of("bad-crc", 2, "bad-length", 2, "garbage", 2,
                "slow", 2, "disconnect", 2));
            assertThat(n(r, "wellBehavedDevices")).isZero();
            assertThat(n(r, "sent")).isZero(); // well-behaved stats are separate
            assertThat(n(r, "chaos.sent")).isEqualTo(120);
            assertThat(n(r, "chaos.acked")).isEqualTo(120);
            assertThat(n(r, "chaos.failed")).isZero();
            assertThat(n(r, "chaos.badFramesAcked")).isZero();

            long badCrc = n(r, "chaos.badCrcFrames");
            long badLen = n(r, "chaos.badLengthFrames");
            long garbage = n(r, "chaos.garbageChunks");
            long aborts = n(r, "chaos.abruptDisconnects");
            assertThat(badCrc).isPositive();
            assertThat(badLen).isPositive();
            assertThat(garbage).isPositive();
            assertThat(aborts).isPositive();
            assertThat(n(r, "chaos.slowFrames")).isEqualTo(24);
            assertThat(n(r, "chaos.garbageBytes")).isGreaterThanOrEqualTo(garbage);

            // what the server's decoder saw
            assertThat(s.rejections(Hj212Error.BAD_CRC)).isEqualTo(badCrc);
            assertThat(s.rejections(Hj212Error.BAD_LENGTH)).isEqualTo(badLen);
            assertThat(s.rejections(Hj212Error.BAD_HEADER)).isBetween(1L, garbage);
            assertThat(s.rejections(Hj212Error.TRUNCATED)).isBetween(1L, aborts); // a reset may beat the half frame
            assertThat(s.connections()).isEqualTo(10 + aborts);
            assertThat(s.acksSent()).isEqualTo(120);
        }
    }

    @Test
    void wellBehavedDevicesKeepTheirOwnStats() throws Exception {
        try (AckServer s = AckServer.start(0, 1, AckServer.AckPolicy.never(), false)) {
            Map<String, Object> r = Runs.run(s, "--devices=8", "--packets=10", "--chaos=0.5",
                "--chaos-kinds=bad-crc,garbage", "--chaos-rate=1");
            assertThat(n(r, "wellBehavedDevices")).isEqualTo(4);
            assertThat(n(r, "chaos.devices")).isEqualTo(4);
            assertThat(n(r, "sent")).isEqualTo(40);
            assertThat(n(r, "acked")).isEqualTo(40);
            assertThat(n(r, "chaos.sent")).isEqualTo(40);
            assertThat(n(r, "chaos.badCrcFrames")).isEqualTo(20);
            assertThat(n(r, "chaos.garbageChunks")).isEqualTo(20);
            assertThat(n(r, "ackLatencyMs.count")).isEqualTo(40);
            assertThat(n(r, "chaos.ackLatencyMs.count")).isEqualTo(40);
        }
    }
}
