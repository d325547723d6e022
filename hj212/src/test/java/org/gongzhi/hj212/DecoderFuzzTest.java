package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzz: random mixtures of valid frames, mutated frames (bit flips, deleted/inserted/duplicated bytes, wrong
 * lengths, truncation), '#'-heavy noise and random bytes, fed in random chunk sizes. For every input:
 * <ul>
 *   <li>nothing but the declared outcomes: the decoder throws nothing (any throwable fails the test);</li>
 *   <li>it does not hang: each seed has a hard time limit, and the work must be done by the end of input;</li>
 *   <li>it never buffers beyond hardMax + 12 bytes;</li>
 *   <li>results are in stream order, do not overlap, and every byte not in a result is a CR/LF line end;</li>
 *   <li>every valid frame that was not mutated and not preceded by a damaged frame swallowing it is decoded.</li>
 * </ul>
 */
class DecoderFuzzTest {

    private static final int HARD_MAX = 1500;

    @ParameterizedTest
    @ValueSource(longs = {11L, 22L, 33L, 44L, 55L, 66L})
    void neverThrowsNeverHangsNeverOverBuffers(long seed) {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> runSeed(seed));
    }

    private void runSeed(long seed) {
        Random r = new Random(seed);
        Hj212Decoder.Config cfg = Hj212Decoder.Config.defaults().withHardMaxLength(HARD_MAX)
            .withLenientCrc(mn -> mn != null && mn.hashCode() % 2 == 0);
        long[] seen = new long[Hj212Error.values().length];
        long packets = 0;
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            int pieces = 1 + r.nextInt(12);
            for (int i = 0; i < pieces; i++) {
                s.writeBytes(piece(r));
            }
            byte[] input = s.toByteArray();
            List<Hj212Result> results = new ArrayList<>();
            Hj212Decoder d = new Hj212Decoder(cfg, results::add);
            try {
                for (int off = 0; off < input.length; ) {
                    int len = Math.min(input.length - off, r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(2000));
                    d.feed(input, off, len);
                    off += len;
                    assertThat(d.buffered()).isLessThanOrEqualTo(HARD_MAX + 12);
                }
                d.finish();
            } catch (Throwable t) {
                fail("seed " + seed + " round " + round + " threw on input " + Hj212Decoder.printable(input, 0,
                    Math.min(input.length, 400)), t);
            }
            assertThat(d.buffered()).isZero();
            checkCoverage(input, results, "seed " + seed + " round " + round);
            long rejected = 0;
            for (Hj212Error e : Hj212Error.values()) {
                rejected += d.rejections(e);
                seen[e.ordinal()] += d.rejections(e);
            }
            packets += d.packets();
            assertThat(d.packets() + rejected).isEqualTo(results.size());
        }
        // The generator must actually reach every framing outcome, or the properties above prove little.
        assertThat(packets).isGreaterThan(500);
        for (Hj212Error e : List.of(Hj212Error.BAD_HEADER, Hj212Error.BAD_LENGTH, Hj212Error.TOO_LONG,
            Hj212Error.BAD_CRC, Hj212Error.TRUNCATED)) {
            assertThat(seen[e.ordinal()]).as("seed %d reached %s", seed, e).isPositive();
        }
    }

    /** Results ordered, non-overlapping, inside the input; bytes outside results are only CR/LF. */
    private static void checkCoverage(byte[] input, List<Hj212Result> results, String where) {
        long pos = 0;
        for (Hj212Result res : results) {
            assertThat(res.offset()).as(where).isGreaterThanOrEqualTo(pos);
            for (long i = pos; i < res.offset(); i++) {
                assertThat(input[(int) i]).as(where + " uncovered byte at " + i).isIn((byte) '\r', (byte) '\n');
            }
            assertThat(res.length()).as(where).isPositive();
            pos = res.offset() + res.length();
            assertThat(pos).as(where).isLessThanOrEqualTo(input.length);
            if (res instanceof Hj212Packet p) {
                // a delivered packet really is a frame with a correct (or leniently accepted) CRC at its offset
                assertThat(input[(int) p.offset()]).isEqualTo((byte) '#');
                if (p.crcKind() == Hj212Packet.CrcKind.HJ212) {
                    assertThat(p.crc()).isEqualTo(Hj212Crc.compute(p.segmentBytes()));
                }
                assertThat(p.problem()).isNull();
                p.warnings(); // CP parsing must not throw either
                p.cp().factors();
            }
        }
        for (long i = pos; i < input.length; i++) {
            assertThat(input[(int) i]).as(where + " uncovered tail byte at " + i).isIn((byte) '\r', (byte) '\n');
        }
    }

    private static byte[] piece(Random r) {
        int kind = r.nextInt(10);
        byte[] frame = Hj212Encoder.encode(RoundTripPropertyTest.randomMessage(r));
        switch (kind) {
            case 0, 1, 2 -> {
                return frame;
            }
            case 3 -> { // bit flip
                frame[r.nextInt(frame.length)] ^= (byte) (1 << r.nextInt(8));
                return frame;
            }
            case 4 -> { // delete a byte
                int k = r.nextInt(frame.length);
                byte[] out = new byte[frame.length - 1];
                System.arraycopy(frame, 0, out, 0, k);
                System.arraycopy(frame, k + 1, out, k, frame.length - k - 1);
                return out;
            }
            case 5 -> { // insert '#', '&', ';' or a random byte
                int k = r.nextInt(frame.length + 1);
                byte[] out = new byte[frame.length + 1];
                System.arraycopy(frame, 0, out, 0, k);
                out[k] = "#&;=\r\n".getBytes()[r.nextInt(6)];
                System.arraycopy(frame, k, out, k + 1, frame.length - k);
                return out;
            }
            case 6 -> { // truncated
                return java.util.Arrays.copyOf(frame, r.nextInt(frame.length));
            }
            case 7 -> { // random declared length, including above the hard maximum
                byte[] len = String.format("%04d", r.nextInt(10000)).getBytes();
                System.arraycopy(len, 0, frame, 2, 4);
                return frame;
            }
            case 8 -> { // '#'-heavy noise
                byte[] out = new byte[r.nextInt(50)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = "##0123&&\r\n;=".getBytes()[r.nextInt(12)];
                }
                return out;
            }
            default -> { // random bytes
                byte[] out = new byte[r.nextInt(300)];
                r.nextBytes(out);
                return out;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void cleanFramesAfterNoiseAreAllRecovered(int seed) {
        Random r = new Random(seed);
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            byte[] noise = new byte[r.nextInt(500)];
            r.nextBytes(noise);
            s.writeBytes(noise);
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                s.writeBytes(Hj212Encoder.encode(RoundTripPropertyTest.randomMessage(r)));
            }
            byte[] in = s.toByteArray();
            List<Hj212Result> out = Hj212Decoder.decodeAll(in, 0, in.length, Hj212Decoder.Config.defaults());
            // Random noise may fake a header whose CRC happens to match (the check is 8 bits strong, hj212.md §2),
            // but the real frames that follow must all be found.
            assertThat(out.stream().filter(Hj212Result::ok).count()).as("seed %d round %d", seed, round)
                .isGreaterThanOrEqualTo(n);
        }
    }
}
