package org.gongzhi.calendar;

/** Why a day is or is not a working day. */
public enum DayKind {
    /** Monday to Friday, not a holiday. */
    WORKDAY("工作日", "working day"),
    /** Saturday or Sunday, not a make-up working day. */
    WEEKEND("周末", "weekend"),
    /** A day off under the State Council's notice (法定节假日 and the days moved next to it). */
    HOLIDAY("节假日", "public holiday"),
    /** A Saturday or Sunday worked in exchange for a day off (调休上班). */
    MAKEUP_WORKDAY("调休上班日", "make-up working day");

    private final String zh;
    private final String en;

    DayKind(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() {
        return zh;
    }

    public String en() {
        return en;
    }
}
