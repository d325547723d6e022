package org.gongzhi.compliance;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The water factors the standard packs name, keyed by their HJ 212-2017 code (shared/domain/hj212.md §8, Table B.1)
 * with the unit that table gives, so that a limit's unit can be checked and converted. Factors the packs list but
 * for which hj212.md gives no 2017 code carry a local key {@code x:…}: they can hold limits (manual and laboratory
 * results later), but no online value will ever match them.
 *
 * <p>TRC group (anchors-and-standards.md §1.4 (b) 2): I = conventional (oxygen demand, solids, nutrients,
 * detergents, oil and grease, minerals, Al/Co/Fe/V), TRC 1.4; II = toxic (other metals, cyanide, total residual
 * chlorine, organics), TRC 1.2; none for pH, colour, temperature, flow, bacteria (§1.4 names no group for them).
 */
enum Factor {
    FLOW("w00000", "污水流量", "wastewater flow", "L/s", Units.Dimension.FLOW, null),
    PH("w01001", "pH值", "pH", "", Units.Dimension.PH, null),
    COLOUR("w01002", "色度", "colour", "倍", Units.Dimension.DILUTION, null),
    DISSOLVED_OXYGEN("w01009", "溶解氧", "dissolved oxygen", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    WATER_TEMPERATURE("w01010", "水温", "water temperature", "℃", Units.Dimension.TEMPERATURE, null),
    SS("w01012", "悬浮物", "suspended solids", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    BOD5("w01017", "五日生化需氧量", "BOD5", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    COD("w01018", "化学需氧量", "COD", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    CODMN("w01019", "高锰酸盐指数", "permanganate index (CODMn)", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    TOC("w01020", "总有机碳", "TOC", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    TN("w21001", "总氮", "total nitrogen", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    NH3N("w21003", "氨氮", "ammonia nitrogen", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    TP("w21011", "总磷", "total phosphorus", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    CYANIDE("w21016", "总氰化合物", "total cyanide", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.II),
    FLUORIDE("w21017", "氟化物", "fluoride", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    PETROLEUM("w22001", "石油类", "petroleum oils", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    VOLATILE_PHENOL("w23002", "挥发酚", "volatile phenols", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.II),
    COPPER("w20122", "总铜", "total Cu", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.II),
    ZINC("w20123", "总锌", "total Zn", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.II),
    FAECAL_COLIFORMS("w02003", "粪大肠菌群", "faecal coliforms", "个/L", Units.Dimension.COUNT, null),
    // listed by GB 18918 / GB 8978 but without a 2017 code in hj212.md §8
    ANIMAL_VEGETABLE_OIL("x:animal-vegetable-oil", "动植物油", "animal/vegetable oils", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    LAS("x:LAS", "阴离子表面活性剂", "anionic surfactants (LAS)", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    SULFIDE("x:sulfide", "硫化物", "sulfide", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I),
    PHOSPHATE("x:phosphate", "磷酸盐（以P计）", "phosphate (as P)", "mg/L", Units.Dimension.CONCENTRATION, TrcGroup.I);

    /** Technical Review Criteria multiplier group, §1.4 (b) 2. */
    enum TrcGroup {
        I(1.4), II(1.2);

        final double multiplier;

        TrcGroup(double multiplier) {
            this.multiplier = multiplier;
        }
    }

    final String code;
    final String nameZh;
    final String nameEn;
    final String unit;
    final Units.Dimension dimension;
    final TrcGroup trcGroup;

    Factor(String code, String nameZh, String nameEn, String unit, Units.Dimension dimension, TrcGroup trcGroup) {
        this.code = code;
        this.nameZh = nameZh;
        this.nameEn = nameEn;
        this.unit = unit;
        this.dimension = dimension;
        this.trcGroup = trcGroup;
    }

    private static final Map<String, Factor> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.code, Function.identity()));

    static Optional<Factor> of(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code.trim()));
    }
}
