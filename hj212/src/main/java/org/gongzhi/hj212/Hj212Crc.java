package org.gongzhi.hj212;

/**
 * The HJ 212 check sum: "CRC16" of Annex A of HJ 212-2017 (unchanged since HJ/T 212-2005 and, as far as we know,
 * in HJ 212-2025), computed over the data segment only. See docs/hj212.md and shared/domain/hj212.md §2.
 *
 * <p>It is <b>not</b> CRC-16/MODBUS: Annex A feeds each byte as {@code reg = (reg >> 8) ^ b} (the standard says
 * "XOR the byte with the high byte of the register") where MODBUS does {@code reg ^= b}. Because of the shift the
 * register holds at most 8 bits before the eight polynomial steps, so one step is a single lookup in a 256-entry
 * table indexed by {@code (reg >> 8) ^ b}. A side effect worth knowing when debugging: the check is effectively
 * 8 bits strong (the low byte of the result is always one of 00 01 40 41 80 81 C0 C1).
 *
 * <p>{@link #modbusLowByteFirst} exists only for the per-device lenient mode: three live stations were captured
 * sending a plain CRC-16/MODBUS written low byte first (hj212.md §2).
 */
public final class Hj212Crc {

    /** Polynomial 0x8005 bit-reflected, as Annex A states. */
    private static final int POLY = 0xA001;

    /** HJ212_TABLE[x] = eight right-shift/XOR steps applied to the 8-bit register value x. */
    private static final char[] HJ212_TABLE = new char[256];
    /** Classic reflected CRC-16 table for MODBUS (the same eight steps, used as reg = (reg >>> 8) ^ T[(reg ^ b) & 0xFF]). */
    private static final char[] MODBUS_TABLE = new char[256];

    /**
     * Slicing tables over the high byte h of the register. One Annex A step is h' = H(h ^ b) with
     * H(x) = TABLE[x] >>> 8, and H is linear over GF(2) (the eight shift/XOR steps are), so
     * H(h ^ b) = H(h) ^ H(b) and eight steps unroll to
     * h8 = H^8(h ^ b1) ^ H^7(b2) ^ … ^ H^1(b8): one dependent lookup per 8 bytes instead of per byte.
     * SLICE[k][x] = H^(k+1)(x). Measured in bench/Hj212DecodeBenchmark.crcOnly; checked against the bitwise
     * algorithm of Annex A by Hj212CrcTest.
     */
    private static final int[][] SLICE = new int[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            int reg = i;
            for (int k = 0; k < 8; k++) {
                reg = (reg & 1) != 0 ? (reg >>> 1) ^ POLY : reg >>> 1;
            }
            HJ212_TABLE[i] = (char) reg;
            MODBUS_TABLE[i] = (char) reg;
        }
        for (int x = 0; x < 256; x++) {
            int h = x;
            for (int k = 0; k < 8; k++) {
                h = HJ212_TABLE[h] >>> 8;
                SLICE[k][x] = h;
            }
        }
    }

    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Hj212Crc() {
    }

    /** CRC per HJ 212 Annex A of {@code data[off, off+len)}; 0..0xFFFF. */
    public static int compute(byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        if (len == 0) {
            return 0xFFFF;
        }
        // h = high byte of the register; Annex A: reg = TABLE[(reg >> 8) ^ b] for each byte, so only h carries over.
        int h = 0xFF;
        int i = off;
        final int last = off + len - 1; // the last byte goes through the full 16-bit table below
        final int[] s1 = SLICE[0], s2 = SLICE[1], s3 = SLICE[2], s4 = SLICE[3];
        final int[] s5 = SLICE[4], s6 = SLICE[5], s7 = SLICE[6], s8 = SLICE[7];
        for (; i + 8 <= last; i += 8) {
            h = s8[(h ^ data[i]) & 0xFF] ^ s7[data[i + 1] & 0xFF] ^ s6[data[i + 2] & 0xFF] ^ s5[data[i + 3] & 0xFF]
                ^ s4[data[i + 4] & 0xFF] ^ s3[data[i + 5] & 0xFF] ^ s2[data[i + 6] & 0xFF] ^ s1[data[i + 7] & 0xFF];
        }
        for (; i < last; i++) {
            h = s1[(h ^ data[i]) & 0xFF];
        }
        return HJ212_TABLE[(h ^ data[last]) & 0xFF];
    }

    /** The plain one-lookup-per-byte form of Annex A (reference for tests). */
    static int computeSimple(byte[] data, int off, int len) {
        int reg = 0xFFFF;
        final char[] t = HJ212_TABLE;
        for (int i = off, end = off + len; i < end; i++) {
            // reg = (reg >> 8) ^ b, then 8 shift/XOR steps == one lookup (Annex A)
            reg = t[((reg >>> 8) ^ data[i]) & 0xFF];
        }
        return reg;
    }

    /** CRC per HJ 212 Annex A of the whole array. */
    public static int compute(byte[] data) {
        return compute(data, 0, data.length);
    }

    /** CRC per HJ 212 Annex A of the UTF-8 bytes of {@code segment} (HJ 212 counts and checks bytes, §1). */
    public static int compute(String segment) {
        return compute(segment.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Plain CRC-16/MODBUS (init 0xFFFF, reflected 0x8005, no final XOR). Not HJ 212; for the lenient mode only. */
    public static int modbus(byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        int reg = 0xFFFF;
        final char[] t = MODBUS_TABLE;
        for (int i = off, end = off + len; i < end; i++) {
            reg = (reg >>> 8) ^ t[(reg ^ data[i]) & 0xFF];
        }
        return reg;
    }

    /**
     * The 16-bit value a device that sends CRC-16/MODBUS low byte first writes in the 4 hex digits,
     * read back as HJ 212 reads them (high byte first).
     */
    public static int modbusLowByteFirst(byte[] data, int off, int len) {
        int m = modbus(data, off, len);
        return ((m & 0xFF) << 8) | (m >>> 8);
    }

    /** 4 upper-case hex digits, high byte first, as written on the wire. */
    public static String toHex(int crc) {
        byte[] out = new byte[4];
        writeHex(crc, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes 4 upper-case hex digits of {@code crc} into {@code out[off, off+4)}. */
    static void writeHex(int crc, byte[] out, int off) {
        out[off] = HEX_UPPER[(crc >>> 12) & 0xF];
        out[off + 1] = HEX_UPPER[(crc >>> 8) & 0xF];
        out[off + 2] = HEX_UPPER[(crc >>> 4) & 0xF];
        out[off + 3] = HEX_UPPER[crc & 0xF];
    }

    /**
     * Parses 4 hex digits (upper or lower case: real devices send both, hj212.md §1) at {@code b[off]};
     * -1 if any of them is not a hex digit.
     */
    static int parseHex4(byte[] b, int off) {
        int v = 0;
        for (int i = off; i < off + 4; i++) {
            int d = hexDigit(b[i]);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
