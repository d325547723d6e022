package org.gongzhi.hj212;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The CP data area of a packet: {@code group (';' group)*}, {@code group := kv (',' kv)*} (hj212.md §3).
 * Immutable view over the packet's bytes: parsing records only offsets (4 shorts per item), values become
 * strings when asked for. Lenient, with warnings (hj212.md §10): spaces around keys/values/the area are trimmed,
 * empty items (trailing ';') are skipped, items without '=' are skipped, duplicate keys are kept (typed access
 * returns the first).
 */
public final class Cp {

    /** Set on keyStart of the first item of each ';'-group. Offsets are below 10000 so bit 14 is free. */
    private static final int GROUP_START = 0x4000;
    private static final int OFFSET_MASK = 0x3FFF;

    private final byte[] seg;
    private final int start;
    private final int end;
    private final short[] items;
    private final int size;
    private final int groupCount;
    private final boolean map2005;
    private final List<Hj212Warning> warnings;
    /** {@link #factors()}, built on first call (the gateway asks twice per packet: rows estimate, then rows). */
    private List<Factor> factors;

    Cp(byte[] seg, int start, int end, boolean map2005) {
        this.seg = seg;
        this.start = start;
        this.end = end;
        this.map2005 = map2005;
        List<Hj212Warning> w = null;

        // Pre-count '=' so the offsets array is allocated once at its final size (the benchmark counts bytes).
        int cap = 0;
        for (int i = start; i < end; i++) {
            if (seg[i] == '=') {
                cap++;
            }
        }
        short[] it = new short[Math.max(cap, 1) * 4];
        int n = 0;
        int groups = 0;
        boolean groupPending = true;
        boolean spacesWarned = false;
        long bloom = 0; // 64-bit filter of key hashes: exact duplicate checks only on a filter hit

        int a = Hj212Packet.skipSpaces(seg, start, end);
        if (a == end) {
            if (end > start) {
                w = add(w, Hj212Warning.Code.CP_SPACES, "CP holds only spaces");
            }
        } else {
            int i = start;
            while (true) {
                int j = i;
                int eq = -1;
                byte c = 0;
                while (j < end && (c = seg[j]) != ';' && c != ',') {
                    if (c == '=' && eq < 0) {
                        eq = j;
                    }
                    j++;
                }
                int ks = Hj212Packet.skipSpaces(seg, i, j);
                int ve = Hj212Packet.trimSpaces(seg, ks, j);
                if (ks == ve) {
                    w = add(w, Hj212Warning.Code.CP_EMPTY_ITEM,
                        j == end ? "trailing separator before &&" : "empty item at CP offset " + (i - start));
                } else if (eq < 0) {
                    w = add(w, Hj212Warning.Code.CP_ITEM_WITHOUT_EQUALS, Hj212Packet.text(seg, ks, ve));
                } else {
                    int ke = Hj212Packet.trimSpaces(seg, ks, eq);
                    int vs = Hj212Packet.skipSpaces(seg, eq + 1, ve);
                    if (!spacesWarned && (ks != i || ke != eq || vs != eq + 1 || ve != j)) {
                        w = add(w, Hj212Warning.Code.CP_SPACES, "spaces around " + Hj212Packet.text(seg, ks, ke));
                        spacesWarned = true;
                    }
                    int h = 0;
                    for (int k = ks; k < ke; k++) {
                        h = 31 * h + seg[k];
                    }
                    long bit = 1L << (h & 63);
                    if ((bloom & bit) != 0 && indexOfKey(it, n, ks, ke) >= 0) {
                        w = add(w, Hj212Warning.Code.CP_DUPLICATE_KEY, Hj212Packet.text(seg, ks, ke));
                    }
                    bloom |= bit;
                    int o = 4 * n;
                    it[o] = (short) (ks | (groupPending ? GROUP_START : 0));
                    it[o + 1] = (short) ke;
                    it[o + 2] = (short) vs;
                    it[o + 3] = (short) ve;
                    if (groupPending) {
                        groups++;
                        groupPending = false;
                    }
                    n++;
                }
                if (j >= end) {
                    break;
                }
                if (c == ';') {
                    groupPending = true;
                }
                i = j + 1;
            }
        }
        this.items = it;
        this.size = n;
        this.groupCount = groups;
        this.warnings = w == null ? List.of() : Collections.unmodifiableList(w);
    }

