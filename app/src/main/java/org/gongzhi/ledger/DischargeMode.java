package org.gongzhi.ledger;

/** 排放方式 of the outfall's 口门. [BG] A working list; extend it here when HJ 1309/HJ 1314 code lists are obtained. */
public enum DischargeMode {
    OPEN_CHANNEL("明渠"), CLOSED_PIPE("暗管"), CULVERT_SLUICE("涵闸"), PUMP_STATION("泵站"), SUBMERGED("水下排放"),
    OTHER("其他");

    private final String zh;

    DischargeMode(String zh) {
        this.zh = zh;
    }

    public String zh() { return zh; }
}
