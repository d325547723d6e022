package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every packet of shared/data/hj212-samples.txt (the standard's Appendix C examples, framed). */
class SamplesTest {

    private static final Pattern CRC_OK = Pattern.compile("CRC_OK\\(([0-9A-Fa-f]{4})\\)");

    static Stream<SharedData.Line> samples() {
        return SharedData.packets("hj212-samples.txt").stream();
    }

    @Test
    void fileHasTheExpectedPackets() {
        assertThat(SharedData.packets("hj212-samples.txt")).hasSize(42);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decodesAsOnePacketWithTheStatedCrcAndLength(SharedData.Line line) {
        List<Hj212Result> results = Hj212Decoder.decodeAll(line.packet());
        assertThat(results).hasSize(1);
        assertThat(results.get(0)).isInstanceOf(Hj212Packet.class);
        Hj212Packet p = (Hj212Packet) results.get(0);
        Matcher m = CRC_OK.matcher(line.verdict());
        assertThat(m.find()).as("verdict %s", line.verdict()).isTrue();
        assertThat(Hj212Crc.toHex(p.crc())).isEqualToIgnoringCase(m.group(1));
        assertThat(p.crcKind()).isEqualTo(Hj212Packet.CrcKind.HJ212);
        assertThat(line.verdict()).contains("LEN_OK");
        assertThat(p.segmentLength()).isEqualTo(p.declaredLength());
        assertThat(p.tail()).isEqualTo(Hj212Packet.Tail.CRLF);
        assertThat(p.length()).isEqualTo(line.packet().length);
        assertThat(p.version()).isEqualTo(ProtocolVersion.V2017);
        assertThat(p.mn()).isEqualTo("010000A8900016F000169DC0");
        assertThat(p.problem()).isNull();
        // Re-encoding the decoded content gives a frame that decodes to the same content.
        Hj212Packet again = Hj212Packet.decodeFrame(Hj212Encoder.encode(p.toMessage()));
        assertThat(again.toMessage()).isEqualTo(p.toMessage());
    }

    @Test
    void utf8LengthCountsBytes() {
        Hj212Packet p = find("i11001-Info");
        assertThat(p.declaredLength()).isEqualTo(152);
        assertThat(p.segment()).hasSize(152 - 8); // 4 Chinese characters are 12 bytes
        assertThat(p.cp().factor("i11001").info()).contains("//清洗管路//");
        assertThat(p.cp().factor("i11001").isInfo()).isTrue();
    }

    @Test
    void malformedAsPublished_flagWithoutSemicolonBeforeCp() {
        Hj212Packet p = find("Flag=5CP=");
        assertThat(p.flag()).isEqualTo(5);
        assertThat(p.cn()).isEqualTo(2041);
        assertThat(p.hasWarning(Hj212Warning.Code.HEADER_NO_SEPARATOR_BEFORE_CP)).isTrue();
        Factor sb1 = p.cp().factor("SB1");
        assertThat(sb1.isEquipment()).isTrue();
        assertThat(sb1.runTime()).hasValue(1.1);
    }

    @Test
    void malformedAsPublished_commaAfterQn() {
        Hj212Packet p = find("QN=20160801085857534,ST=32");
        assertThat(p.qn()).isEqualTo("20160801085857534");
        assertThat(p.st()).isEqualTo("32");
        assertThat(p.cn()).isEqualTo(2031);
        assertThat(p.hasWarning(Hj212Warning.Code.HEADER_COMMA)).isTrue();
        assertThat(p.cp().factor("w00000").cou()).hasValue(1512.0);
    }

    @Test
    void malformedAsPublished_missingWInFactorCodeIsKeptAsSent() {
        Hj212Packet p = find("01018-Rtd=2.2");
        Cp cp = p.cp();
        assertThat(cp.get("01018-Rtd")).isEqualTo("2.2");
        assertThat(cp.factor("w01018").get(FactorField.EFLAG)).isEqualTo("A01");
        assertThat(cp.factor("w01018").sampleTime()).hasValueSatisfying(t -> assertThat(t.getHour()).isEqualTo(7));
        assertThat(cp.factor("01018").rtd()).hasValue(2.2);
        assertThat(cp.factor("w01001").rtd()).hasValue(7.1);
        assertThat(cp.dataTime()).hasToString("2016-08-01T08:58:57");
    }

    @Test
    void beginAndEndTimeJoinedByCommaStayReadable() {
        Hj212Packet p = find("BeginTime=20160801000000,EndTime");
        assertThat(p.cp().getTime("BeginTime")).hasToString("2016-08-01T00:00");
        assertThat(p.cp().getTime("EndTime")).hasToString("2016-08-01T00:00");
        assertThat(p.cp().groups()).hasSize(1);
        assertThat(p.cp().groups().get(0)).hasSize(2);
    }

    @Test
    void splitPacketsCarryPnumPno() {
        Hj212Packet p = find("Flag=7;PNUM=2;PNO=1");
        assertThat(p.ackRequested()).isTrue();
        assertThat(p.splitFlag()).isTrue();
        assertThat(p.pnum()).isEqualTo(2);
        assertThat(p.pno()).isEqualTo(1);
        assertThat(Hj212Replies.needsDataAck(p)).isTrue();
    }

    @Test
    void singleSpaceCpIsEmptyWithWarning() {
        Hj212Packet p = find("CP=&& &&");
        assertThat(p.cp().isEmpty()).isTrue();
        assertThat(p.hasWarning(Hj212Warning.Code.CP_SPACES)).isTrue();
    }

    @Test
    void spaceBeforeEqualsIsTrimmed() {
        Hj212Packet p = find("i12003-Info =0");
        assertThat(p.cp().get("i12003-Info")).isEqualTo("0");
        assertThat(p.hasWarning(Hj212Warning.Code.CP_SPACES)).isTrue();
    }

    @Test
    void wholeFileAsOneStreamGivesEveryPacket() {
        StringBuilder all = new StringBuilder();
        for (SharedData.Line l : SharedData.packets("hj212-samples.txt")) {
            all.append(new String(l.packet(), StandardCharsets.UTF_8));
        }
        List<Hj212Result> results = Hj212Decoder.decodeAll(all.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(results).hasSize(42).allMatch(Hj212Result::ok);
    }

    private static Hj212Packet find(String fragment) {
        for (SharedData.Line l : SharedData.packets("hj212-samples.txt")) {
            if (l.packetText().contains(fragment)) {
                return Hj212Packet.decodeFrame(l.packet());
            }
        }
        throw new AssertionError("no sample contains " + fragment);
    }
}
