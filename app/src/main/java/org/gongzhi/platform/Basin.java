package org.gongzhi.platform;

/** 流域: the seven major basins of 国办函〔2022〕17号, plus OTHER for the 东南/西南/西北诸河. */
public enum Basin {
    YANGTZE("长江", "Yangtze"),
    YELLOW("黄河", "Yellow River"),
    HUAI("淮河", "Huai"),
    HAI("海河", "Hai"),
    PEARL("珠江", "Pearl"),
    SONGLIAO("松辽", "Songhua–Liao"),
    TAIHU("太湖", "Taihu"),
    OTHER("其他诸河", "Other basins");

    private final String zh;
    private final String en;

    Basin(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() { return zh; }
    public String en() { return en; }
}
