package org.gongzhi.platform;

/** 受纳水体: a river, lake, reservoir or canal, with its basin, HJ 932 code and GB 3838 target class. */
public record WaterBody(long id, String name, Kind kind, Basin basin, String hj932Code, String targetClass,
                        String regionCode) {

    public enum Kind {
        RIVER("河流", "River"), LAKE("湖泊", "Lake"), RESERVOIR("水库", "Reservoir"), CANAL("运河", "Canal");

        private final String zh;
        private final String en;

        Kind(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }
}
