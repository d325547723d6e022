package org.gongzhi.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gongzhi.simulator.Runs.n;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: one JSON object on stdout, usage on errors, registration rows. */
class MainTest {

    private record Out(int code, String out, String err) {
    }

    private static Out main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportIsOneJsonObjectThatAgreesWithTheServer(@TempDir Path dir) throws Exception {
        try (AckServer s = AckServer.start(0, 1, (p, a) -> a == 1 && p.qn().endsWith("7"), false)) {
            Path file = dir.resolve("report.json");
            Out o = main("--port=" + s.port(), "--devices=5", "--packets=20", "--ack-timeout=100", "--progress=0",
                "--verbose", "--report=" + file);
            assertThat(o.code()).isZero();
            assertThat(o.out().strip().lines()).hasSize(1);
            Map<String, Object> r = (Map<String, Object>) Json.parse(o.out());
            assertThat(r).containsKeys("devices", "sent", "acked", "resent", "failed", "duplicatesAcked",
                "ackLatencyMs", "packetsPerSecond", "durationSeconds", "byDevice");
            assertThat(r).doesNotContainKey("chaos");
            assertThat(n(r, "devices")).isEqualTo(5);
            assertThat(n(r, "sent")).isEqualTo(100);
            assertThat(n(r, "acked")).isEqualTo(100).isEqualTo(s.acksSent());
            assertThat(n(r, "resent")).isEqualTo(s.acksDropped()).isPositive();
            assertThat(n(r, "sent") + n(r, "resent")).isEqualTo(s.packets());
            assertThat(n(r, "failed")).isZero();
            Map<String, Object> lat = (Map<String, Object>) r.get("ackLatencyMs");
            assertThat(lat).containsKeys("p50", "p90", "p99", "max");
            double p50 = Runs.d(r, "ackLatencyMs.p50");
            double p99 = Runs.d(r, "ackLatencyMs.p99");
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(Runs.d(r, "ackLatencyMs.max"));
            assertThat(Runs.d(r, "ackLatencyMs.max")).isGreaterThanOrEqualTo(100); // a resent packet waited ≥ 100 ms
            double pps = Runs.d(r, "packetsPerSecond");
            assertThat(pps).isCloseTo((n(r, "sent") + n(r, "resent")) / Runs.d(r, "durationSeconds"),
                org.assertj.core.data.Offset.offset(pps * 0.02 + 1));
            assertThat((java.util.List<?>) r.get("byDevice")).hasSize(5);
            assertThat(Files.readString(file).strip()).isEqualTo(o.out().strip());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void ackedLogHasOneLinePerAckedPacketEvenWhenAcksAreDroppedAndResent(@TempDir Path dir) throws Exception {
        // the server drops the first ack of every QN ending in 3: those packets are resent and acked once
        try (AckServer s = AckServer.start(0, 1, (p, a) -> a == 1 && p.qn().endsWith("3"), false)) {
            Path log = dir.resolve("acked.tsv");
            Out o = main("--port=" + s.port(), "--devices=3", "--packets=15", "--cn=2051", "--ack-timeout=100",
                "--progress=0", "--start-time=20250101000000", "--acked-log=" + log);
            assertThat(o.code()).isZero();
            java.util.List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(45).doesNotHaveDuplicates();
            assertThat(lines.stream().map(l -> l.split("\t")[0] + " " + l.split("\t")[3]).distinct()).hasSize(45);
            assertThat(lines).allMatch(l -> l.matches("8888888\\d{7}\t2051\t\\d{17}\t2025010\\d{7}"));
            assertThat(lines).anyMatch(l -> l.startsWith("88888880000002\t2051\t") && l.endsWith("\t20250101000000"));
            Map<String, Object> r = (Map<String, Object>) Json.parse(o.out());
            assertThat(n(r, "acked")).isEqualTo(45);
            assertThat(n(r, "resent")).isPositive();
        }
    }

    @Test
    void badOptionsPrintUsageAndExit2() {
        Out o = main("--devices=0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--devices must be 1..100000").contains("Usage:");
        assertThat(o.out()).isEmpty();
        assertThat(main("--frobnicate=1").err()).contains("unknown option --frobnicate");
        assertThat(main("devices=3").err()).contains("unexpected argument");
        assertThat(main("--interval=abc").err()).contains("bad value for --interval");
        assertThat(main("--register=http://x").err()).contains("--register needs --token");
        assertThat(main("--password=1", "--password-per-device").code()).isEqualTo(2);
        assertThat(main("--help").out()).contains("--chaos");
    }

    @Test
    void printRegistrationsWritesCsvRows() {
        Out o = main("--print-registrations", "--devices=3", "--outfall-ids=11,12", "--interval=60",
            "--factors=w01018,w00000");
        assertThat(o.code()).isZero();
        assertThat(o.out().lines().toList()).containsExactly(
            "mn,password,outfallId,factors,intervalSeconds",
            "88888880000001,123456,11,\"w01018,w00000\",60",
            "88888880000002,123456,12,\"w01018,w00000\",60",
            "88888880000003,123456,11,\"w01018,w00000\",60");
    }

    @Test
    void unreachableServerEndsWithFailuresNotAHang() {
        Out o = main("--port=1", "--devices=2", "--packets=3", "--connect-retries=1", "--reconnect-delay=10",
            "--progress=0");
        assertThat(o.code()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Json.parse(o.out());
        assertThat(n(r, "sent")).isZero();
        assertThat(n(r, "connections.devicesGaveUp")).isEqualTo(2);
        assertThat(n(r, "connections.connectFailures")).isEqualTo(4);
    }
}
