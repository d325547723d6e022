package org.gongzhi.ledger;

/** 排放规律, the ten codes of HJ 521-2009 (废水排放规律代码) [BG: from memory of the standard; verify the wording]. */
public enum DischargePattern {
    CONTINUOUS_STABLE(1, "连续排放，流量稳定"),
    CONTINUOUS_PERIODIC(2, "连续排放，流量不稳定，但有周期性规律"),
    CONTINUOUS_REGULAR(3, "连续排放，流量不稳定，但有规律，且不属于周期性规律"),
    CONTINUOUS_SURGE(4, "连续排放，流量不稳定，属于冲击型排放"),
    CONTINUOUS_IRREGULAR(5, "连续排放，流量不稳定且无规律，但不属于冲击型排放"),
    INTERMITTENT_STABLE(6, "间断排放，排放期间流量稳定"),
    INTERMITTENT_PERIODIC(7, "间断排放，排放期间流量不稳定，但有周期性规律"),
    INTERMITTENT_REGULAR(8, "间断排放，排放期间流量不稳定，但有规律，且不属于非周期性规律"),
    INTERMITTENT_SURGE(9, "间断排放，排放期间流量不稳定，属于冲击型排放"),
    INTERMITTENT_IRREGULAR(10, "间断排放，排放期间流量不稳定且无规律，但不属于冲击型排放");

    private final int code;
    private final String zh;

    DischargePattern(int code, String zh) {
        this.code = code;
        this.zh = zh;
    }

    public int code() { return code; }
    public String zh() { return zh; }
}
