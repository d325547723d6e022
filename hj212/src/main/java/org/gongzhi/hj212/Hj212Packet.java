package org.gongzhi.hj212;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An accepted HJ 212 frame: the data segment's bytes plus offsets of its header fields. Immutable and thread-safe.
 *
 * <p>Why a view and not a bean: the gateway decodes every packet but reads only a few fields of most of them, so
 * the header is located once (offsets into one byte array), strings are made on first access, and CP is parsed
 * on first call to {@link #cp()} (docs/hj212.md "Design"). The raw segment is always kept (hj212.md §10
 * recommends keeping the raw packet).
 *
 * <p>Header parsing is lenient in the ways real packets need (hj212.md §10) and records a {@link Hj212Warning}
 * for each oddity: fields separated by ',' (App. C.22), no ';' before CP (C.19), missing QN/Flag (2005 style),
 * Flag with D=1 but no PNUM/PNO, PNO before PNUM, 3-digit ST, unknown CN.
 */
public final class Hj212Packet implements Hj212Result {

    /** How the CRC was verified. */
    public enum CrcKind {
        /** Annex A CRC matched. */
        HJ212,
        /** Accepted in lenient mode: CRC-16/MODBUS written low byte first (see {@link Hj212Warning.Code#CRC_MODBUS}). */
        MODBUS_LOW_FIRST,
        /** Not checked: the packet was built from a bare data segment ({@link #parseSegment}) or reassembled. */
        NONE
    }

    /** What followed the CRC. */
    public enum Tail {
        CRLF, LF, CR,
        /** Something else followed, or the input ended: no tail. */
        NONE,
        /**
         * The frame was complete at the end of the bytes fed so far, so it was delivered at once (a device that
         * sends no tail waits for its ack); a tail arriving next is swallowed silently.
         */
        UNSEEN
    }

    /** Largest segment {@link #parseSegment} takes (offsets are kept in 14 bits; frames are at most 9999). */
    public static final int MAX_PARSE_LENGTH = 16_383;

    // Indices into hdr: two shorts (start, end) per header field.
    static final int QN = 0, ST = 1, CN = 2, PW = 3, MN = 4, FLAG = 5, PNUM = 6, PNO = 7;
    private static final String[] HEADER_NAMES = {"QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"};

    private final byte[] seg;
    private final long offset;
    private final long length;
    private final int declaredLength;
    private final int crcGiven;
    private final int crcExpected;
    private final CrcKind crcKind;
    private final Tail tail;
    /** start/end offsets in seg of each header value; start -1 when absent. */
    private final short[] hdr = new short[16];
    private final int cn;
    private final int flag;
    private final int pnum;
    private final int pno;
    private final int cpStart;
    private final int cpEnd;
    private final String fatal;
    private final List<Hj212Warning> headerWarnings;

    // Lazily computed; racy single-check is fine: all are immutable with final fields (String, Cp).
    private String qnText, stText, pwText, mnText;
    private Cp cp;

