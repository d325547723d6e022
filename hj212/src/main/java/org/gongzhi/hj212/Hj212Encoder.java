package org.gongzhi.hj212;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds frames: {@code ##} + 4-digit byte length + data segment + Annex A CRC (upper-case hex) + CR LF.
 * Rejects (IllegalArgumentException) content that a receiver could not read back unchanged: separators inside
 * values, leading/trailing spaces (receivers trim them), a segment over 9999 bytes.
 */
public final class Hj212Encoder {

    private Hj212Encoder() {
    }

    /** The data segment text in the standard's field order: QN ST CN PW MN Flag PNUM PNO CP. */
    public static String segment(Hj212Message m) {
        StringBuilder sb = new StringBuilder(128);
        header(sb, "QN", m.qn());
        header(sb, "ST", m.st());
        sb.append("CN=");
        int cn = m.cn();
        sb.append((char) ('0' + cn / 1000)).append((char) ('0' + cn / 100 % 10))
            .append((char) ('0' + cn / 10 % 10)).append((char) ('0' + cn % 10)).append(';');
        header(sb, "PW", m.pw());
        header(sb, "MN", m.mn());
        if (m.flag() >= 0) {
            sb.append("Flag=").append(m.flag()).append(';');
        }
        if (m.pnum() > 0) {
            sb.append("PNUM=").append(m.pnum()).append(";PNO=").append(m.pno()).append(';');
        }
        sb.append("CP=&&");
        List<List<CpItem>> groups = m.cp();
        for (int g = 0; g < groups.size(); g++) {
            if (g > 0) {
                sb.append(';');
            }
            List<CpItem> items = groups.get(g);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                CpItem it = items.get(i);
                checkKey(it.key());
                checkValue(it.key(), it.value());
                sb.append(it.key()).append('=').append(it.value());
            }
        }
        sb.append("&&");
        return sb.toString();
    }

    /**
     * The complete frame for a message. Written straight into the frame's bytes when the message is ASCII (nearly
     * always: the gateway's 9014s, the simulator's uploads): no StringBuilder, String or UTF-8 pass per frame.
     * Same checks and the same bytes as {@code frame(segment(m))}, which handles the rest.
     */
    public static byte[] encode(Hj212Message m) {
        Ascii a = new Ascii();
        if (!a.header("QN", m.qn()) || !a.header("ST", m.st())) {
            return frame(segment(m));
        }
        a.ascii("CN=");
        int cn = m.cn();
        a.digit(cn / 1000).digit(cn / 100 % 10).digit(cn / 10 % 10).digit(cn % 10).put(';');
        if (!a.header("PW", m.pw()) || !a.header("MN", m.mn())) {
            return frame(segment(m));
        }
        if (m.flag() >= 0) {
            a.ascii("Flag=").number(m.flag()).put(';');
        }
        if (m.pnum() > 0) {
            a.ascii("PNUM=").number(m.pnum()).ascii(";PNO=").number(m.pno()).put(';');
        }
        a.ascii("CP=&&");
        List<List<CpItem>> groups = m.cp();
        for (int g = 0; g < groups.size(); g++) {
            if (g > 0) {
                a.put(';');
            }
            List<CpItem> items = groups.get(g);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    a.put(',');
                }
                CpItem it = items.get(i);
                checkKey(it.key());
                checkValue(it.key(), it.value());
                if (!a.text(it.key()) || !a.put('=').text(it.value())) {
                    return frame(segment(m));
                }
            }
        }
        a.ascii("&&");
        return a.frame();
    }

    /** A frame being written: 6 bytes kept for {@code ##dddd}, then the segment; false from text() on non-ASCII. */
    private static final class Ascii {
        private byte[] b = new byte[256];
        private int n = 6;

        private void ensure(int more) {
            if (n + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(2 * b.length, n + more));
            }
        }

        Ascii put(char c) {
            ensure(1);
            b[n++] = (byte) c;
            return this;
        }

        Ascii digit(int d) {
            return put((char) ('0' + d));
        }

        Ascii ascii(String s) {
            text(s);
            return this;
        }

        Ascii number(int v) {
            return ascii(Integer.toString(v));
        }

        boolean text(String s) {
            int len = s.length();
            ensure(len);
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return false;
                }
                b[n++] = (byte) c;
            }
            return true;
        }

        /** Like {@link Hj212Encoder#header}: checks the value, then writes {@code name=value;}. */
        boolean header(String name, String value) {
            if (value == null) {
                return true;
            }
            checkHeader(name, value);
            return text(name) && put('=').text(value) && put(';') != null;
        }

        byte[] frame() {
            int len = n - 6;
            if (len > Hj212Decoder.Config.MAX_LENGTH_FIELD) {
                throw new IllegalArgumentException("data segment of " + len + " bytes does not fit the 4-digit length; split it");
            }
            byte[] out = java.util.Arrays.copyOf(b, n + 6);
            out[0] = '#';
            out[1] = '#';
            out[2] = (byte) ('0' + len / 1000);
            out[3] = (byte) ('0' + len / 100 % 10);
            out[4] = (byte) ('0' + len / 10 % 10);
            out[5] = (byte) ('0' + len % 10);
            Hj212Crc.writeHex(Hj212Crc.compute(out, 6, len), out, n);
            out[n + 4] = '\r';
            out[n + 5] = '\n';
            return out;
        }
    }

    /** Frames a data segment given as text (encoded as UTF-8; the length counts bytes, hj212.md §1). */
    public static byte[] frame(String segment) {
        return frame(segment.getBytes(StandardCharsets.UTF_8));
    }

    /** Frames a data segment: {@code ##dddd<segment>XXXX\r\n}. */
    public static byte[] frame(byte[] segment) {
        int n = segment.length;
        if (n > Hj212Decoder.Config.MAX_LENGTH_FIELD) {
            throw new IllegalArgumentException("data segment of " + n + " bytes does not fit the 4-digit length; split it");
        }
        byte[] out = new byte[n + 12];
        out[0] = '#';
        out[1] = '#';
        out[2] = (byte) ('0' + n / 1000);
        out[3] = (byte) ('0' + n / 100 % 10);
        out[4] = (byte) ('0' + n / 10 % 10);
        out[5] = (byte) ('0' + n % 10);
        System.arraycopy(segment, 0, out, 6, n);
        Hj212Crc.writeHex(Hj212Crc.compute(segment, 0, n), out, 6 + n);
        out[n + 10] = '\r';
        out[n + 11] = '\n';
        return out;
    }

    private static void header(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        checkHeader(name, value);
        sb.append(name).append('=').append(value).append(';');
    }

    private static void checkHeader(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' || c == ',' || c == '=' || c == '&' || c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                throw new IllegalArgumentException(name + " must not contain '" + c + "': " + value);
            }
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty (use null to omit it)");
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty CP key");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ';' || c == ',' || c == '=' || c == '&' || c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                throw new IllegalArgumentException("CP key must not contain '" + c + "': " + key);
            }
        }
    }

    private static void checkValue(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' || c == ',' || c == '\r' || c == '\n') {
                throw new IllegalArgumentException("value of " + key + " must not contain a separator: " + value);
            }
        }
        if (value.contains("&&")) {
            throw new IllegalArgumentException("value of " + key + " must not contain &&");
        }
        if (!value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)))) {
            throw new IllegalArgumentException("value of " + key + " has leading/trailing spaces, which receivers trim");
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
