package org.gongzhi.simulator;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.gongzhi.hj212.CpItem;
import org.gongzhi.hj212.Hj212Message;
import org.gongzhi.hj212.ProtocolVersion;

/**
 * Builds the upload messages of one device: 2011 (Rtd, Flag), 2051/2061/2031 (Cou, Min, Avg, Max, Flag), in 2017
 * or 2005 form, split over PNUM/PNO parts when asked to or when the CP would exceed the standard's limit
 * (950 characters in 2017, 960 in 2005; hj212.md §1).
 *
 * <p>Flag (hj212.md §3): 2017 = 4 (version 1) | A (1, ack requested) | D (2, split), so 5 = ack, 7 = split+ack.
 * 2005 = A | D without version bits; a 2005 upload without ack and split carries no QN and no Flag, as 2005 loggers
 * do (with ack it needs its QN so that the 9014 can be matched; 2005 replies put it inside CP).
 */
final class PacketFactory {

    private final ProtocolVersion version;
    private final String st;
    private final String mn;
    private final List<String> wireCodes;
    private final int splitCp;
    private final int maxCp;
    /** Per factor, its keys: -Rtd, -Cou, -Min, -Avg, -Max, -Flag (built once, not per packet). */
    private final String[][] keys;
    private final ValueModel.Profile[] profiles;

    /**
     * @param wireCodes factor codes as written on the wire (2005: 011, 060, …), in model order
     * @param splitCp   0 = split only when over the standard's limit; else the largest CP text per part
     */
    PacketFactory(ProtocolVersion version, String st, String mn, List<String> wireCodes, int splitCp) {
        this.version = version;
        this.st = st;
        this.mn = mn;
        this.wireCodes = List.copyOf(wireCodes);
        this.splitCp = splitCp;
        this.maxCp = version == ProtocolVersion.V2005 ? 960 : 950;
        this.keys = new String[this.wireCodes.size()][];
        this.profiles = new ValueModel.Profile[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String c = this.wireCodes.get(i);
            profiles[i] = ValueModel.profile(c);
            keys[i] = new String[] {c + "-Rtd", c + "-Cou", c + "-Min", c + "-Avg", c + "-Max", c + "-Flag"};
        }
    }

    ProtocolVersion version() {
        return version;
    }

    /** Flag for an upload: version bits, A when ack, D when split; -1 (absent) for a plain 2005 upload. */
    int flag(boolean ack, boolean split) {
        int f = (ack ? 1 : 0) | (split ? 2 : 0);
        if (version == ProtocolVersion.V2005) {
            return f == 0 ? -1 : f;
        }
        return version.flagBits() | f;
    }

    /** The upload of one record: one message, or several parts each with its own QN and the DataTime repeated. */
    List<Hj212Message> upload(int cn, LocalDateTime dataTime, List<ValueModel.FactorValue> values, String pw,
                              boolean ack, Supplier<String> qns) {
        List<List<CpItem>> groups = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            groups.add(factorGroup(cn, profiles[i], keys[i], values.get(i)));
        }
        return messages(cn, Times.time(dataTime), groups, pw, ack, qns);
    }

    /** Messages for a CP of factor groups behind a DataTime group, split as needed. */
    List<Hj212Message> messages(int cn, String dataTime, List<List<CpItem>> groups, String pw, boolean ack,
                                Supplier<String> qns) {
        List<CpItem> dt = List.of(CpItem.of("DataTime", dataTime));
        int dtLen = 9 + dataTime.length();
        int budget = splitCp > 0 ? Math.min(splitCp, maxCp) : maxCp;
        int total = dtLen;
        for (List<CpItem> g : groups) {
            total += 1 + length(g);
        }
        List<List<List<CpItem>>> parts = new ArrayList<>();
        if (total <= budget && splitCp <= 0 || groups.size() <= 1) {
            parts.add(groups);
        } else {
            List<List<CpItem>> cur = new ArrayList<>();
            int len = dtLen;
            for (List<CpItem> g : groups) {
                int gl = 1 + length(g);
                if (!cur.isEmpty() && len + gl > budget) {
                    parts.add(cur);
                    cur = new ArrayList<>();
                    len = dtLen;
                }
                cur.add(g);
                len += gl;
            }
            parts.add(cur);
        }
        boolean split = parts.size() > 1;
        int flag = flag(ack, split);
        boolean withQn = flag >= 0;
        List<Hj212Message> out = new ArrayList<>(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            List<List<CpItem>> cp = new ArrayList<>(parts.get(p).size() + 1);
            cp.add(dt);
            cp.addAll(parts.get(p));
            out.add(new Hj212Message(withQn ? qns.get() : null, st, cn, pw, mn, flag, split ? parts.size() : -1,
                split ? p + 1 : -1, cp));
        }
        return out;
    }

    private static int length(List<CpItem> g) {
        int n = g.size() - 1;
        for (CpItem it : g) {
            n += it.key().length() + 1 + it.value().length();
        }
        return n;
    }

    private static List<CpItem> factorGroup(int cn, ValueModel.Profile p, String[] keys, ValueModel.FactorValue v) {
        List<CpItem> g = new ArrayList<>(5);
        if (cn == 2011) {
            g.add(CpItem.of(keys[0], Num.fmt(v.rtd(), p.decimals())));
        } else {
            if (!Double.isNaN(v.cou())) {
                g.add(CpItem.of(keys[1], Num.fmt(v.cou(), p.code().equals("w00000") ? 2 : 3)));
            }
            g.add(CpItem.of(keys[2], Num.fmt(v.min(), p.decimals())));
            g.add(CpItem.of(keys[3], Num.fmt(v.avg(), p.decimals())));
            g.add(CpItem.of(keys[4], Num.fmt(v.max(), p.decimals())));
        }
        g.add(CpItem.of(keys[5], v.flag()));
        return g;
    }
}
