package org.gongzhi.platform;

/** What a user may do; where is decided by the {@link Jurisdiction} of the user's organization. */
public enum Role {
    /** 系统管理员: manages users and organizations within the jurisdiction; an admin of 生态环境部 is national. */
    ADMIN("系统管理员", "Administrator"),
    /** 生态环境部门工作人员: keeps the ledger of the jurisdiction. */
    REGULATOR("监管人员", "Regulator"),
    /** 执法检查人员: reads the ledger of the jurisdiction; inspections come with the supervision module. */
    INSPECTOR("检查人员", "Inspector"),
    /** 责任主体用户: sees only the outfalls of the own organization. */
    PARTY("责任主体", "Responsible party");

    private final String zh;
    private final String en;

    Role(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() { return zh; }
    public String en() { return en; }

    public boolean canEditLedger() {
        return this == ADMIN || this == REGULATOR;
    }
}
