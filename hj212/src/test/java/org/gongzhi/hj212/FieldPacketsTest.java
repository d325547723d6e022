package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet of shared/data/hj212-field-packets.txt against its stated verdict (LEN_*, CRC_*, TAIL_*), both on
 * its own and as one concatenated stream.
 */
class FieldPacketsTest {

    private static final Pattern CRC_OK = Pattern.compile("CRC_OK\\(([0-9A-Fa-f]{4})\\)");
    private static final Pattern CRC_BAD = Pattern.compile("CRC_BAD(\\[[^]]*])?\\(given=([0-9A-Fa-f]{4}),hj212=([0-9A-Fa-f]{4})\\)");

    static Stream<SharedData.Line> field() {
        return SharedData.packets("hj212-field-packets.txt").stream();
    }

    @Test
    void fileHas43Packets() {
        assertThat(SharedData.packets("hj212-field-packets.txt")).hasSize(43);
    }

    @ParameterizedTest
    @MethodSource("field")
    void matchesVerdict(SharedData.Line line) {
        String v = line.verdict();
        List<Hj212Result> strict = Hj212Decoder.decodeAll(line.packet());
        assertThat(strict).as("one result per packet").hasSize(1);
        Hj212Result r = strict.get(0);
        assertThat(r.offset()).isZero();
        assertThat(r.length()).isEqualTo(line.packet().length);

        if (v.contains("LEN_MISMATCH")) {
            assertThat(r).isInstanceOf(Hj212Rejection.class);
            Hj212Rejection rej = (Hj212Rejection) r;
            assertThat(rej.error()).isEqualTo(Hj212Error.BAD_LENGTH);
            Matcher m = Pattern.compile("actual=(\\d+)").matcher(v);
            assertThat(m.find()).isTrue();
            assertThat(rej.detail()).contains("appears to be " + m.group(1) + " bytes");
            return;
        }
        assertThat(v).contains("LEN_OK");
        Matcher ok = CRC_OK.matcher(v);
        Matcher bad = CRC_BAD.matcher(v);
        if (ok.find()) {
            assertThat(r).isInstanceOf(Hj212Packet.class);
            Hj212Packet p = (Hj212Packet) r;
            assertThat(Hj212Crc.toHex(p.crc())).isEqualToIgnoringCase(ok.group(1));
            assertThat(p.crcExpected()).isEqualTo(p.crc());
            assertThat(p.segmentLength()).isEqualTo(p.declaredLength());
            checkTail(v, p);
            assertThat(p.hasWarning(Hj212Warning.Code.OVERSIZE)).isEqualTo(v.contains("LEN_OVER_1024"));
        } else {
            assertThat(bad.find()).as("verdict %s", v).isTrue();
            assertThat(r).isInstanceOf(Hj212Rejection.class);
            Hj212Rejection rej = (Hj212Rejection) r;
            assertThat(rej.error()).isEqualTo(Hj212Error.BAD_CRC);
            assertThat(Hj212Crc.toHex(rej.crcGiven())).isEqualToIgnoringCase(bad.group(2));
            assertThat(Hj212Crc.toHex(rej.crcExpected())).isEqualToIgnoringCase(bad.group(3));
            assertThat(rej.unverified()).isNotNull();
            assertThat(rej.unverified().cn()).isPositive();

            // Lenient mode accepts exactly the MODBUS-low-byte-first ones, flagged and counted.
            boolean modbus = bad.group(1) != null && bad.group(1).contains("MODBUS");
            List<Hj212Result> lenient = new ArrayList<>();
            Hj212Decoder d = new Hj212Decoder(Hj212Decoder.Config.defaults().withLenientCrcForAll(), lenient::add);
            d.feedLast(line.packet(), 0, line.packet().length);
            assertThat(lenient).hasSize(1);
            assertThat(lenient.get(0).ok()).isEqualTo(modbus);
            assertThat(d.modbusCrcAccepted()).isEqualTo(modbus ? 1 : 0);
            if (modbus) {
                Hj212Packet p = (Hj212Packet) lenient.get(0);
                assertThat(p.crcKind()).isEqualTo(Hj212Packet.CrcKind.MODBUS_LOW_FIRST);
                assertThat(p.hasWarning(Hj212Warning.Code.CRC_MODBUS)).isTrue();
                assertThat(p.hasWarning(Hj212Warning.Code.OVERSIZE)).isEqualTo(v.contains("LEN_OVER_1024"));
                checkTail(v, p);
            }
        }
    }

