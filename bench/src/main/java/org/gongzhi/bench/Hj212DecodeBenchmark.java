package org.gongzhi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.gongzhi.hj212.Cp;
import org.gongzhi.hj212.Hj212Crc;
import org.gongzhi.hj212.Hj212Decoder;
import org.gongzhi.hj212.Hj212Packet;
import org.gongzhi.hj212.Hj212Result;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-thread decode throughput of the real 437-byte water-outlet packet (shared/data/hj212-bench-packet.txt).
 * Goal (issue): at least 1,000,000 packets/s for {@link #fullDecode} with at most 1 KB allocated per packet
 * ({@code -prof gc}, gc.alloc.rate.norm). See docs/hj212.md "Benchmark" for the command and the last results.
 *
 * <p>The packet file is looked up at -Dhj212.benchPacket, then ../shared/data and ../../shared/data relative to the
 * working directory (repo root or bench/); if none exists the copy embedded below (identical bytes) is used.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Hj212DecodeBenchmark {

    static final String EMBEDDED = "##0437QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;Flag=5;"
        + "CP=&&DataTime=20240123123200;w01018-SampleTime=20240123110306,w01018-Rtd=4653.8,w01018-Flag=N;"
        + "w21003-SampleTime=20240123110305,w21003-Rtd=43.58,w21003-Flag=N;w21011-SampleTime=20240123110302,"
        + "w21011-Rtd=1.58,w21011-Flag=N;w21001-SampleTime=20240123110336,w21001-Rtd=83.53,w21001-Flag=N;"
        + "w01001-Rtd=7.17,w01001-Flag=N;w01010-Rtd=6.3,w01010-Flag=N;w00000-Rtd=3.41,w00000-Flag=N&&D941";

    private byte[] frame;
    private Hj212Decoder decoder;
    private Hj212Packet last;

    @Setup
    public void setup() throws IOException {
        frame = load();
        decoder = new Hj212Decoder(this::accept);
        decoder.feed(frame, 0, frame.length);
        if (last == null || last.cn() != 2011 || last.crc() != 0xD941 || last.cp().size() != 19) {
            throw new IllegalStateException("benchmark packet did not decode as expected: " + last);
        }
    }

    private void accept(Hj212Result r) {
        last = (Hj212Packet) r; // a rejection would fail the cast: the benchmark only measures the good path
    }

    static byte[] load() throws IOException {
        String prop = System.getProperty("hj212.benchPacket");
        Path[] candidates = {
            prop == null ? null : Paths.get(prop),
            Paths.get("..", "shared", "data", "hj212-bench-packet.txt"),
            Paths.get("..", "..", "shared", "data", "hj212-bench-packet.txt")};
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p)) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.startsWith("##")) {
                        return line.getBytes(StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return EMBEDDED.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What the gateway does per packet: frame, Annex A CRC, header, CP index, then every CP value read as a
     * number (the -Flag values read as NaN), CN/MN/ack checked.
     */
    @Benchmark
    public void fullDecode(Blackhole bh) {
        decoder.feed(frame, 0, frame.length);
        Hj212Packet p = last;
        Cp cp = p.cp();
        double sum = 0;
        for (int i = 0, n = cp.size(); i < n; i++) {
            double v = cp.doubleValue(i);
            if (v == v) {
                sum += v;
            }
        }
        bh.consume(sum);
        bh.consume(p.cn());
        bh.consume(p.ackRequested());
        bh.consume(p.mnEquals("000101"));
    }

    /** Framing + CRC + header only; CP stays unparsed (lazy). */
    @Benchmark
    public Hj212Packet frameAndHeader() {
        decoder.feed(frame, 0, frame.length);
        return last;
    }

    /** The Annex A CRC of the 437-byte segment alone. */
    @Benchmark
    public int crcOnly() {
        return Hj212Crc.compute(frame, 6, 437);
    }
}
