package org.gongzhi.hj212;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Code tables: which CN values exist, and the HJ/T 212-2005 → HJ 212-2017 water factor codes
 * (Table B.1 / HJ 525-2009; hj212.md §8).
 */
public final class Hj212Codes {

    private static final boolean[] KNOWN_CN = new boolean[10000];

    static {
        int[] cn2017 = {1000, 1011, 1012, 1013, 1061, 1062, 1063, 1064, 1072, 2011, 2012, 2021, 2022, 2031, 2041,
            2051, 2061, 2081, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018, 3019, 3020, 3021, 9011, 9012, 9013, 9014};
        // 2005 only (hj212.md §4 "2005 differences")
        int[] cn2005 = {1001, 1021, 1022, 1031, 1032, 1041, 1042, 2071, 2072};
        // 2025 additions as read by caoyiliang/HJ212 (hj212.md §14)
        int[] cn2025 = {1001, 1002, 1014, 2013, 2052, 2062, 2111, 3022, 3024, 9015};
        for (int[] set : new int[][] {cn2017, cn2005, cn2025}) {
            for (int cn : set) {
                KNOWN_CN[cn] = true;
            }
        }
    }

    private static final Map<String, String> WATER_2005_TO_2017;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("B01", "w00000"); // wastewater flow
        m.put("001", "w01001"); // pH
        m.put("002", "w01002"); // colour
        m.put("003", "w01012"); // suspended solids
        m.put("010", "w01017"); // BOD5
        m.put("011", "w01018"); // COD
        m.put("015", "w01020"); // TOC
        m.put("065", "w21001"); // total nitrogen
        m.put("060", "w21003"); // ammonia nitrogen
        m.put("101", "w21011"); // total phosphorus
        m.put("070", "w21016"); // cyanide
        m.put("072", "w21017"); // fluoride
        m.put("080", "w22001"); // petroleum oils
        m.put("110", "w23002"); // volatile phenol
        m.put("020", "w20111"); // total Hg
        m.put("022", "w20115"); // total Cd
        m.put("023", "w20116"); // total Cr
        m.put("024", "w20117"); // Cr(VI)
        m.put("026", "w20119"); // total As
        m.put("027", "w20120"); // total Pb
        m.put("028", "w20121"); // total Ni
        m.put("029", "w20122"); // total Cu
        m.put("030", "w20123"); // total Zn
        m.put("550", "w02003"); // faecal coliforms
        WATER_2005_TO_2017 = Collections.unmodifiableMap(m);
    }

    private Hj212Codes() {
    }

    /** True if {@code cn} is a command code of HJ/T 212-2005, HJ 212-2017 or (as read by one library) HJ 212-2025. */
    public static boolean isKnownCn(int cn) {
        return cn >= 0 && cn < KNOWN_CN.length && KNOWN_CN[cn];
    }

    /** The full 2005 → 2017 water code table (unmodifiable, in Table B.1 order). */
    public static Map<String, String> water2005To2017() {
        return WATER_2005_TO_2017;
    }

    /** The 2017 code for a 2005 water factor code, or the code itself when it is not in the table. */
    public static String water2017Code(String code2005) {
        return WATER_2005_TO_2017.getOrDefault(code2005, code2005);
    }

    /**
     * True for system codes whose 2005 numeric factor codes are water codes: 21 surface water, 24 groundwater,
     * 26 seawater, 32 wastewater source, 33 groundwater source, 34 marine source, 52 wastewater process (§6).
     * In air packets (ST 22/31…) the same digits mean other things ("023" is not chromium there).
     */
    public static boolean isWaterSystem(String st) {
        if (st == null) {
            return true; // 2005 uploads nearly always carry ST; if not, assume our main case (ST=32)
        }
        return switch (st) {
            case "21", "24", "26", "32", "33", "34", "52" -> true;
            default -> false;
        };
    }
}
