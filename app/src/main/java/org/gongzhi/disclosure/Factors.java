package org.gongzhi.disclosure;

import java.util.Map;

/**
 * Names and units of the water factors a public page shows (HJ 212-2017 Table B.1, the 2017 codes; the monitoring
 * module keeps its own full list internal). A code not listed here is shown as the code itself.
 */
final class Factors {

    record Factor(String code, String zh, String en, String unit) {
    }

    private static final Map<String, Factor> KNOWN = Map.ofEntries(
            entry("w00000", "污水流量", "Flow", "L/s"),
            entry("w01001", "pH值", "pH", ""),
            entry("w01002", "色度", "Colour", "倍"),
            entry("w01003", "浊度", "Turbidity", "NTU"),
            entry("w01009", "溶解氧", "Dissolved oxygen", "mg/L"),
            entry("w01010", "水温", "Water temperature", "℃"),
            entry("w01012", "悬浮物", "Suspended solids", "mg/L"),
            entry("w01014", "电导率", "Conductivity", "µS/cm"),
            entry("w01017", "五日生化需氧量", "BOD5", "mg/L"),
            entry("w01018", "化学需氧量", "COD", "mg/L"),
            entry("w01019", "高锰酸盐指数", "Permanganate index", "mg/L"),
            entry("w01020", "总有机碳", "TOC", "mg/L"),
            entry("w21001", "总氮", "Total nitrogen", "mg/L"),
            entry("w21003", "氨氮", "Ammonia nitrogen", "mg/L"),
            entry("w21011", "总磷", "Total phosphorus", "mg/L"),
            entry("w22001", "石油类", "Petroleum", "mg/L"));

    private static Map.Entry<String, Factor> entry(String code, String zh, String en, String unit) {
        return Map.entry(code, new Factor(code, zh, en, unit));
    }

    static Factor of(String code) {
        Factor f = KNOWN.get(code);
        return f != null ? f : new Factor(code, code, code, "");
    }

    private Factors() {
    }
}
