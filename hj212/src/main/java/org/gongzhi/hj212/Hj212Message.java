package org.gongzhi.hj212;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of a data segment, for encoding: header fields and CP groups. Absent text fields are null, absent
 * numbers -1. Immutable. Build one with {@link #builder()} or get one from {@link Hj212Replies} /
 * {@link Hj212Commands}; turn it into bytes with {@link Hj212Encoder#encode(Hj212Message)}.
 *
 * @param cp groups of items: {@code ;} between groups, {@code ,} inside a group (hj212.md §3)
 */
public record Hj212Message(String qn, String st, int cn, String pw, String mn, int flag, int pnum, int pno,
                           List<List<CpItem>> cp) {

    public Hj212Message {
        if (cn < 0 || cn > 9999) {
            throw new IllegalArgumentException("CN must be 0..9999: " + cn);
        }
        if (flag < -1 || flag > 255) {
            throw new IllegalArgumentException("Flag must be 0..255 or -1 (absent): " + flag);
        }
        if ((pnum < 0) != (pno < 0) || pnum == 0 || pno == 0 || pno > pnum || pnum > 9999) {
            throw new IllegalArgumentException("PNUM/PNO must both be absent (-1) or 1 <= PNO <= PNUM <= 9999");
        }
        List<List<CpItem>> copy = new ArrayList<>(cp == null ? 0 : cp.size());
        if (cp != null) {
            for (List<CpItem> g : cp) {
                if (!g.isEmpty()) {
                    copy.add(List.copyOf(g));
                }
            }
        }
        cp = List.copyOf(copy);
    }

    /** Raw value of the first CP item with this key, or null. */
    public String get(String key) {
        for (List<CpItem> g : cp) {
            for (CpItem it : g) {
                if (it.key().equals(key)) {
                    return it.value();
                }
            }
        }
        return null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; header fields are optional (2005-style uploads omit QN and Flag). */
    public static final class Builder {
        private String qn;
        private String st;
        private int cn = -1;
        private String pw;
        private String mn;
        private int flag = -1;
        private int pnum = -1;
        private int pno = -1;
        private final List<List<CpItem>> cp = new ArrayList<>();

        public Builder qn(String v) { this.qn = v; return this; }
        public Builder st(String v) { this.st = v; return this; }
        public Builder cn(int v) { this.cn = v; return this; }
        public Builder pw(String v) { this.pw = v; return this; }
        public Builder mn(String v) { this.mn = v; return this; }
        public Builder flag(int v) { this.flag = v; return this; }

        public Builder parts(int pnum, int pno) {
            this.pnum = pnum;
            this.pno = pno;
            return this;
        }

        /** Adds one group of alternating keys and values: {@code group("w01018-Rtd", "12.5", "w01018-Flag", "N")}. */
        public Builder group(String... keysAndValues) {
            if (keysAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("keys and values must alternate");
            }
            List<CpItem> g = new ArrayList<>(keysAndValues.length / 2);
            for (int i = 0; i < keysAndValues.length; i += 2) {
                g.add(new CpItem(keysAndValues[i], keysAndValues[i + 1]));
            }
            cp.add(g);
            return this;
        }

        /** Adds one group. */
        public Builder group(List<CpItem> items) {
            cp.add(new ArrayList<>(items));
            return this;
        }

        public Hj212Message build() {
            if (cn < 0) {
                throw new IllegalStateException("CN is required");
            }
            return new Hj212Message(qn, st, cn, pw, mn, flag, pnum, pno, cp);
        }
    }
}
