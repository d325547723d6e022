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

    /** The complete frame for a message. */
    public static byte[] encode(Hj212Message m) {
        return frame(segment(m));
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
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' || c == ',' || c == '=' || c == '&' || c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                throw new IllegalArgumentException(name + " must not contain '" + c + "': " + value);
            }
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty (use null to omit it)");
        }
        sb.append(name).append('=').append(value).append(';');
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