    private static void checkTail(String verdict, Hj212Packet p) {
        if (verdict.contains("TAIL_NO_TAIL")) {
            assertThat(p.tail()).isEqualTo(Hj212Packet.Tail.NONE);
            assertThat(p.hasWarning(Hj212Warning.Code.TAIL_MISSING)).isTrue();
        } else if (verdict.contains("TAIL_LF_ONLY")) {
            assertThat(p.tail()).isEqualTo(Hj212Packet.Tail.LF);
            assertThat(p.hasWarning(Hj212Warning.Code.TAIL_LF_ONLY)).isTrue();
        } else {
            assertThat(p.tail()).isEqualTo(Hj212Packet.Tail.CRLF);
        }
    }

    /**
     * All 43 packets back to back, fed in awkward chunk sizes: the decoder resynchronises after every bad CRC and
     * the wrong lengths and produces exactly one result per packet, in order.
     */
    @Test
    void concatenatedStreamResynchronisesAfterEveryBadPacket() {
        List<SharedData.Line> lines = SharedData.packets("hj212-field-packets.txt");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Long> starts = new ArrayList<>();
        for (SharedData.Line l : lines) {
            starts.add((long) all.size());
            all.writeBytes(l.packet());
        }
        byte[] stream = all.toByteArray();
        for (int chunk : new int[] {1, 7, 100, 1500, stream.length}) {
            List<Hj212Result> results = new ArrayList<>();
            Hj212Decoder d = new Hj212Decoder(results::add);
            for (int off = 0; off < stream.length; off += chunk) {
                d.feed(stream, off, Math.min(chunk, stream.length - off));
            }
            d.finish();
            assertThat(results).as("chunk %d", chunk).hasSize(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                assertThat(results.get(i).offset()).as("chunk %d result %d", chunk, i).isEqualTo(starts.get(i));
                boolean expectOk = lines.get(i).verdict().contains("CRC_OK") && !lines.get(i).verdict().contains("LEN_MISMATCH");
                assertThat(results.get(i).ok()).as("chunk %d %s", chunk, lines.get(i)).isEqualTo(expectOk);
            }
        }
    }

    @Test
    void twoThousandFiveWaterCodesMapTo2017() {
        Hj212Packet p = decode("001-Rtd=7.470");
        assertThat(p.version()).isEqualTo(ProtocolVersion.V2005);
        assertThat(p.qn()).isNull();
        assertThat(p.flag()).isEqualTo(-1);
        Cp cp = p.cp();
        assertThat(cp.factor("w01001").code()).isEqualTo("001");
        assertThat(cp.factor("w01001").rtd()).hasValue(7.47);
        assertThat(cp.factor("w00000").code()).isEqualTo("B01");
        assertThat(cp.factor("w01018").rtd()).hasValue(32.439);
        assertThat(cp.factor("w21003").code()).isEqualTo("060");
        assertThat(cp.factor("w21011").code()).isEqualTo("101");
        assertThat(cp.factor("w21001").rtd()).hasValue(25.801);
        assertThat(cp.factors()).extracting(Factor::standardCode)
            .containsExactly("w01001", "w00000", "w01018", "w21003", "w21011", "w21001");
    }

    @Test
    void airPacketsKeepTheirNumericCodes() {
        Hj212Packet p = decode("MN=4201003;");
        assertThat(p.st()).isEqualTo("31");
        Factor f = p.cp().factor("023");
        assertThat(f.standardCode()).isEqualTo("023"); // not w20116: in air packets 023 is not chromium
    }

    @Test
    void negativeValuesParse() {
        Hj212Packet p = decode("a01013-Min=-0.041");
        assertThat(p.cp().factor("a01013").min()).hasValue(-0.041);
        assertThat(p.cp().getDouble("a01013-Min")).isEqualTo(-0.041);
        assertThat(p.cp().getDecimal("a01013-Min")).isEqualByComparingTo("-0.041");
    }

    @Test
    void duplicateKeysFirstWinsAllKept() {
        Hj212Packet p = decode("w00000-Avg=19796346.00");
        Factor flow = p.cp().factor("w00000");
        assertThat(flow.avg()).hasValue(66.09);
        assertThat(p.cp().getAll("w00000-Avg")).containsExactly("66.09", "19796346.00");
        assertThat(p.warnings()).filteredOn(w -> w.code() == Hj212Warning.Code.CP_DUPLICATE_KEY)
            .extracting(Hj212Warning::detail).containsExactly("w00000-Avg", "w00000-Min", "w00000-Max");
    }

    private static Hj212Packet decode(String fragment) {
        for (SharedData.Line l : SharedData.packets("hj212-field-packets.txt")) {
            if (l.packetText().contains(fragment)) {
                // lenient: some of these real captures carry a MODBUS CRC; the content is what is tested here
                return Hj212Packet.decodeFrame(l.packet(), Hj212Decoder.Config.defaults().withLenientCrcForAll());
            }
        }
        throw new AssertionError("no field packet contains " + fragment);
    }
}