    private static List<Hj212Warning> add(List<Hj212Warning> list, Hj212Warning.Code code, String detail) {
        List<Hj212Warning> l = list == null ? new ArrayList<>(2) : list;
        l.add(new Hj212Warning(code, detail));
        return l;
    }

    /** Index of the first of the first n items whose key equals seg[ks, ke), or -1. */
    private int indexOfKey(short[] it, int n, int ks, int ke) {
        int len = ke - ks;
        for (int i = 0; i < n; i++) {
            int s = it[4 * i] & OFFSET_MASK;
            int e = it[4 * i + 1];
            if (e - s == len && java.util.Arrays.equals(seg, s, e, seg, ks, ke)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(String key) {
        for (int i = 0; i < size; i++) {
            if (Hj212Packet.regionEquals(seg, items[4 * i] & OFFSET_MASK, items[4 * i + 1], key)) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- raw access

    /** Number of key=value items. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of ';'-separated groups that hold at least one item. */
    public int groupCount() {
        return groupCount;
    }

    /** Key of item i (0-based, CP order). */
    public String key(int i) {
        java.util.Objects.checkIndex(i, size);
        return Hj212Packet.text(seg, items[4 * i] & OFFSET_MASK, items[4 * i + 1]);
    }

    /** Value of item i. */
    public String value(int i) {
        java.util.Objects.checkIndex(i, size);
        return Hj212Packet.text(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** Numeric value of item i, NaN if it is not a number (e.g. a -Flag). Allocation-free. */
    public double doubleValue(int i) {
        java.util.Objects.checkIndex(i, size);
        return Num.parseDouble(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** Exact decimal of item i, or null if it is not a number. */
    BigDecimal decimalValue(int i) {
        return Num.parseDecimal(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** The part of item i's key after its first '-' (the factor field, "Rtd"); "" when there is none. */
    String suffix(int i) {
        int ks = items[4 * i] & OFFSET_MASK;
        int ke = items[4 * i + 1];
        int dash = Hj212Packet.indexOf(seg, ks, ke, (byte) '-');
        return dash < 0 ? "" : Hj212Packet.text(seg, dash + 1, ke);
    }

    /**
     * True if item i's key, a factor key whose code is {@code codeLength} bytes long, has {@code suffix} after the
     * code and its '-'. Allocation-free for ASCII.
     */
    boolean suffixEquals(int i, int codeLength, String suffix) {
        int ks = items[4 * i] & OFFSET_MASK;
        return Hj212Packet.regionEquals(seg, ks + codeLength + 1, items[4 * i + 1], suffix);
    }

    /** True if the key of item i equals {@code key}. Allocation-free for ASCII keys. */
    public boolean keyEquals(int i, String key) {
        java.util.Objects.checkIndex(i, size);
        return Hj212Packet.regionEquals(seg, items[4 * i] & OFFSET_MASK, items[4 * i + 1], key);
    }

    /** True if item i starts a new ';'-group. */
    public boolean startsGroup(int i) {
        java.util.Objects.checkIndex(i, size);
        return (items[4 * i] & GROUP_START) != 0;
    }

    /** The raw CP text between {@code CP=&&} and the closing {@code &&}. */
    public String text() {
        return Hj212Packet.text(seg, start, end);
    }

    /** All items in order. */
    public List<CpItem> items() {
        List<CpItem> l = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            l.add(new CpItem(key(i), value(i)));
        }
        return Collections.unmodifiableList(l);
    }

    /** Items grouped as sent (';' between groups, ',' inside). */
    public List<List<CpItem>> groups() {
        List<List<CpItem>> gs = new ArrayList<>(groupCount);
        List<CpItem> g = null;
        for (int i = 0; i < size; i++) {
            if (g == null || startsGroup(i)) {
                g = new ArrayList<>(4);
                gs.add(g);
            }
            g.add(new CpItem(key(i), value(i)));
        }
        List<List<CpItem>> out = new ArrayList<>(gs.size());
        for (List<CpItem> x : gs) {
            out.add(Collections.unmodifiableList(x));
        }
        return Collections.unmodifiableList(out);
    }

    /** Warnings raised while parsing CP. */
    public List<Hj212Warning> warnings() {
        return warnings;
    }

    // ---------------------------------------------------------------- typed access

    public boolean has(String key) {
        return indexOf(key) >= 0;
    }

    /** Raw value of the first item with this key, or null. */
    public String get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : value(i);
    }

    /** Raw values of every item with this key, in order. */
    public List<String> getAll(String key) {
        List<String> l = new ArrayList<>(1);
        for (int i = 0; i < size; i++) {
            if (Hj212Packet.regionEquals(seg, items[4 * i] & OFFSET_MASK, items[4 * i + 1], key)) {
                l.add(value(i));
            }
        }
        return l;
    }

    /**
     * Numeric value of the first item with this key, NaN when absent or not a number. Allocation-free: meant for
     * the gateway's hot path.
     */
    public double getDouble(String key) {
        int i = indexOf(key);
        return i < 0 ? Double.NaN : Num.parseDouble(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** Exact decimal of the first item with this key, or null when absent or not a number. */
    public BigDecimal getDecimal(String key) {
        int i = indexOf(key);
        return i < 0 ? null : Num.parseDecimal(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** Time value (YYYYMMDDhhmmss, also 17 digits with ms), or null when absent or malformed. */
    public LocalDateTime getTime(String key) {
        int i = indexOf(key);
        return i < 0 ? null : Num.parseTime(seg, items[4 * i + 2], items[4 * i + 3]);
    }

    /** {@code DataTime}, or null. */
    public LocalDateTime dataTime() {
        return getTime("DataTime");
    }

    /**
     * Factors ({@code <code>-<Suffix>} keys) in order of first appearance. Keys without '-' (DataTime, QnRtn,
     * PolId, …) are parameters and not listed here.
     */
    public List<Factor> factors() {
        List<Factor> f = factors;
        if (f == null) {
            f = buildFactors();
            factors = f;
        }
        return f;
    }

    /**
     * Groups the items by code (the key up to its first '-') in order of first appearance, comparing bytes: one
     * String per factor (its code), no map. A factor's items are nearly always adjacent, so the last factor is
     * tried first.
     */
    private List<Factor> buildFactors() {
        int[] factorOf = new int[size]; // factor number per item, -1 for parameters (DataTime, …)
        int[] codeStart = new int[size];
        int[] codeEnd = new int[size];
        int[] count = new int[size];
        int nf = 0;
        for (int i = 0; i < size; i++) {
            int ks = items[4 * i] & OFFSET_MASK;
            int ke = items[4 * i + 1];
            int dash = Hj212Packet.indexOf(seg, ks, ke, (byte) '-');
            factorOf[i] = -1;
            if (dash <= ks || dash == ke - 1) {
                continue;
            }
            int k = nf - 1;
            if (k < 0 || !sameCode(codeStart[k], codeEnd[k], ks, dash)) {
                for (k = 0; k < nf && !sameCode(codeStart[k], codeEnd[k], ks, dash); k++) {
                    // scan the earlier factors
                }
                if (k == nf) {
                    codeStart[nf] = ks;
                    codeEnd[nf] = dash;
                    nf++;
                }
            }
            factorOf[i] = k;
            count[k]++;
        }
        Factor[] out = new Factor[nf];
        int[][] members = new int[nf][];
        for (int k = 0; k < nf; k++) {
            members[k] = new int[count[k]];
            count[k] = 0;
        }
        for (int i = 0; i < size; i++) {
            int k = factorOf[i];
            if (k >= 0) {
                members[k][count[k]++] = i;
            }
        }
        for (int k = 0; k < nf; k++) {
            String code = Hj212Packet.text(seg, codeStart[k], codeEnd[k]);
            String std = map2005 ? Hj212Codes.water2017Code(code) : code;
            out[k] = new Factor(code, std, this, codeEnd[k] - codeStart[k], members[k]);
        }
        return List.of(out);
    }

    private boolean sameCode(int a, int b, int ks, int dash) {
        return b - a == dash - ks && java.util.Arrays.equals(seg, a, b, seg, ks, dash);
    }

    /** The factor with this code, matching either the code as sent or its 2017 code (so "w01018" finds "011"). */
    public Factor factor(String code) {
        for (Factor f : factors()) {
            if (f.code().equals(code) || f.standardCode().equals(code)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Cp[" + text() + "]";
    }
}
