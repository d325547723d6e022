package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One limit (排放限值), the ICIS model of anchors-and-standards.md §1.1: factor × statistic × unit with a comparison,
 * a condition, validity dates and a source with its clause. A limit comes either from a standard pack row
 * ({@code packLimitId}, pack code and version, grade, industry scope) or is specific to an outfall
 * ({@code outfallLimitId}: an approval decision, a permit or a local rule).
 *
 * @param value the bound for LE/GE; for RANGE null, with {@code low} and {@code high}
 * @param scope for GB 8978 Table 4 the industry row (“其他”, “城镇二级污水处理厂”, …); "all" otherwise
 */
record Limit(Long packLimitId, Long outfallLimitId, String packCode, Integer packVersion, String grade, String factor,
             Statistic statistic, Comparison comparison, BigDecimal value, BigDecimal low, BigDecimal high, String unit,
             Condition condition, String scope, Source source, String clause, String note, LocalDate validFrom,
             LocalDate validTo) {

    /** The statistical base a value is computed on before it is compared (§1.2 statistical bases). */
    enum Statistic { INSTANT, HOURLY_MEAN, DAILY_MEAN, MONTHLY_MEAN, DAILY_MAX, DAILY_MIN }

    /** ≤ value (AVG/MAX limits), ≥ value (MIN limits: DO), or low ≤ x ≤ high (pH 6–9). Equal is compliant. */
    enum Comparison { LE, GE, RANGE }

    /** When a limit applies. GB 18918 §3.1 note ②, the TP construction-date split; GB 3838 §3.3 water-body type. */
    enum Condition {
        NONE, WATER_TEMP_GT_12, WATER_TEMP_LE_12, BUILT_BEFORE_2006, BUILT_FROM_2006, RIVER, LAKE_RESERVOIR
    }

    /** Where a limit comes from (the issue: approval decision, discharge permit, national or local standard). */
    enum Source { DECISION, PERMIT, NATIONAL, LOCAL }

    static Limit le(String factor, Statistic statistic, String value, String unit) {
        return new Limit(null, null, null, null, null, factor, statistic, Comparison.LE, new BigDecimal(value), null,
                null, unit, Condition.NONE, "all", Source.NATIONAL, null, null, null, null);
    }

    Limit withCondition(Condition c) {
        return new Limit(packLimitId, outfallLimitId, packCode, packVersion, grade, factor, statistic, comparison, value,
                low, high, unit, c, scope, source, clause, note, validFrom, validTo);
    }

    Limit withPack(String code, int version, String grade, String clause) {
        return new Limit(packLimitId, outfallLimitId, code, version, grade, factor, statistic, comparison, value, low,
                high, unit, condition, scope, source, clause, note, validFrom, validTo);
    }

    boolean validOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validTo == null || day.isBefore(validTo));
    }

    /** How the limit reads, e.g. "≤ 50 mg/L 日均值" or "6–9 日均值". */
    public String describe() {
        String u = unit == null || unit.isEmpty() ? "" : " " + unit;
        return switch (comparison) {
            case LE -> "≤ " + value.toPlainString() + u;
            case GE -> "≥ " + value.toPlainString() + u;
            case RANGE -> low.toPlainString() + "–" + high.toPlainString() + u;
        } + " " + statistic;
    }
}
