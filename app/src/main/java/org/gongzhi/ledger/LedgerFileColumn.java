package org.gongzhi.ledger;

import java.util.Optional;

/**
 * The columns of a ledger file, in order: exports write exactly these and imports read them, so an exported
 * file imports back as "unchanged". A header cell is written "排污口编码 nationalCode"; on import the Chinese
 * label, the English key or both are accepted, in any order of columns.
 */
enum LedgerFileColumn {
    NATIONAL_CODE("nationalCode", "排污口编码"),
    LOCAL_CODE("localCode", "地方编码"),
    NAME("name", "排污口名称"),
    TYPE_CODE("typeCode", "排污口类型"),
    LIFECYCLE("lifecycle", "状态"),
    REGION_CODE("regionCode", "行政区划代码"),
    WATER_BODY("waterBody", "受纳水体"),
    LONGITUDE("longitude", "经度"),
    LATITUDE("latitude", "纬度"),
    DISCHARGE_MODE("dischargeMode", "排放方式"),
    DISCHARGE_PATTERN("dischargePattern", "排放规律"),
    DESIGN_CAPACITY("designCapacity", "设计排放能力"),
    PARTY_NAME("partyName", "责任主体"),
    PARTY_USCC("partyUscc", "统一社会信用代码"),
    PARTY_SHARE("partyShare", "分担比例");

    /** Columns without which no row can be understood; the others may be left out (existing values are kept). */
    static final java.util.Set<LedgerFileColumn> REQUIRED = java.util.EnumSet.of(NAME, TYPE_CODE, LIFECYCLE, REGION_CODE);

    private final String key;
    private final String zh;

    LedgerFileColumn(String key, String zh) {
        this.key = key;
        this.zh = zh;
    }

    String key() {
        return key;
    }

    String zh() {
        return zh;
    }

    /** Written as a number (exports), not as text. */
    boolean numeric() {
        return this == LONGITUDE || this == LATITUDE || this == DESIGN_CAPACITY || this == PARTY_SHARE;
    }

    /** "排污口编码 nationalCode". */
    String header() {
        return zh + " " + key;
    }

    /**
     * The column a header cell names: "排污口编码 nationalCode", "nationalCode", "排污口编码", also with the
     * English key in brackets ("排污口编码(nationalCode)", "排污口编码（nationalCode）") or with a unit after the
     * Chinese label ("设计排放能力（m³/d）").
     */
    static Optional<LedgerFileColumn> ofHeader(String cell) {
        if (cell == null) {
            return Optional.empty();
        }
        String h = cell.replace('\uFEFF', ' ').replace('（', '(').replace('）', ')').strip();
        if (h.isEmpty()) {
            return Optional.empty();
        }
        for (String token : h.split("[\\s()\\[\\]/|,，、:：]+")) {
            for (LedgerFileColumn c : values()) {
                if (token.equalsIgnoreCase(c.key)) {
                    return Optional.of(c);
                }
            }
        }
        String compact = h.replaceAll("\\s+", "");
        for (LedgerFileColumn c : values()) {
            if (compact.equals(c.zh) || compact.startsWith(c.zh + "(")) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
