package org.gongzhi.monitoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The common water factors (监测因子) of HJ 212-2017 Table B.1 (shared/domain/hj212.md §8) with the unit the
 * standard uses, for reading manual and laboratory results: a factor is named by its 2017 code (w01018), its
 * Chinese name (化学需氧量) or a usual abbreviation (COD). Values are stored in the factor's HJ 212 unit, so manual,
 * laboratory and online values of one factor compare directly; a result in another unit is converted only when the
 * conversion is a fixed factor of the same quantity (µg/L → mg/L, m³/h → L/s), never across quantities (ppm, mg/m³).
 */
enum WaterFactor {
    FLOW("w00000", "污水流量", "L/s", Dimension.FLOW, "流量", "wastewater flow", "flow"),
    PH("w01001", "pH值", "", Dimension.NONE, "pH", "酸碱度"),
    COLOUR("w01002", "色度", "倍", Dimension.EXACT, "colour", "color"),
    TURBIDITY("w01003", "浊度", "NTU", Dimension.EXACT, "turbidity"),
    DISSOLVED_OXYGEN("w01009", "溶解氧", "mg/L", Dimension.MASS, "DO", "dissolved oxygen"),
    TEMPERATURE("w01010", "水温", "℃", Dimension.TEMPERATURE, "温度", "water temperature", "temperature"),
    SUSPENDED_SOLIDS("w01012", "悬浮物", "mg/L", Dimension.MASS, "SS", "suspended solids"),
    CONDUCTIVITY("w01014", "电导率", "µS/cm", Dimension.CONDUCTIVITY, "conductivity"),
    BOD5("w01017", "五日生化需氧量", "mg/L", Dimension.MASS, "BOD5", "BOD", "生化需氧量"),
    COD("w01018", "化学需氧量", "mg/L", Dimension.MASS, "COD", "CODCr", "COD_Cr"),
    PERMANGANATE_INDEX("w01019", "高锰酸盐指数", "mg/L", Dimension.MASS, "CODMn", "permanganate index"),
    TOC("w01020", "总有机碳", "mg/L", Dimension.MASS, "TOC"),
    TOTAL_NITROGEN("w21001", "总氮", "mg/L", Dimension.MASS, "TN", "total nitrogen"),
    AMMONIA_NITROGEN("w21003", "氨氮", "mg/L", Dimension.MASS, "NH3-N", "NH3N", "NH4-N", "ammonia nitrogen", "氨氮（NH3-N）"),
    TOTAL_PHOSPHORUS("w21011", "总磷", "mg/L", Dimension.MASS, "TP", "total phosphorus"),
    CYANIDE("w21016", "氰化物", "mg/L", Dimension.MASS, "cyanide"),
    FLUORIDE("w21017", "氟化物", "mg/L", Dimension.MASS, "fluoride"),
    PETROLEUM("w22001", "石油类", "mg/L", Dimension.MASS, "petroleum", "petroleum oils"),
    VOLATILE_PHENOL("w23002", "挥发酚", "mg/L", Dimension.MASS, "volatile phenol"),
    MERCURY("w20111", "总汞", "µg/L", Dimension.MASS, "Hg", "total Hg", "汞"),
    CADMIUM("w20115", "总镉", "µg/L", Dimension.MASS, "Cd", "total Cd", "镉"),
    CHROMIUM("w20116", "总铬", "mg/L", Dimension.MASS, "Cr", "total Cr"),
    CHROMIUM_VI("w20117", "六价铬", "µg/L", Dimension.MASS, "Cr6+", "Cr(VI)", "CrVI"),
    ARSENIC("w20119", "总砷", "µg/L", Dimension.MASS, "As", "total As", "砷"),
    LEAD("w20120", "总铅", "µg/L", Dimension.MASS, "Pb", "total Pb", "铅"),
    NICKEL("w20121", "总镍", "mg/L", Dimension.MASS, "Ni", "total Ni", "镍"),
    COPPER("w20122", "总铜", "mg/L", Dimension.MASS, "Cu", "total Cu", "铜"),
    ZINC("w20123", "总锌", "mg/L", Dimension.MASS, "Zn", "total Zn", "锌"),
    FAECAL_COLIFORMS("w02003", "粪大肠菌群", "个/L", Dimension.COUNT, "faecal coliforms", "fecal coliforms");

    /** What a unit measures; units of one dimension convert by a fixed factor into the dimension's base. */
    enum Dimension {
        /** mass concentration, base mg/L */
        MASS(Map.of("mg/L", "1", "µg/L", "0.001", "ng/L", "0.000001", "g/L", "1000")),
        /** flow, base L/s */
        FLOW(Map.of("L/s", "1", "m³/s", "1000", "m³/h", "0.27777777777777777778", "m³/d", "0.01157407407407407407",
                "L/min", "0.01666666666666666667", "L/h", "0.00027777777777777778")),
        /** conductivity, base µS/cm */
        CONDUCTIVITY(Map.of("µS/cm", "1", "mS/cm", "1000", "S/m", "10000")),
        /** counts per volume, base 个/L (MPN/L and CFU/L are counts per litre too) */
        COUNT(Map.of("个/L", "1", "MPN/L", "1", "CFU/L", "1", "个/100mL", "10", "MPN/100mL", "10", "CFU/100mL", "10",
                "个/mL", "1000", "MPN/mL", "1000", "CFU/mL", "1000")),
        /** degrees Celsius only (a Fahrenheit value is refused, not converted) */
        TEMPERATURE(Map.of("℃", "1")),
        /** dimensionless (pH): no unit, or 无量纲 */
        NONE(Map.of("", "1")),
        /** a unit of its own: exactly that unit */
        EXACT(Map.of());

