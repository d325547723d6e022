package org.gongzhi.platform;

/** 行政区划 (GB/T 2260): a province, prefecture-level city or county-level division. */
public record Region(String code, String name, Level level, String parentCode) {

    public enum Level { PROVINCE, CITY, COUNTY }

    /**
     * The digits that all descendants share: "32" for a province 320000, "3205" for a city 320500, the whole code
     * for a county. GB/T 2260 codes nest this way, including 省直辖县级行政区划 (e.g. 429004 under 4290).
     */
    public static String significantPrefix(String code) {
        if (code.endsWith("0000")) {
            return code.substring(0, 2);
        }
        if (code.endsWith("00")) {
            return code.substring(0, 4);
        }
        return code;
    }
}
