package org.gongzhi.ledger;

/** 审批 or 登记, derived from the outfall type (办法: 工矿企业、园区污水处理厂、城镇污水处理厂排污口 are approved). */
public enum Regime {
    APPROVAL("审批", "Approval"), REGISTRATION("登记", "Registration");

    private final String zh;
    private final String en;

    Regime(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() { return zh; }
    public String en() { return en; }
}