    Hj212Packet(byte[] seg, long offset, long length, int declaredLength, int crcGiven, int crcExpected,
                CrcKind crcKind, Tail tail, List<Hj212Warning> frameWarnings) {
        this.seg = seg;
        this.offset = offset;
        this.length = length;
        this.declaredLength = declaredLength;
        this.crcGiven = crcGiven;
        this.crcExpected = crcExpected;
        this.crcKind = crcKind;
        this.tail = tail;
        java.util.Arrays.fill(hdr, (short) -1);
        List<Hj212Warning> w = frameWarnings;

        // Locate CP first: searching for "CP=&&" rather than splitting on ';' is what lets "Flag=5CP=&&" (C.19) work.
        int n = seg.length;
        int cpPos = indexOf(seg, 0, n, CP_OPEN);
        String fatalReason = null;
        int cs = -1, ce = -1;
        if (cpPos < 0) {
            fatalReason = "no CP=&& in the data segment";
        } else {
            cs = cpPos + CP_OPEN.length;
            ce = lastIndexOfAmpAmp(seg, cs, n);
            if (ce < 0) {
                fatalReason = "CP=&& is not closed by &&";
                ce = n;
            } else if (ce + 2 < n) {
                w = add(w, Hj212Warning.Code.TRAILING_DATA, (n - ce - 2) + " bytes after the closing && of CP");
            }
            if (cpPos > 0 && seg[cpPos - 1] != ';') {
                w = add(w, Hj212Warning.Code.HEADER_NO_SEPARATOR_BEFORE_CP, "no ';' before CP=");
            }
        }
        this.cpStart = cs;
        this.cpEnd = ce;

        // Header fields: Name=value separated by ';' (or ',' by mistake), up to "CP=".
        int headerEnd = cpPos < 0 ? n : cpPos;
        int i = 0;
        boolean commaWarned = false;
        while (i < headerEnd) {
            int j = i;
            while (j < headerEnd && seg[j] != ';' && seg[j] != ',') {
                j++;
            }
            if (j < headerEnd && seg[j] == ',' && !commaWarned) {
                w = add(w, Hj212Warning.Code.HEADER_COMMA, "',' used as a field separator after "
                    + text(seg, i, j));
                commaWarned = true;
            }
            int a = skipSpaces(seg, i, j);
            int b = trimSpaces(seg, a, j);
            if (a < b) {
                int eq = indexOf(seg, a, b, (byte) '=');
                int field = eq < 0 ? -1 : fieldIndex(seg, a, trimSpaces(seg, a, eq));
                if (field < 0) {
                    w = add(w, Hj212Warning.Code.HEADER_BAD_ITEM, text(seg, a, b));
                } else if (hdr[2 * field] >= 0) {
                    w = add(w, Hj212Warning.Code.HEADER_DUPLICATE, text(seg, a, b));
                } else {
                    hdr[2 * field] = (short) skipSpaces(seg, eq + 1, b);
                    hdr[2 * field + 1] = (short) b;
                }
            }
            i = j + 1;
        }

        // CN: the one header field we cannot do without (it says what the packet is).
        int cnValue = -1;
        if (hdr[2 * CN] < 0) {
            fatalReason = fatalReason == null ? "no CN" : fatalReason;
        } else {
            cnValue = parseUint(seg, hdr[2 * CN], hdr[2 * CN + 1], 4);
            if (cnValue < 0 || hdr[2 * CN + 1] - hdr[2 * CN] != 4) {
                fatalReason = fatalReason == null ? "CN is not 4 digits: " + range(CN) : fatalReason;
                cnValue = -1;
            } else if (!Hj212Codes.isKnownCn(cnValue)) {
                w = add(w, Hj212Warning.Code.CN_UNKNOWN, "CN=" + cnValue);
            }
        }
        this.cn = cnValue;

        int flagValue = -1;
        if (hdr[2 * FLAG] >= 0) {
            flagValue = parseUint(seg, hdr[2 * FLAG], hdr[2 * FLAG + 1], 3);
            if (flagValue < 0 || flagValue > 255) {
                w = add(w, Hj212Warning.Code.FLAG_FORMAT, "Flag=" + range(FLAG));
                flagValue = -1;
            }
        }
        this.flag = flagValue;

        int pnumValue = hdr[2 * PNUM] < 0 ? -1 : parseUint(seg, hdr[2 * PNUM], hdr[2 * PNUM + 1], 4);
        int pnoValue = hdr[2 * PNO] < 0 ? -1 : parseUint(seg, hdr[2 * PNO], hdr[2 * PNO + 1], 4);
        if ((hdr[2 * PNUM] >= 0 && pnumValue <= 0) || (hdr[2 * PNO] >= 0 && pnoValue <= 0)
            || (pnumValue > 0 && pnoValue > pnumValue)) {
            w = add(w, Hj212Warning.Code.PNUM_FORMAT, "PNUM=" + range(PNUM) + " PNO=" + range(PNO));
            if (pnumValue <= 0 || pnoValue <= 0 || pnoValue > pnumValue) {
                pnumValue = -1;
                pnoValue = -1;
            }
        }
        if (pnumValue > 0 && pnoValue < 0 || pnoValue > 0 && pnumValue < 0) {
            w = add(w, Hj212Warning.Code.PNUM_FORMAT, "only one of PNUM/PNO present");
            pnumValue = -1;
            pnoValue = -1;
        }
        boolean dBit = flagValue >= 0 && (flagValue & 2) != 0;
        if (dBit && pnumValue < 0) {
            w = add(w, Hj212Warning.Code.SPLIT_WITHOUT_PNUM, "Flag=" + flagValue + " has D=1 but no PNUM/PNO");
        } else if (!dBit && pnumValue > 0) {
            w = add(w, Hj212Warning.Code.PNUM_WITHOUT_SPLIT_FLAG,
                flagValue < 0 ? "PNUM/PNO without Flag" : "PNUM/PNO with Flag=" + flagValue);
        }
        this.pnum = pnumValue;
        this.pno = pnoValue;

        if (hdr[2 * QN] >= 0) {
            int len = hdr[2 * QN + 1] - hdr[2 * QN];
            if (len != 17 || parseUint(seg, hdr[2 * QN], hdr[2 * QN] + 9, 9) < 0
                || parseUint(seg, hdr[2 * QN] + 9, hdr[2 * QN + 1], 9) < 0) {
                w = add(w, Hj212Warning.Code.QN_FORMAT, "QN=" + range(QN));
            }
        }
        if (hdr[2 * ST] >= 0 && hdr[2 * ST + 1] - hdr[2 * ST] != 2) {
            w = add(w, Hj212Warning.Code.ST_FORMAT, "ST=" + range(ST));
        }
        this.fatal = fatalReason;
        this.headerWarnings = w == null ? List.of() : Collections.unmodifiableList(w);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Decodes exactly one frame ({@code ##dddd…CRC} with an optional tail), strictly: CRC per Annex A, default
     * limits. For streams use {@link Hj212Decoder}.
     *
     * @throws Hj212DecodeException if the bytes are not exactly one acceptable frame
     */
    public static Hj212Packet decodeFrame(byte[] frame) {
        return decodeFrame(frame, Hj212Decoder.Config.defaults());
    }

    /** As {@link #decodeFrame(byte[])} with the given limits and CRC mode. */
    public static Hj212Packet decodeFrame(byte[] frame, Hj212Decoder.Config config) {
        List<Hj212Result> results = Hj212Decoder.decodeAll(frame, 0, frame.length, config);
        for (Hj212Result r : results) {
            if (r instanceof Hj212Rejection rej) {
                throw new Hj212DecodeException(rej);
            }
        }
        if (results.size() != 1) {
            throw new Hj212DecodeException(new Hj212Rejection(Hj212Error.BAD_HEADER, 0, frame.length,
                results.isEmpty() ? "no frame" : "more than one frame (" + results.size() + ")", null, -1, -1, null));
        }
        return (Hj212Packet) results.get(0);
    }

    /**
     * Parses a bare data segment (no {@code ##}, length, CRC or tail), e.g. one typed by hand or rebuilt by the
     * {@link Hj212Reassembler}. The result has {@link CrcKind#NONE}. It may have {@link #problem()} set.
     */
    public static Hj212Packet parseSegment(byte[] segment) {
        if (segment.length > MAX_PARSE_LENGTH) {
            throw new IllegalArgumentException("segment of " + segment.length + " bytes; at most " + MAX_PARSE_LENGTH);
        }
        byte[] copy = segment.clone();
        return new Hj212Packet(copy, 0, copy.length, copy.length, -1, -1, CrcKind.NONE, Tail.NONE, null);
    }

    /** As {@link #parseSegment(byte[])} for the UTF-8 bytes of {@code segment}. */
    public static Hj212Packet parseSegment(String segment) {
        return parseSegment(segment.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- frame facts

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean ok() {
        return true;
    }

    /** The 4-digit length field (equals {@link #segmentLength()} for decoded frames). */
    public int declaredLength() {
        return declaredLength;
    }

    /** Length of the data segment in bytes. */
    public int segmentLength() {
        return seg.length;
    }

    /** The CRC written in the frame, -1 for {@link CrcKind#NONE}. */
    public int crc() {
        return crcGiven;
    }

    /** The Annex A CRC of the data segment (computed for decoded frames; -1 for {@link CrcKind#NONE}). */
    public int crcExpected() {
        return crcExpected;
    }

    public CrcKind crcKind() {
        return crcKind;
    }

    public Tail tail() {
        return tail;
    }

    /** The data segment as text (UTF-8). */
    public String segment() {
        return new String(seg, StandardCharsets.UTF_8);
    }

    /** A copy of the data segment bytes. */
    public byte[] segmentBytes() {
        return seg.clone();
    }

    /** Appends the data segment's bytes to {@code out}, without the copy {@link #segmentBytes()} makes. */
    public void writeSegment(java.io.ByteArrayOutputStream out) {
        out.write(seg, 0, seg.length);
    }

    /**
     * Why this segment is unusable (no CN, no CP=&&…&&), or null. Decoded packets delivered by the decoder never
     * have a problem: the decoder turns it into a {@link Hj212Error#BAD_FIELD} rejection instead.
     */
    public String problem() {
        return fatal;
    }

    // ---------------------------------------------------------------- header

    /** QN (request id, 17 digits), or null when absent (2005-style uploads). */
    public String qn() {
        String s = qnText;
        if (s == null && hdr[2 * QN] >= 0) {
            qnText = s = range(QN);
        }
        return s;
    }

    /** ST (system code), or null. */
    public String st() {
        String s = stText;
        if (s == null && hdr[2 * ST] >= 0) {
            stText = s = range(ST);
        }
        return s;
    }

    /** CN as a number (0–9999); -1 only for packets with {@link #problem()}. */
    public int cn() {
        return cn;
    }

    /** PW (access password), or null. */
    public String pw() {
        String s = pwText;
        if (s == null && hdr[2 * PW] >= 0) {
            pwText = s = range(PW);
        }
        return s;
    }

    /** MN (device id; not validated: 6 to 24+ characters, any case, '_' in the field, hj212.md §3), or null. */
    public String mn() {
        String s = mnText;
        if (s == null && hdr[2 * MN] >= 0) {
            mnText = s = range(MN);
        }
        return s;
    }

    /** True if MN equals {@code other}, without allocating. */
    public boolean mnEquals(String other) {
        return other != null && hdr[2 * MN] >= 0 && regionEquals(seg, hdr[2 * MN], hdr[2 * MN + 1], other);
    }

    /** Flag (0–255) or -1 when absent or malformed. */
    public int flag() {
        return flag;
    }

    /** Flag bit A: the receiver must acknowledge (9014 for uploads, hj212.md §5). */
    public boolean ackRequested() {
        return flag >= 0 && (flag & 1) != 0;
    }

    /** Flag bit D: a part of a split packet (PNUM/PNO should be present). */
    public boolean splitFlag() {
        return flag >= 0 && (flag & 2) != 0;
    }

    /** True when PNUM/PNO are present and valid (whatever Flag says). */
    public boolean isPart() {
        return pnum > 0;
    }

    /** Protocol generation from the Flag version bits; 2005 when Flag is absent. */
    public ProtocolVersion version() {
        return ProtocolVersion.ofFlag(flag);
    }

    /** PNUM (number of parts) or -1. */
    public int pnum() {
        return pnum;
    }

    /** PNO (part number, from 1) or -1. */
    public int pno() {
        return pno;
    }

    /** True when header field {@code name} ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO") is present. */
    public boolean has(String name) {
        for (int f = 0; f < HEADER_NAMES.length; f++) {
            if (HEADER_NAMES[f].equals(name)) {
                return hdr[2 * f] >= 0;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- CP

    /** The CP data area, parsed on first call (lenient; oddities become warnings). Empty for packets with a problem. */
    public Cp cp() {
        Cp c = cp;
        if (c == null) {
            boolean map2005 = version() == ProtocolVersion.V2005 && Hj212Codes.isWaterSystem(st());
            c = cpStart < 0 ? new Cp(seg, 0, 0, false) : new Cp(seg, cpStart, cpEnd, map2005);
            cp = c;
        }
        return c;
    }

    /** All warnings: framing, header, then CP (this parses CP). Empty list when the packet is clean. */
    public List<Hj212Warning> warnings() {
        List<Hj212Warning> cpw = cp().warnings();
        if (cpw.isEmpty()) {
            return headerWarnings;
        }
        if (headerWarnings.isEmpty()) {
            return cpw;
        }
        List<Hj212Warning> all = new ArrayList<>(headerWarnings.size() + cpw.size());
        all.addAll(headerWarnings);
        all.addAll(cpw);
        return Collections.unmodifiableList(all);
    }

    /** True if any warning has this code. */
    public boolean hasWarning(Hj212Warning.Code code) {
        for (Hj212Warning w : warnings()) {
            if (w.code() == code) {
                return true;
            }
        }
        return false;
    }

    /** This packet's content as a message (e.g. to re-encode it). CP groups and their order are kept. */
    public Hj212Message toMessage() {
        return new Hj212Message(qn(), st(), cn, pw(), mn(), flag, pnum, pno, cp().groups());
    }

    @Override
    public String toString() {
        return "Hj212Packet[CN=" + cn + " ST=" + st() + " MN=" + mn() + " QN=" + qn() + " Flag=" + flag
            + " @" + offset + "+" + length + "]";
    }

    // ---------------------------------------------------------------- helpers (package-private for Cp/decoder)

    private static final byte[] CP_OPEN = {'C', 'P', '=', '&', '&'};

    private String range(int field) {
        int s = hdr[2 * field];
        return s < 0 ? "" : text(seg, s, hdr[2 * field + 1]);
    }

    static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static List<Hj212Warning> add(List<Hj212Warning> list, Hj212Warning.Code code, String detail) {
        List<Hj212Warning> l = list == null ? new ArrayList<>(4) : list;
        l.add(new Hj212Warning(code, detail));
        return l;
    }

    /** Field index for the header name in seg[a, b), or -1. Compares bytes: no String per field. */
    private static int fieldIndex(byte[] s, int a, int b) {
        switch (b - a) {
            case 2 -> {
                byte c0 = s[a], c1 = s[a + 1];
                if (c0 == 'Q' && c1 == 'N') return QN;
                if (c0 == 'S' && c1 == 'T') return ST;
                if (c0 == 'C' && c1 == 'N') return CN;
                if (c0 == 'P' && c1 == 'W') return PW;
                if (c0 == 'M' && c1 == 'N') return MN;
                return -1;
            }
            case 3 -> {
                return s[a] == 'P' && s[a + 1] == 'N' && s[a + 2] == 'O' ? PNO : -1;
            }
            case 4 -> {
                if (s[a] == 'F' && s[a + 1] == 'l' && s[a + 2] == 'a' && s[a + 3] == 'g') return FLAG;
                if (s[a] == 'P' && s[a + 1] == 'N' && s[a + 2] == 'U' && s[a + 3] == 'M') return PNUM;
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /** Unsigned decimal in s[a, b) with at most maxDigits digits, else -1. */
    static int parseUint(byte[] s, int a, int b, int maxDigits) {
        if (a >= b || b - a > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = a; i < b; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    static int indexOf(byte[] s, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(byte[] s, int from, int to, byte[] pat) {
        byte first = pat[0];
        outer:
        for (int i = from, last = to - pat.length; i <= last; i++) {
            if (s[i] != first) {
                continue;
            }
            for (int k = 1; k < pat.length; k++) {
                if (s[i + k] != pat[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Index of the last "&&" starting at or after {@code from} within s[from, to), or -1. */
    private static int lastIndexOfAmpAmp(byte[] s, int from, int to) {
        for (int i = to - 2; i >= from; i--) {
            if (s[i] == '&' && s[i + 1] == '&') {
                return i;
            }
        }
        return -1;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    static int skipSpaces(byte[] s, int from, int to) {
        while (from < to && isSpace(s[from])) {
            from++;
        }
        return from;
    }

    static int trimSpaces(byte[] s, int from, int to) {
        while (to > from && isSpace(s[to - 1])) {
            to--;
        }
        return to;
    }

    /** s[a, b) equals str (ASCII fast path; exact UTF-8 comparison otherwise). */
    static boolean regionEquals(byte[] s, int a, int b, String str) {
        int n = str.length();
        if (n == b - a) {
            for (int i = 0; i < n; i++) {
                char c = str.charAt(i);
                if (c >= 0x80) {
                    return text(s, a, b).equals(str);
                }
                if (s[a + i] != c) {
                    return false;
                }
            }
            return true;
        }
        // Different lengths can still be equal when str has non-ASCII characters (UTF-8 is longer).
        for (int i = 0; i < n; i++) {
            if (str.charAt(i) >= 0x80) {
                return text(s, a, b).equals(str);
            }
        }
        return false;
    }
}
