package org.gongzhi.hj212;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gongzhi.hj212.TestFrames.UPLOAD;
import static org.gongzhi.hj212.TestFrames.bytes;
import static org.gongzhi.hj212.TestFrames.decode;
import static org.gongzhi.hj212.TestFrames.frame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** One test per parser hazard of hj212.md §10, plus each named error outcome. */
class HazardsTest {

    private static final String GOOD = frame(UPLOAD, "\r\n");

    private static Hj212Packet only(List<Hj212Result> rs) {
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0)).isInstanceOf(Hj212Packet.class);
        return (Hj212Packet) rs.get(0);
    }

    private static Hj212Rejection rejection(Hj212Result r, Hj212Error e) {
        assertThat(r).isInstanceOf(Hj212Rejection.class);
        assertThat(((Hj212Rejection) r).error()).isEqualTo(e);
        return (Hj212Rejection) r;
    }

    @Test
    void style2005WithoutQnOrFlag() {
        Hj212Packet p = only(decode(frame("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;011-Rtd=231.0&&", "\r\n")));
        assertThat(p.qn()).isNull();
        assertThat(p.flag()).isEqualTo(-1);
        assertThat(p.version()).isEqualTo(ProtocolVersion.V2005);
        assertThat(p.ackRequested()).isFalse();
        assertThat(p.warnings()).isEmpty();
        assertThat(p.cp().factor("w01018").standardCode()).isEqualTo("w01018");
    }

    @Test
    void missingTailAndLfOnlyAndCrOnly() {
        assertThat(only(decode(frame(UPLOAD, ""))).tail()).isEqualTo(Hj212Packet.Tail.NONE);
        assertThat(only(decode(frame(UPLOAD, "\n"))).tail()).isEqualTo(Hj212Packet.Tail.LF);
        assertThat(only(decode(frame(UPLOAD, "\r"))).tail()).isEqualTo(Hj212Packet.Tail.CR);
        // A frame without tail directly followed by the next frame.
        List<Hj212Result> rs = decode(frame(UPLOAD, "") + GOOD);
        assertThat(rs).hasSize(2).allMatch(Hj212Result::ok);
        assertThat(((Hj212Packet) rs.get(0)).hasWarning(Hj212Warning.Code.TAIL_MISSING)).isTrue();
    }

    @Test
    void frameWithoutTailIsDeliveredAtOnceWhileStreaming() {
        List<Hj212Result> out = new ArrayList<>();
        Hj212Decoder d = new Hj212Decoder(out::add);
        byte[] f = bytes(frame(UPLOAD, ""));
        d.feed(f, 0, f.length);
        assertThat(out).hasSize(1); // no waiting for a tail that a no-tail device never sends
        assertThat(((Hj212Packet) out.get(0)).tail()).isEqualTo(Hj212Packet.Tail.UNSEEN);
        byte[] tail = bytes("\r\n");
        d.feed(tail, 0, 2); // a late tail is not garbage
        d.finish();
        assertThat(out).hasSize(1);
    }

    @Test
    void lowerCaseCrc() {
        String f = frame(UPLOAD, "\r\n");
        String lower = f.substring(0, f.length() - 6) + f.substring(f.length() - 6, f.length() - 2).toLowerCase() + "\r\n";
        assertThat(only(decode(lower)).crc()).isEqualTo(Hj212Crc.compute(UPLOAD));
    }

    @Test
    void wrongCrcIsRejectedAndTheNextFrameStillDecodes() {
        String bad = GOOD.replace("4653.8", "4653.9"); // same length, CRC now wrong
        List<Hj212Result> rs = decode("xx" + bad + GOOD);
        assertThat(rs).hasSize(3);
        rejection(rs.get(0), Hj212Error.BAD_HEADER);
        Hj212Rejection r = rejection(rs.get(1), Hj212Error.BAD_CRC);
        assertThat(r.crcExpected()).isEqualTo(Hj212Crc.compute(UPLOAD.replace("4653.8", "4653.9")));
        assertThat(r.unverified().mn()).isEqualTo("000101");
        assertThat(r.length()).isEqualTo(bad.length());
        assertThat(rs.get(2).ok()).isTrue();
        assertThat(rs.get(2).offset()).isEqualTo(2 + bad.length());
    }

    @Test
    void modbusLowByteFirstRejectedByDefaultAcceptedPerDevice() {
        byte[] seg = bytes(UPLOAD);
        String f = String.format("##%04d%s%04X\r\n", seg.length, UPLOAD, Hj212Crc.modbusLowByteFirst(seg, 0, seg.length));
        Hj212Rejection r = rejection(decode(f).get(0), Hj212Error.BAD_CRC);
        assertThat(r.detail()).contains("MODBUS");

        Hj212Decoder.Config otherDevice = Hj212Decoder.Config.defaults().withLenientCrc("999"::equals);
        rejection(decode(f, otherDevice).get(0), Hj212Error.BAD_CRC);

        List<Hj212Result> out = new ArrayList<>();
        Hj212Decoder d = new Hj212Decoder(Hj212Decoder.Config.defaults().withLenientCrc("000101"::equals), out::add);
        byte[] b = bytes(f + f);
        d.feedLast(b, 0, b.length);
        assertThat(out).hasSize(2).allMatch(Hj212Result::ok);
        Hj212Packet p = (Hj212Packet) out.get(0);
        assertThat(p.crcKind()).isEqualTo(Hj212Packet.CrcKind.MODBUS_LOW_FIRST);
        assertThat(p.hasWarning(Hj212Warning.Code.CRC_MODBUS)).isTrue();
        assertThat(d.modbusCrcAccepted()).isEqualTo(2);
    }

    @Test
    void declaredLengthLongerThanActual() {
        String f = GOOD.replaceFirst("##\\d{4}", String.format("##%04d", UPLOAD.length() + 5));
        for (List<Hj212Result> rs : List.of(decode(f + GOOD), TestFrames.decodeBytewise(bytes(f + GOOD), Hj212Decoder.Config.defaults()))) {
            assertThat(rs).hasSize(2);
            Hj212Rejection r = rejection(rs.get(0), Hj212Error.BAD_LENGTH);
            assertThat(r.detail()).contains("appears to be " + UPLOAD.length() + " bytes");
            assertThat(rs.get(1).ok()).isTrue();
            assertThat(rs.get(1).offset()).isEqualTo(f.length());
        }
    }

    @Test
    void declaredLengthLongerIsDetectedWithoutWaitingForTheWholeLength() {
        // Declared 999, real 100-odd: the decoder must not sit on the frame until 999 bytes have arrived.
        String f = GOOD.replaceFirst("##\\d{4}", "##0999");
        List<Hj212Result> out = new ArrayList<>();
        Hj212Decoder d = new Hj212Decoder(out::add);
        byte[] b = bytes(f + GOOD);
        d.feed(b, 0, b.length);
        assertThat(out).hasSize(2);
        rejection(out.get(0), Hj212Error.BAD_LENGTH);
        assertThat(out.get(1).ok()).isTrue();
    }

    @Test
    void declaredLengthShorterThanActual() {
        String f = GOOD.replaceFirst("##\\d{4}", String.format("##%04d", UPLOAD.length() - 2));
        List<Hj212Result> rs = decode(f + GOOD);
        assertThat(rs).hasSize(2);
        assertThat(rejection(rs.get(0), Hj212Error.BAD_LENGTH).detail()).contains("appears to be " + UPLOAD.length());
        assertThat(rs.get(1).ok()).isTrue();
    }

    @Test
    void lengthFieldNotDigits() {
        List<Hj212Result> rs = decode("##01a0QN=1;CN=2011&&0000\r\n" + GOOD);
        assertThat(rs).hasSize(2);
        rejection(rs.get(0), Hj212Error.BAD_LENGTH);
        assertThat(rs.get(1).ok()).isTrue();
    }

    @Test
    void oversizeSegmentsAcceptedWithWarning() {
        StringBuilder cp = new StringBuilder("DataTime=20240123123200");
        while (cp.length() < 1500) {
            cp.append(";a").append(cp.length()).append("-Rtd=1.0");
        }
        String seg = "QN=20240123123205877;ST=31;CN=2011;PW=123456;MN=X;Flag=4;CP=&&" + cp + "&&";
        Hj212Packet p = only(decode(frame(seg, "\r\n")));
        assertThat(p.segmentLength()).isGreaterThan(1024);
        assertThat(p.hasWarning(Hj212Warning.Code.OVERSIZE)).isTrue();
        // With a hard maximum below it, it is TOO_LONG.
        List<Hj212Result> rs = decode(frame(seg, "\r\n") + GOOD, Hj212Decoder.Config.defaults().withHardMaxLength(1024));
        assertThat(rs).hasSize(2);
        rejection(rs.get(0), Hj212Error.TOO_LONG);
        assertThat(rs.get(0).length()).isEqualTo(frame(seg, "\r\n").length());
        assertThat(rs.get(1).ok()).isTrue();
    }

    @Test
    void tooLongIsNeverBuffered() {
        List<Hj212Result> out = new ArrayList<>();
        Hj212Decoder d = new Hj212Decoder(Hj212Decoder.Config.defaults().withHardMaxLength(1024), out::add);
        byte[] head = bytes("##9999");
        d.feed(head, 0, head.length);
        assertThat(out).isEmpty(); // the rejection is reported when the next frame (or the end) is found
        byte[] body = new byte[4096];
        java.util.Arrays.fill(body, (byte) 'x');
        for (int i = 0; i < 1000; i++) {
            d.feed(body, 0, body.length);
            assertThat(d.buffered()).isLessThanOrEqualTo(1);
        }
        byte[] g = bytes(GOOD);
        d.feed(g, 0, g.length);
        assertThat(out).hasSize(2);
        Hj212Rejection r = rejection(out.get(0), Hj212Error.TOO_LONG);
        assertThat(r.length()).isEqualTo(6 + 1000L * 4096);
        assertThat(r.sample()).hasSizeLessThanOrEqualTo(256);
        assertThat(out.get(1).ok()).isTrue();
    }

    @Test
    void flag7WithoutPnum() {
        Hj212Packet p = only(decode(frame(UPLOAD.replace("Flag=5", "Flag=7"), "\r\n")));
        assertThat(p.splitFlag()).isTrue();
        assertThat(p.pnum()).isEqualTo(-1);
        assertThat(p.hasWarning(Hj212Warning.Code.SPLIT_WITHOUT_PNUM)).isTrue();
    }

    @Test
    void pnoBeforePnumAndPaddedNumbers() {
        Hj212Packet p = only(decode(frame(UPLOAD.replace("Flag=5;", "Flag=7;PNO=0002;PNUM=0003;"), "\r\n")));
        assertThat(p.pnum()).isEqualTo(3);
        assertThat(p.pno()).isEqualTo(2);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void pnoAbovePnumIsIgnoredWithWarning() {
        Hj212Packet p = only(decode(frame(UPLOAD.replace("Flag=5;", "Flag=7;PNUM=2;PNO=3;"), "\r\n")));
        assertThat(p.pnum()).isEqualTo(-1);
        assertThat(p.hasWarning(Hj212Warning.Code.PNUM_FORMAT)).isTrue();
    }

    @Test
    void duplicateKeysSpacesTrailingSemicolonEmptyItems() {
        Hj212Packet p = only(decode(frame(UPLOAD.replace("w01018-Rtd=4653.8,w01018-Flag=N",
            " w01018-Rtd = 1.5 ,w01018-Rtd=2.5,,noequals;w01018-Flag=N;"), "\r\n")));
        Cp cp = p.cp();
        assertThat(cp.getDouble("w01018-Rtd")).isEqualTo(1.5);
        assertThat(cp.getAll("w01018-Rtd")).containsExactly("1.5", "2.5");
        assertThat(cp.factor("w01018").flag()).contains("N");
        // one factor however its items are spread over the groups; the first of a repeated field wins
        Factor cod = cp.factor("w01018");
        assertThat(cp.factors()).extracting(Factor::code).containsOnlyOnce("w01018");
        assertThat(cod.rtd()).hasValue(1.5);
        assertThat(cod.get("Rtd")).isEqualTo("1.5");
        assertThat(cod.has(FactorField.MIN)).isFalse();
        assertThat(cod.values()).containsExactly(java.util.Map.entry("Rtd", "1.5"), java.util.Map.entry("Flag", "N"));
        assertThat(cod.items()).extracting(CpItem::value).containsExactly("1.5", "2.5", "N");
        assertThat(p.warnings()).extracting(Hj212Warning::code).contains(Hj212Warning.Code.CP_SPACES,
            Hj212Warning.Code.CP_DUPLICATE_KEY, Hj212Warning.Code.CP_EMPTY_ITEM, Hj212Warning.Code.CP_ITEM_WITHOUT_EQUALS);
        assertThat(cp.groups()).hasSize(3);
    }

    @Test
    void threeDigitStAnd24CharPwAndOddMn() {
        Hj212Packet p = only(decode(frame(UPLOAD.replace("ST=32", "ST=101").replace("PW=123456", "PW=O447JGPYQ75V3C58D138L2WX")
            .replace("MN=000101", "MN=NM100000_0005q"), "\r\n")));
        assertThat(p.st()).isEqualTo("101");
        assertThat(p.pw()).isEqualTo("O447JGPYQ75V3C58D138L2WX");
        assertThat(p.mn()).isEqualTo("NM100000_0005q");
        assertThat(p.mnEquals("NM100000_0005q")).isTrue();
        assertThat(p.warnings()).extracting(Hj212Warning::code).containsExactly(Hj212Warning.Code.ST_FORMAT);
    }

    @Test
    void unknownCn9021IsAcceptedButNotAcked() {
        Hj212Packet p = only(decode(frame("QN=20230723080035006;ST=91;CN=9021;PW=123456;MN=000201;Flag=5;CP=&&&&", "")));
        assertThat(p.cn()).isEqualTo(9021);
        assertThat(p.hasWarning(Hj212Warning.Code.CN_UNKNOWN)).isTrue();
        assertThat(Hj212Replies.needsDataAck(p)).isFalse();
    }

    @Test
    void badFieldWhenCrcIsRightButNoCpOrCn() {
        List<Hj212Result> rs = decode(frame("QN=1;ST=32;CN=2011;PW=1;MN=2;Flag=4", "\r\n")
            + frame("QN=1;ST=32;PW=1;MN=2;Flag=4;CP=&&&&", "\r\n")
            + frame("QN=1;ST=32;CN=20x1;CP=&&&&", "\r\n") + GOOD);
        assertThat(rs).hasSize(4);
        assertThat(rejection(rs.get(0), Hj212Error.BAD_FIELD).detail()).contains("CP");
        assertThat(rejection(rs.get(1), Hj212Error.BAD_FIELD).detail()).contains("CN");
        rejection(rs.get(2), Hj212Error.BAD_FIELD);
        assertThat(rs.get(3).ok()).isTrue();
    }

    @Test
    void truncatedAtEndOfInput() {
        String f = GOOD.substring(0, 50);
        rejection(decode(f).get(0), Hj212Error.TRUNCATED);
        rejection(decode("##01").get(0), Hj212Error.TRUNCATED);
    }

    @Test
    void garbageBetweenFramesIsOneBadHeaderChunk() {
        List<Hj212Result> rs = decode(GOOD + "#garbage# #\u0000\u00ff" + GOOD);
        assertThat(rs).hasSize(3);
        Hj212Rejection r = rejection(rs.get(1), Hj212Error.BAD_HEADER);
        assertThat(r.offset()).isEqualTo(GOOD.length());
        assertThat(r.length()).isEqualTo(bytes("#garbage# #\u0000\u00ff").length);
    }

    @Test
    void extraHashBeforeHeaderResyncsOnTheRealOne() {
        List<Hj212Result> rs = decode("#" + GOOD);
        assertThat(rs).hasSize(2);
        rejection(rs.get(0), Hj212Error.BAD_LENGTH); // "###0…" reads as a header with length "#0…"
        assertThat(rs.get(0).length()).isEqualTo(1);
        assertThat(rs.get(1).ok()).isTrue();
    }

    @Test
    void singleFrameApiThrowsOnlyItsDeclaredException() {
        assertThatThrownBy(() -> Hj212Packet.decodeFrame(bytes(GOOD.replace("4653.8", "4653.9"))))
            .isInstanceOf(Hj212DecodeException.class)
            .satisfies(e -> assertThat(((Hj212DecodeException) e).error()).isEqualTo(Hj212Error.BAD_CRC));
        assertThatThrownBy(() -> Hj212Packet.decodeFrame(bytes(GOOD + GOOD)))
            .isInstanceOf(Hj212DecodeException.class);
        assertThat(Hj212Packet.decodeFrame(bytes(GOOD)).cn()).isEqualTo(2011);
    }

    @Test
    void standardTyposAreFramedAndParsed() {
        // C.43: a 9011 answer whose QN does not echo the request: nothing to reject, the gateway matches by MN/CN.
        Hj212Packet p = only(decode(frame("QN=20101110010101001;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&", "\r\n")));
        assertThat(p.cp().getDouble("QnRtn")).isEqualTo(1.0);
    }
}
