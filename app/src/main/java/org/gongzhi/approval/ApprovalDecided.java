package org.gongzhi.approval;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Published (after commit) when an approval decision (准予设置决定书) takes effect for an outfall. The decision's
 * limits per factor become outfall-specific limits in the compliance engine, with the decision as their source
 * (source DECISION, clause = the decision number), valid from {@code validFrom}; limits of an earlier decision for
 * the same outfall end the day before.
 *
 * @param caseId         the approval case
 * @param outfallId      the outfall in the ledger
 * @param decisionNumber the 决定书 number, e.g. 苏环排口审〔2026〕12号
 * @param decisionDate   the date of the decision
 * @param validFrom      the first day the limits apply
 * @param limits         the permitted limits, one per factor and statistic
 * @param decidedBy      the username of the staff member who decided
 */
public record ApprovalDecided(long caseId, long outfallId, String decisionNumber, LocalDate decisionDate,
                              LocalDate validFrom, List<DecidedLimit> limits, String decidedBy) {

    public ApprovalDecided {
        limits = List.copyOf(limits);
    }

    /**
     * One permitted limit.
     *
     * @param factor     HJ 212-2017 factor code, e.g. w01018 (COD)
     * @param statistic  INSTANT, HOURLY_MEAN, DAILY_MEAN, MONTHLY_MEAN, DAILY_MAX or DAILY_MIN
     * @param comparison LE (≤ value), GE (≥ value) or RANGE (low ≤ x ≤ high)
     * @param value      the bound for LE and GE; null for RANGE
     * @param low        lower bound for RANGE, else null
     * @param high       upper bound for RANGE, else null
     * @param unit       e.g. mg/L, 无量纲 for pH
     */
    public record DecidedLimit(String factor, String statistic, String comparison, BigDecimal value, BigDecimal low,
                               BigDecimal high, String unit) {
    }
}
