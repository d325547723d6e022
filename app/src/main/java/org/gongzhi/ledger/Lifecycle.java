package org.gongzhi.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an outfall stands in 查、测、溯、治、管 (国办函〔2022〕17号; outfall-regulation.md §2.3). An outfall found by
 * remote sensing starts SUSPECTED; a field check makes it VERIFIED or NOT_AN_OUTFALL; 取缔/合并 end in CANCELLED.
 */
public enum Lifecycle {
    SUSPECTED("疑似", "Suspected"),
    VERIFIED("已核实", "Verified"),
    MONITORED("已监测", "Monitored"),
    TRACED("已溯源", "Traced"),
    REMEDIATION_PLANNED("整治中", "Remediation planned"),
    REMEDIATED("已整治", "Remediated"),
    UNDER_SUPERVISION("纳入监管", "Under supervision"),
    CANCELLED("已注销", "Cancelled"),
    NOT_AN_OUTFALL("非排污口", "Not an outfall");

    private final String zh;
    private final String en;

    Lifecycle(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() { return zh; }
    public String en() { return en; }

    /**
     * The states an outfall may move to from this one. Steps may be skipped forward (an outfall already known
     * and approved goes straight to UNDER_SUPERVISION), but not backward, except that a supervised outfall can
     * be sent back to remediation after a finding, and a wrong NOT_AN_OUTFALL verdict can be reopened.
     */
    public Set<Lifecycle> next() {
        return switch (this) {
            case SUSPECTED -> EnumSet.of(VERIFIED, MONITORED, TRACED, REMEDIATION_PLANNED, UNDER_SUPERVISION, NOT_AN_OUTFALL, CANCELLED);
            case VERIFIED -> EnumSet.of(MONITORED, TRACED, REMEDIATION_PLANNED, UNDER_SUPERVISION, NOT_AN_OUTFALL, CANCELLED);
            case MONITORED -> EnumSet.of(TRACED, REMEDIATION_PLANNED, UNDER_SUPERVISION, CANCELLED);
            case TRACED -> EnumSet.of(REMEDIATION_PLANNED, UNDER_SUPERVISION, CANCELLED);
            case REMEDIATION_PLANNED -> EnumSet.of(REMEDIATED, CANCELLED);
            case REMEDIATED -> EnumSet.of(UNDER_SUPERVISION, CANCELLED);
            case UNDER_SUPERVISION -> EnumSet.of(REMEDIATION_PLANNED, CANCELLED);
            case CANCELLED -> EnumSet.noneOf(Lifecycle.class);
            case NOT_AN_OUTFALL -> EnumSet.of(SUSPECTED, VERIFIED);
        };
    }

    public boolean canMoveTo(Lifecycle target) {
        return target == this || next().contains(target);
    }
}