        private final Map<String, BigDecimal> scale = new HashMap<>();

        Dimension(Map<String, String> units) {
            units.forEach((u, f) -> scale.put(u, new BigDecimal(f)));
        }
    }

    private static final Map<String, WaterFactor> BY_NAME = new HashMap<>();

    static {
        for (WaterFactor f : values()) {
            BY_NAME.put(key(f.code), f);
            BY_NAME.put(key(f.zh), f);
            for (String a : f.aliases) {
                BY_NAME.put(key(a), f);
            }
        }
    }

    final String code;
    final String zh;
    /** The HJ 212 unit; "" for dimensionless. */
    final String unit;
    final Dimension dimension;
    private final List<String> aliases;

    WaterFactor(String code, String zh, String unit, Dimension dimension, String... aliases) {
        this.code = code;
        this.zh = zh;
        this.unit = unit;
        this.dimension = dimension;
        this.aliases = List.of(aliases);
    }

    private static String key(String s) {
        return s.replace('（', '(').replace('）', ')').replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** The factor a cell names: code (w01018), Chinese name (化学需氧量) or abbreviation (COD), case-insensitive. */
    static Optional<WaterFactor> of(String cell) {
        if (cell == null || cell.isBlank()) {
            return Optional.empty();
        }
        WaterFactor f = BY_NAME.get(key(cell.strip()));
        if (f == null) {
            // "化学需氧量 COD" or "COD(w01018)": any token that names a factor
            for (String token : cell.replace('（', '(').replace('）', ')').split("[\\s()\\[\\]/|,，、:：]+")) {
                f = BY_NAME.get(key(token));
                if (f != null) {
                    break;
                }
            }
        }
        return Optional.ofNullable(f);
    }

    /** The factor with this 2017 code, if it is in the dictionary. */
    static Optional<WaterFactor> ofCode(String code) {
        for (WaterFactor f : values()) {
            if (f.code.equals(code)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The unit as written in a sheet, spelled the one way this dictionary spells it. */
    static String normalizeUnit(String cell) {
        if (cell == null) {
            return "";
        }
        String u = cell.strip().replace('（', '(').replace('）', ')').replace(" ", "")
                .replace('μ', 'µ').replace("³", "3").replace("°C", "℃").replace("摄氏度", "℃");
        if (u.equals("-") || u.equals("—") || u.equals("/") || u.equals("无量纲") || u.equals("无") || u.equalsIgnoreCase("dimensionless")) {
            return "";
        }
        u = u.replace("毫克/升", "mg/L").replace("微克/升", "µg/L").replace("纳克/升", "ng/L").replace("克/升", "g/L")
                .replace("升/秒", "L/s").replace("立方米/小时", "m3/h").replace("立方米/秒", "m3/s").replace("立方米/天", "m3/d")
                .replace("立方米/日", "m3/d").replace("微西门子/厘米", "µS/cm").replace("毫西门子/厘米", "mS/cm");
        if (u.startsWith("ug/") || u.startsWith("uS/") || u.startsWith("us/")) {
            u = "µ" + u.substring(1);
        }
        String lower = u.toLowerCase(Locale.ROOT);
        for (Dimension d : Dimension.values()) {
            for (String known : d.scale.keySet()) {
                if (known.replace("³", "3").toLowerCase(Locale.ROOT).equals(lower)) {
                    return known;
                }
            }
        }
        for (WaterFactor f : values()) {
            if (f.unit.equalsIgnoreCase(u)) {
                return f.unit;
            }
        }
        return u;
    }

    /** The units this factor accepts, its own first, for a reason text. */
    String acceptedUnits() {
        StringBuilder sb = new StringBuilder(unit.isEmpty() ? "无量纲/none" : unit);
        dimension.scale.keySet().stream().filter(u -> !u.equals(unit)).sorted()
                .forEach(u -> sb.append(", ").append(u.isEmpty() ? "无量纲/none" : u));
        return sb.toString();
    }

    /**
     * The value in this factor's HJ 212 unit, or empty if {@code unitCell} is not a unit of this factor's quantity.
     * Conversion is exact in decimal (0.05 mg/L stays 0.05, 50 µg/L becomes 0.05), then rounded to 15 digits.
     */
    Optional<BigDecimal> toStandard(BigDecimal value, String unitCell) {
        String u = normalizeUnit(unitCell);
        if (u.equals(unit)) {
            return Optional.of(value);
        }
        BigDecimal from = dimension.scale.get(u);
        BigDecimal to = dimension.scale.get(unit);
        if (from == null || to == null) {
            return Optional.empty();
        }
        return Optional.of(value.multiply(from).divide(to, MathContext.DECIMAL64).round(new MathContext(15)).stripTrailingZeros());
    }

    /** The dictionary as rows for the page and the docs: code → (Chinese name, unit). */
    static Map<String, String[]> table() {
        Map<String, String[]> t = new LinkedHashMap<>();
        for (WaterFactor f : values()) {
            t.put(f.code, new String[] {f.zh, f.unit.isEmpty() ? "无量纲" : f.unit, String.join(", ", f.aliases)});
        }
        return t;
    }
}
