package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges values against one limit. Pure Java, no I/O: the engine feeds it what it read; the tests feed it
 * hand-computed cases (docs/compliance.md lists the clause each rule comes from).
 *
 * <ul>
 *   <li>Equal to the limit is compliant; LE exceeds when value &gt; limit, GE when value &lt; limit, RANGE outside
 *       [low, high] (§1.4 (a)). Arithmetic is decimal (a mean of 0.2, 0.3, 0.4 is exactly 0.3), so a value equal
 *       to the limit is never turned into an exceedance by binary rounding.</li>
 *   <li>Exceedance percent = (value − limit) / limit × 100, mirrored for GE and for the low end of a range
 *       (§1.4 (a)), two decimals, half up.</li>
 *   <li>Values with an excluded flag (default F, M, C, D, B and the 2005 P: hj212.md §7) are left out of every
 *       statistic and reported back; a value without a flag counts as N.</li>
 *   <li>A day is the calendar day in Asia/Shanghai. A daily statistic needs {@link Rules#minValidHours} distinct
 *       valid hours; with fewer, a finished day is {@link Status#INSUFFICIENT_DATA} (like ICIS D80), an unfinished
 *       one {@link Status#PENDING}. A daily maximum or minimum that is already broken is an exceedance however few
 *       hours there are.</li>
 * </ul>
 */
final class Evaluator {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

    private Evaluator() {
    }

    /** What to do with NH3-N when no water temperature was measured that day (GB 18918 §3.1 note ②). */
    enum TemperatureFallback {
        /** apply the figure outside the brackets (the > 12 °C value, the stricter one); the finding says why */
        STRICT,
        /** no judgement: the day is insufficient data for the temperature-dependent limit */
        INSUFFICIENT
    }

    /**
     * The configurable rules (gongzhi.compliance.*).
     *
     * @param minValidHours        valid hours a daily statistic needs (default 20 of 24)
     * @param minValidDays         valid daily values a monthly mean needs (default 1)
     * @param excludedFlags        HJ 212 data flags left out of statistics (default F, M, C, D, B, P)
     * @param temperatureMissing   NH3-N without a water-temperature reading (default STRICT)
     */
    record Rules(int minValidHours, int minValidDays, Set<String> excludedFlags, TemperatureFallback temperatureMissing) {

        static final Set<String> DEFAULT_EXCLUDED = Set.of("F", "M", "C", "D", "B", "P");

        Rules {
            if (minValidHours < 1 || minValidHours > 24) {
                throw new IllegalArgumentException("minValidHours must be 1..24, was " + minValidHours);
            }
            excludedFlags = excludedFlags.stream().map(f -> f.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }

        static Rules defaults() {
            return new Rules(20, 1, DEFAULT_EXCLUDED, TemperatureFallback.STRICT);
        }

        Rules withMinValidHours(int hours) {
            return new Rules(hours, minValidDays, excludedFlags, temperatureMissing);
        }

        Rules withTemperatureMissing(TemperatureFallback fallback) {
            return new Rules(minValidHours, minValidDays, excludedFlags, fallback);
        }

        boolean excluded(String flag) {
            return flag != null && excludedFlags.contains(flag.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One value as stored: when, the value (Rtd for real-time rows, else Avg), its HJ 212 flag. */
    record Sample(Instant time, Double value, String flag) {
        static Sample of(String chinaDateTime, double value) {
            return of(chinaDateTime, value, "N");
        }

        static Sample of(String chinaDateTime, double value, String flag) {
            return new Sample(java.time.LocalDateTime.parse(chinaDateTime).atZone(CHINA).toInstant(), value, flag);
        }
    }

    enum Status { COMPLIANT, EXCEEDANCE, INSUFFICIENT_DATA, PENDING, NOT_EVALUATED }

    /**
     * The judgement with everything needed to recompute it.
     *
     * @param value             the statistic that was compared (null without one)
     * @param exceedancePercent how far beyond the limit, for EXCEEDANCE
     * @param ratio             value ÷ limit (limit ÷ value for GE), for the TRC test; null for RANGE
     * @param validCount        valid hours (daily), valid days (monthly) or 1
     * @param required          how many were required
     */
    record Outcome(Status status, BigDecimal value, BigDecimal exceedancePercent, BigDecimal ratio, int validCount,
                   int required, List<Sample> used, List<Sample> excluded, String note) {

        boolean exceeded() {
            return status == Status.EXCEEDANCE;
        }
    }

    /** The conditions a limit may depend on. */
    record Context(Double waterTemperature, Boolean builtBefore2006, Limit.Condition waterBody) {
        static Context none() {
            return new Context(null, null, null);
        }
    }

    /** The limit that applies (or none) and why. */
    record Selection(Limit limit, boolean insufficient, String note) {
    }

    /**
     * Picks, among the limits of one factor and statistic (a pack's split rows), the one whose condition holds:
     * NH3-N by water temperature (> 12 °C: the figure outside the brackets; ≤ 12 °C: the figure inside, GB 18918
     * Table 1 note ②), TP by construction date (built ≤ 2005-12-31 vs ≥ 2006-01-01; unknown counts as the newer,
     * stricter row), river vs lake/reservoir (GB 3838; unknown counts as river, so lake-only TN does not apply).
     */
    static Selection select(List<Limit> candidates, Context ctx, Rules rules) {
        boolean temperatureDependent = candidates.stream().anyMatch(l -> l.condition() == Limit.Condition.WATER_TEMP_GT_12
                || l.condition() == Limit.Condition.WATER_TEMP_LE_12);
        if (temperatureDependent && ctx.waterTemperature() == null && rules.temperatureMissing() == TemperatureFallback.INSUFFICIENT) {
            return new Selection(null, true, "无水温数据，无法确定氨氮限值 / no water temperature, the NH3-N limit cannot be chosen");
        }
        String note = temperatureDependent && ctx.waterTemperature() == null
                ? "无水温数据，按水温>12℃限值判定 / no water temperature: the > 12 °C limit applies" : null;
        for (Limit l : candidates) {
            if (holds(l.condition(), ctx)) {
                return new Selection(l, false, note);
            }
        }
        return new Selection(null, false, null);
    }

    private static boolean holds(Limit.Condition c, Context ctx) {
        Double t = ctx.waterTemperature();
        return switch (c) {
            case NONE -> true;
            case WATER_TEMP_GT_12 -> t == null || BigDecimal.valueOf(t).compareTo(TWELVE) > 0;
            case WATER_TEMP_LE_12 -> t != null && BigDecimal.valueOf(t).compareTo(TWELVE) <= 0;
            case BUILT_BEFORE_2006 -> Boolean.TRUE.equals(ctx.builtBefore2006());
            case BUILT_FROM_2006 -> !Boolean.TRUE.equals(ctx.builtBefore2006());
            case RIVER -> ctx.waterBody() == null || ctx.waterBody() == Limit.Condition.RIVER;
            case LAKE_RESERVOIR -> ctx.waterBody() == Limit.Condition.LAKE_RESERVOIR;
        };
    }

    // ---- single values ---------------------------------------------------------------------------------------

    /** One value against a limit: an instantaneous limit, an hourly mean, or the early warning against a daily one. */
    static Outcome instant(Limit limit, Sample s, Rules rules) {
        if (s.value() == null) {
            return new Outcome(Status.NOT_EVALUATED, null, null, null, 0, 1, List.of(), List.of(), "no value");
        }
        if (rules.excluded(s.flag())) {
            return new Outcome(Status.NOT_EVALUATED, null, null, null, 0, 1, List.of(), List.of(s),
                    "flag " + s.flag() + " excluded");
        }
        return judge(limit, BigDecimal.valueOf(s.value()), 1, 1, List.of(s), List.of(), null);
    }

    /** A value already computed (a logger's own daily value, a monthly mean) against a limit. */
    static Outcome judge(Limit limit, BigDecimal v, int validCount, int required, List<Sample> used,
                         List<Sample> excluded, String note) {
        Thresholds t = thresholds(limit);
        if (t == null) {
            return new Outcome(Status.NOT_EVALUATED, v, null, null, validCount, required, used, excluded,
                    "load limits (" + limit.unit() + ") are not evaluated yet");
        }
        BigDecimal pct = null;
        BigDecimal ratio = null;
        switch (limit.comparison()) {
            case LE -> {
                ratio = t.value.signum() == 0 ? null : v.divide(t.value, MC);
                if (v.compareTo(t.value) > 0) {
                    pct = percent(v.subtract(t.value), t.value);
                }
            }
            case GE -> {
                ratio = v.signum() == 0 ? null : t.value.divide(v, MC);
                if (v.compareTo(t.value) < 0) {
                    pct = percent(t.value.subtract(v), t.value);
                }
            }
            case RANGE -> {
                if (v.compareTo(t.high) > 0) {
                    pct = percent(v.subtract(t.high), t.high);
                } else if (v.compareTo(t.low) < 0) {
                    pct = percent(t.low.subtract(v), t.low);
                }
            }
        }
        return new Outcome(pct == null ? Status.COMPLIANT : Status.EXCEEDANCE, v, pct, ratio, validCount, required,
                used, excluded, note);
    }

    private static BigDecimal percent(BigDecimal over, BigDecimal base) {
        if (base.signum() == 0) {
            return null;
        }
        return over.multiply(HUNDRED).divide(base, MC).setScale(2, RoundingMode.HALF_UP);
    }

    private record Thresholds(BigDecimal value, BigDecimal low, BigDecimal high) {
    }

    private static final Thresholds LOAD = new Thresholds(null, null, null);
    /**
     * Converted bounds per limit: a backfill judges millions of values against a few hundred limits, and converting
     * the bounds for each value was a fifth of its CPU. Limits are immutable values; the cache is dropped when it
     * grows past {@code 10,000} (far more limits than a deployment has in force).
     */
    private static final Map<Limit, Thresholds> THRESHOLDS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The limit's bounds in the factor's HJ 212 unit, or null for a load (mass/volume) limit. */
    private static Thresholds thresholds(Limit limit) {
        Thresholds t = THRESHOLDS.get(limit);
        if (t == null) {
            if (THRESHOLDS.size() > 10_000) {
                THRESHOLDS.clear();
            }
            t = convertedBounds(limit);
            THRESHOLDS.put(limit, t == null ? LOAD : t);
        }
        return t == LOAD ? null : t;
    }

    /**
     * Whether a single value might break the limit: false only when it is clearly inside (more than a millionth of
     * the bound away), so that the exact decimal judgement ({@link #instant}) is needed only near or beyond a bound.
     */
    static boolean mayBreak(Limit limit, double v) {
        Thresholds t = thresholds(limit);
        if (t == null) {
            return false;
        }
        return switch (limit.comparison()) {
            case LE -> v >= near(t.value, -1);
            case GE -> v <= near(t.value, 1);
            case RANGE -> v >= near(t.high, -1) || v <= near(t.low, 1);
        };
    }

    /** A bound moved by a millionth of itself (and 1e-9) towards the inside ({@code sign} −1: below, 1: above). */
    private static double near(BigDecimal bound, int sign) {
        double b = bound.doubleValue();
        return b + sign * (Math.abs(b) * 1e-6 + 1e-9);
    }

    private static Thresholds convertedBounds(Limit limit) {
        Factor f = Factor.of(limit.factor()).orElse(null);
        if (f == null) {
            return new Thresholds(limit.value(), limit.low(), limit.high());
        }
        Units.Dimension d = Units.dimensionOf(limit.unit()).orElse(f.dimension);
        if (d != f.dimension) {
            return null;
        }
        return new Thresholds(conv(f, limit.value(), limit.unit()), conv(f, limit.low(), limit.unit()),
                conv(f, limit.high(), limit.unit()));
    }

    private static BigDecimal conv(Factor f, BigDecimal v, String unit) {
        return v == null ? null : Units.toFactorUnit(f, v, unit == null ? f.unit : unit);
    }

    // ---- daily statistics ------------------------------------------------------------------------------------

    static Instant dayStart(LocalDate day) {
        return day.atStartOfDay(CHINA).toInstant();
    }

    static LocalDate chinaDay(Instant t) {
        return t.atZone(CHINA).toLocalDate();
    }

    /**
     * A daily statistic (DAILY_MEAN, DAILY_MAX, DAILY_MIN) of one China day from hourly values: several values in
     * one hour are averaged into that hour first; the daily mean is the arithmetic mean of the valid hours.
     * Values outside the day are ignored.
     */
    static Outcome daily(Limit limit, List<Sample> samples, LocalDate day, Instant now, Rules rules) {
        Instant start = dayStart(day);
        Instant end = dayStart(day.plusDays(1));
        List<Sample> used = new ArrayList<>();
        List<Sample> excluded = new ArrayList<>();
        // several values in one hour are averaged into that hour first; the hours in time order
        TreeMap<Long, HourSum> hours = new TreeMap<>();
        for (Sample s : samples) {
            if (s.time().isBefore(start) || !s.time().isBefore(end) || s.value() == null) {
                continue;
            }
            if (rules.excluded(s.flag())) {
                excluded.add(s);
                continue;
            }
            used.add(s);
            HourSum h = hours.computeIfAbsent(Math.floorDiv(s.time().getEpochSecond(), 3600), k -> new HourSum());
            BigDecimal v = BigDecimal.valueOf(s.value());
            h.sum = h.count == 0 ? v : h.sum.add(v);
            h.count++;
        }
        List<BigDecimal> hourly = new ArrayList<>(hours.size());
        for (HourSum h : hours.values()) {
            // exactly mean() of the hour's values (one value: rounded to the same 16 digits as a division by 1)
            hourly.add((h.count == 1 ? h.sum.round(MC) : h.sum.divide(BigDecimal.valueOf(h.count), MC)).stripTrailingZeros());
        }
        int valid = hourly.size();
        boolean enough = valid >= rules.minValidHours();
        boolean over = !end.isAfter(now);
        String note = excluded.isEmpty() ? null : excluded.size() + " value(s) excluded by flag";
        switch (limit.statistic()) {
            case DAILY_MEAN -> {
                if (!enough) {
                    return insufficient(over, valid, rules.minValidHours(), used, excluded, note);
                }
                return judge(limit, mean(hourly), valid, rules.minValidHours(), used, excluded, note);
            }
            case DAILY_MAX, DAILY_MIN -> {
                if (hourly.isEmpty()) {
                    return insufficient(over, 0, rules.minValidHours(), used, excluded, note);
                }
                BigDecimal extreme = limit.statistic() == Limit.Statistic.DAILY_MAX
                        ? hourly.stream().max(BigDecimal::compareTo).orElseThrow()
                        : hourly.stream().min(BigDecimal::compareTo).orElseThrow();
                Outcome o = judge(limit, extreme, valid, rules.minValidHours(), used, excluded, note);
                return o.exceeded() || enough ? o : insufficient(over, valid, rules.minValidHours(), used, excluded, note);
            }
            default -> throw new IllegalArgumentException("not a daily statistic: " + limit.statistic());
        }
    }

    /**
     * Whether a daily statistic is clearly compliant, computed in doubles: enough valid hours and the statistic more
     * than a millionth of the bound inside it, so that the exact decimal judgement ({@link #daily}) would say
     * COMPLIANT too. Most days of most outfalls are; the backfill then skips the decimal arithmetic and the lists a
     * finding would need. False means "judge exactly", never "exceeded".
     */
    static boolean clearlyCompliant(Limit limit, List<Sample> samples, LocalDate day, Rules rules) {
        Thresholds t = thresholds(limit);
        if (t == null || !DAILY_STATISTICS.contains(limit.statistic())) {
            return false;
        }
        long start = dayStart(day).getEpochSecond();
        double[] sum = new double[24];
        int[] count = new int[24];
        for (Sample s : samples) {
            long offset = s.time().getEpochSecond() - start;
            if (offset < 0 || offset >= 86_400 || s.value() == null || rules.excluded(s.flag())) {
                continue;
            }
            int h = (int) (offset / 3600);
            sum[h] += s.value();
            count[h]++;
        }
        int valid = 0;
        double total = 0;
        double max = -Double.MAX_VALUE;
        double min = Double.MAX_VALUE;
        for (int h = 0; h < 24; h++) {
            if (count[h] > 0) {
                double mean = sum[h] / count[h];
                valid++;
                total += mean;
                max = Math.max(max, mean);
                min = Math.min(min, mean);
            }
        }
        if (valid < rules.minValidHours()) {
            return false;
        }
        double v = switch (limit.statistic()) {
            case DAILY_MAX -> max;
            case DAILY_MIN -> min;
            default -> total / valid;
        };
        return switch (limit.comparison()) {
            case LE -> v < near(t.value, -1);
            case GE -> v > near(t.value, 1);
            case RANGE -> v > near(t.low, 1) && v < near(t.high, -1);
        };
    }

    private static final java.util.Set<Limit.Statistic> DAILY_STATISTICS = java.util.EnumSet.of(Limit.Statistic.DAILY_MEAN,
            Limit.Statistic.DAILY_MAX, Limit.Statistic.DAILY_MIN);

    /** The values of one hour of a day: their decimal sum and how many. */
    private static final class HourSum {
        BigDecimal sum;
        int count;
    }

    private static Outcome insufficient(boolean over, int valid, int required, List<Sample> used, List<Sample> excluded,
                                        String note) {
        String why = "有效小时数 " + valid + " < " + required + " / " + valid + " valid hours < " + required
                + (note == null ? "" : "; " + note);
        return new Outcome(over ? Status.INSUFFICIENT_DATA : Status.PENDING, null, null, null, valid, required, used,
                excluded, why);
    }

    /**
     * A monthly mean (40 CFR 122.2, §1.2: the sum of the daily values of a calendar month ÷ their number) from the
     * valid daily values of the month; insufficient below {@link Rules#minValidDays}.
     */
    static Outcome monthly(Limit limit, Map<LocalDate, BigDecimal> dailyValues, YearMonth month, Instant now, Rules rules) {
        List<BigDecimal> days = dailyValues.entrySet().stream()
                .filter(e -> YearMonth.from(e.getKey()).equals(month) && e.getValue() != null)
                .map(Map.Entry::getValue).toList();
        boolean over = !dayStart(month.plusMonths(1).atDay(1)).isAfter(now);
        if (days.size() < rules.minValidDays()) {
            return new Outcome(over ? Status.INSUFFICIENT_DATA : Status.PENDING, null, null, null, days.size(),
                    rules.minValidDays(), List.of(), List.of(), days.size() + " valid day(s) < " + rules.minValidDays());
        }
        return judge(limit, mean(days), days.size(), rules.minValidDays(), List.of(), List.of(), null);
    }

    static BigDecimal mean(List<BigDecimal> values) {
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return sum.divide(BigDecimal.valueOf(values.size()), MC).stripTrailingZeros();
    }

    /** The daily mean of water temperature (w01010) from valid values of the day, or null without any. */
    static Double meanOf(List<Sample> samples, LocalDate day, Rules rules) {
        Instant start = dayStart(day);
        Instant end = dayStart(day.plusDays(1));
        List<BigDecimal> v = samples.stream()
                .filter(s -> s.value() != null && !rules.excluded(s.flag()) && !s.time().isBefore(start) && s.time().isBefore(end))
                .map(s -> BigDecimal.valueOf(s.value())).toList();
        return v.isEmpty() ? null : mean(v).doubleValue();
    }
}
