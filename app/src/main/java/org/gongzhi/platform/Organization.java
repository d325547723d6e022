package org.gongzhi.platform;

/**
 * A regulator (生态环境部门, by level) or a responsible party (责任主体). For regulators, regionCode/basin is the
 * jurisdiction; for parties, regionCode is where they are registered.
 */
public record Organization(long id, Kind kind, String name, Level level, String regionCode, Basin basin,
                           PartyType partyType, String uscc, String contactPhone) {

    public enum Kind { REGULATOR, PARTY }

    /** 部 / 流域局 / 省 / 市 / 县. */
    public enum Level {
        MINISTRY("生态环境部", "Ministry"), BASIN_BUREAU("流域局", "Basin bureau"), PROVINCE("省级", "Province"),
        CITY("市级", "City"), COUNTY("县级", "County");

        private final String zh;
        private final String en;

        Level(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    /** Kinds of 责任主体 (outfall-regulation.md §1.4); GOVERNMENT_BACKSTOP is the 属地政府 when no polluter is known. */
    public enum PartyType {
        ENTERPRISE("企业", "Enterprise"), PARK_OPERATOR("园区运营单位", "Park operator"),
        WWTP_OPERATOR("污水处理厂运营单位", "WWTP operator"), GOVERNMENT_BACKSTOP("属地人民政府（兜底）", "Local government (backstop)"),
        DESIGNATED("指定责任主体", "Designated party");

        private final String zh;
        private final String en;

        PartyType(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() { return zh; }
        public String en() { return en; }
    }

    public Jurisdiction jurisdiction() {
        if (kind == Kind.PARTY) {
            return Jurisdiction.party(id);
        }
        return switch (level) {
            case MINISTRY -> Jurisdiction.national();
            case BASIN_BUREAU -> Jurisdiction.basin(basin);
            case PROVINCE, CITY, COUNTY -> Jurisdiction.region(regionCode);
        };
    }
}
