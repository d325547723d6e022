package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.stereotype.Service;

/**
 * What the public may know of an outfall's compliance (办法: the party discloses its outfall's information and the
 * public is encouraged to supervise, outfall-regulation.md §1.12): the limits in force today with where each comes
 * from, and a 12-month summary per factor in the effluent chart's own month statuses (the ECHO model,
 * anchors-and-standards.md §1.3). Both are computed by the same code as the staff pages ({@link StandardPacks#effective},
 * {@link EffluentCharts#matrix}), so the public never sees a different judgement. Deliberately not scoped to a
 * jurisdiction: callers hold an outfall id from the ledger's public read. No findings' details, no values behind
 * them, no acknowledgements: only the facts a signboard's reader needs.
 */
@Service
public class PublicCompliance {

    /**
     * A limit in force.
     *
     * @param statistic  INSTANT, HOURLY_MEAN, DAILY_MEAN, MONTHLY_MEAN, DAILY_MAX or DAILY_MIN
     * @param comparison LE (≤ value), GE (≥ value) or RANGE (low–high)
     * @param condition  when it applies: NONE, WATER_TEMP_GT_12, WATER_TEMP_LE_12, BUILT_BEFORE_2006,
     *                   BUILT_FROM_2006, RIVER, LAKE_RESERVOIR (GB 18918 §3.1 note ②, GB 3838 §3.3)
     * @param source     DECISION, PERMIT, NATIONAL or LOCAL
     * @param packCode   the standard (e.g. GB18918-2002) with {@code packVersion} and {@code grade}; null for a limit
     *                   specific to the outfall
     * @param clause     the standard's clause, or the decision's number for a DECISION limit
     */
    public record LimitInForce(String factor, String factorZh, String factorEn, String statistic, String comparison,
                               BigDecimal value, BigDecimal low, BigDecimal high, String unit, String condition,
                               String source, String packCode, Integer packVersion, String grade, String clause,
                               LocalDate validFrom) {
    }

    /** A month's status of a factor, worst first, as the effluent chart colours it. */
    public enum MonthStatus { CHRONIC, VIOLATION, INSUFFICIENT_DATA, COMPLIANT, NO_LIMIT }

    public record Month(YearMonth month, MonthStatus status) {
    }

    public record FactorSummary(String factor, String nameZh, String nameEn, List<Month> months) {
    }

    /**
     * The last 12 months (China time, the current month last) per limited factor; {@code withoutData}: factors that
     * have a limit but no monitoring data at all in the window.
     */
    public record Summary(YearMonth from, YearMonth to, List<FactorSummary> factors, List<FactorSummary> withoutData) {
    }

    private final StandardPacks packs;
    private final EffluentCharts charts;

    PublicCompliance(StandardPacks packs, EffluentCharts charts) {
        this.packs = packs;
        this.charts = charts;
    }

    /** The limits in force for the outfall on {@code day}, by factor and statistic. */
    public List<LimitInForce> limitsInForce(long outfallId, LocalDate day) {
        var effective = packs.effective(outfallId, day, packs.assignments(outfallId), packs.outfallLimits(outfallId));
        return effective.all().stream()
                .sorted(Comparator.comparing(Limit::factor).thenComparing(Limit::statistic).thenComparing(Limit::condition))
                .map(l -> {
                    var f = Factor.of(l.factor());
                    boolean fromPack = l.packLimitId() != null; // else specific to the outfall (decision, permit, local rule)
                    var a = effective.assignment();
                    return new LimitInForce(l.factor(), f.map(x -> x.nameZh).orElse(l.factor()),
                            f.map(x -> x.nameEn).orElse(l.factor()), l.statistic().name(), l.comparison().name(), l.value(),
                            l.low(), l.high(), l.unit(), l.condition().name(), l.source().name(),
                            fromPack ? l.packCode() : null, fromPack ? l.packVersion() : null, fromPack ? l.grade() : null,
                            l.clause(), fromPack && a != null ? a.validFrom() : l.validFrom());
                })
                .toList();
    }

    /** The effluent chart's last 12 months, reduced to a status per factor and month. */
    public Summary summary(long outfallId) {
        EffluentCharts.Matrix m = charts.matrix(outfallId, null, null, CurrentUser.system());
        List<FactorSummary> rows = new ArrayList<>();
        for (EffluentCharts.Row r : m.rows()) {
            List<Month> months = new ArrayList<>();
            r.months().forEach((month, cell) -> {
                if (cell.status() != EffluentCharts.Cell.FUTURE) {
                    months.add(new Month(month, status(cell.status())));
                }
            });
            rows.add(new FactorSummary(r.factor(), r.nameZh(), r.nameEn(), months));
        }
        List<FactorSummary> withoutData = m.limitedWithoutData().stream().map(code -> {
            var f = Factor.of(code);
            return new FactorSummary(code, f.map(x -> x.nameZh).orElse(code), f.map(x -> x.nameEn).orElse(code), List.of());
        }).toList();
        return new Summary(m.months().get(0), m.months().get(m.months().size() - 1), rows, withoutData);
    }

    private static MonthStatus status(EffluentCharts.Cell c) {
        return switch (c) {
            case CHRONIC -> MonthStatus.CHRONIC;
            case VIOLATION -> MonthStatus.VIOLATION;
            case INSUFFICIENT -> MonthStatus.INSUFFICIENT_DATA;
            case COMPLIANT -> MonthStatus.COMPLIANT;
            case NO_LIMIT, FUTURE -> MonthStatus.NO_LIMIT;
        };
    }
}
