package org.gongzhi.hj212;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers to build frames in tests (independent of the encoder where that matters). */
final class TestFrames {

    private TestFrames() {
    }

    /** ##dddd + segment + CRC (computed with the bitwise reference) + tail. */
    static String frame(String segment, String tail) {
        byte[] b = segment.getBytes(StandardCharsets.UTF_8);
        return String.format("##%04d%s%04X%s", b.length, segment, Hj212CrcTest.annexABitwise(b), tail);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Hj212Result> decode(String stream) {
        return Hj212Decoder.decodeAll(bytes(stream));
    }

    static List<Hj212Result> decode(String stream, Hj212Decoder.Config cfg) {
        byte[] b = bytes(stream);
        return Hj212Decoder.decodeAll(b, 0, b.length, cfg);
    }

    /** Feeds one byte at a time (the worst TCP segmentation). */
    static List<Hj212Result> decodeBytewise(byte[] b, Hj212Decoder.Config cfg) {
        List<Hj212Result> out = new ArrayList<>();
        Hj212Decoder d = new Hj212Decoder(cfg, out::add);
        for (int i = 0; i < b.length; i++) {
            d.feed(b, i, 1);
        }
        d.finish();
        return out;
    }

    static final String UPLOAD = "QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;Flag=5;"
        + "CP=&&DataTime=20240123123200;w01018-Rtd=4653.8,w01018-Flag=N&&";
}
