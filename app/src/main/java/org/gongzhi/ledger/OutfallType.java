package org.gongzhi.ledger;

/** A HJ 1312-2023 outfall type; {@code requiresApproval} decides the {@link Regime} and is data, not code. */
public record OutfallType(String code, Level1 level1, String nameZh, String nameEn, boolean requiresApproval) {

    /** The four level-1 types of 办法 / 国办函〔2022〕17号. */
    public enum Level1 {
        INDUSTRIAL("工业排污口", "Industrial", "G"), URBAN_WWTP("城镇污水处理厂排污口", "Municipal WWTP", "C"),
        AGRICULTURAL("农业排口", "Agricultural", "N"), OTHER("其他排口", "Other", "Q");

        private final String zh;
        private final String en;
        private final String letter;

        Level1(String zh, String en, String letter) {
            this.zh = zh;
            this.en = en;
            this.letter = letter;
        }

        public String zh() { return zh; }
        public String en() { return en; }
        /** Pinyin initial used in the default national code (工 G, 城 C, 农 N, 其 Q). */
        public String letter() { return letter; }
    }

    public Regime regime() {
        return requiresApproval ? Regime.APPROVAL : Regime.REGISTRATION;
    }
}
