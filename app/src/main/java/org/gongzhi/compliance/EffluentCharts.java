package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gongzhi.compliance.Evaluator.Sample;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.monitoring.MeasurementKind;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.stereotype.Service;

/**
 * The effluent charts of an outfall (the ECHO model, anchors-and-standards.md §1.3): a factor × month matrix coloured
 * by the worst status of the month, and behind each cell the month's values with the limit in force each day, the
 * excluded values with their flags and the findings. Statuses come from the stored findings (the same rows the
 * engine writes), data presence from the measurement store; nothing is judged twice in different ways.
 */
@Service
class EffluentCharts {

    /** Worst first: red (chronic/TRC), yellow (violation), grey (insufficient data), blue (compliant), none. */
    enum Cell { CHRONIC, VIOLATION, INSUFFICIENT, COMPLIANT, NO_LIMIT, FUTURE }

    record CellInfo(Cell status, int violations, int insufficient, int dataDays, int days) {
    }

    record Row(String factor, String nameZh, String nameEn, String unit, Map<YearMonth, CellInfo> months) {
    }

    record Matrix(Outfall outfall, List<YearMonth> months, List<Row> rows, List<String> limitedWithoutData) {
    }

    record Point(Instant t, Double v, String flag, boolean excluded) {
    }

    record Day(LocalDate day, BigDecimal value, String status, BigDecimal limit, BigDecimal low, BigDecimal high,
               String limitText, String clause, int validHours) {
    }

    record Series(long outfallId, String factor, String nameZh, String nameEn, String unit, YearMonth month,
                  List<Point> points, List<Day> days, List<Findings.Finding> findings) {
    }

    private final Ledger ledger;
    private final StandardPacks packs;
    private final Findings findings;
    private final MeasurementQueries measurements;
    private final ComplianceEngine engine;

    EffluentCharts(Ledger ledger, StandardPacks packs, Findings findings, MeasurementQueries measurements,
                   ComplianceEngine engine) {
        this.ledger = ledger;
        this.packs = packs;
        this.findings = findings;
        this.measurements = measurements;
        this.engine = engine;
    }

    static YearMonth month(String value, String field, YearMonth fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return YearMonth.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(FieldProblem.of(field, value, "月份格式应为 YYYY-MM", "a month is written YYYY-MM"));
        }
    }

    /** The matrix for the months [from, to] (at most 36), default the last 12 months (China time). */
    Matrix matrix(long outfallId, YearMonth from, YearMonth to, CurrentUser user) {
        Outfall outfall = ledger.find(outfallId, user);
        YearMonth now = YearMonth.now(Evaluator.CHINA);
        YearMonth last = to == null ? now : to;
        YearMonth first = from == null ? last.minusMonths(11) : from;
        if (first.isAfter(last) || first.plusMonths(35).isBefore(last)) {
            throw new InvalidInputException(FieldProblem.of("from", first, "起止月份须有序且不超过36个月",
                    "from must not be after to, and at most 36 months apart"));
        }
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(m);
        }
        Instant start = Evaluator.dayStart(first.atDay(1));
        Instant end = Evaluator.dayStart(last.plusMonths(1).atDay(1));

        // limits in force: the factors limited in each month (1st, 15th and last day: limits change rarely)
        var assignments = packs.assignments(outfallId);
        var specific = packs.outfallLimits(outfallId);
        Map<YearMonth, Set<String>> limited = new HashMap<>();
        Set<String> limitedFactors = new TreeSet<>();
        for (YearMonth m : months) {
            Set<String> f = new TreeSet<>();
            for (LocalDate d : List.of(m.atDay(1), m.atDay(15), m.atEndOfMonth())) {
                f.addAll(packs.effective(outfallId, d, assignments, specific).factors());
            }
            f.removeIf(x -> x.startsWith("x:"));
            limited.put(m, f);
            limitedFactors.addAll(f);
        }
        // data days per factor and month
        Map<String, Map<YearMonth, Integer>> dataDays = new HashMap<>();
        for (var h : measurements.hoursPerDay(outfallId, start, end)) {
            dataDays.computeIfAbsent(h.factor(), k -> new HashMap<>()).merge(YearMonth.from(h.day()), 1, Integer::sum);
        }
        // findings, also those of chronic/TRC windows that began before the first month
        Map<String, Map<YearMonth, int[]>> counts = new HashMap<>(); // [violations, insufficient, chronic]
        for (Findings.Finding f : findings.overlapping(outfallId, start.minusSeconds(200L * 86400), end)) {
            var byMonth = counts.computeIfAbsent(f.factor(), k -> new HashMap<>());
            switch (f.kind()) {
                case VIOLATION -> byMonth.computeIfAbsent(YearMonth.from(Evaluator.chinaDay(f.windowStart())), k -> new int[3])[0]++;
                case INSUFFICIENT_DATA, MISSING_DATA -> byMonth.computeIfAbsent(YearMonth.from(Evaluator.chinaDay(f.windowStart())), k -> new int[3])[1]++;
                case CHRONIC, TRC -> {
                    for (var m : f.values().path("months")) {
                        byMonth.computeIfAbsent(YearMonth.parse(m.path("month").asString()), k -> new int[3])[2]++;
                    }
                }
                default -> { }
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> withoutData = new ArrayList<>();
        for (String factor : limitedFactors) {
            boolean any = dataDays.containsKey(factor) || counts.containsKey(factor);
            if (!any) {
                withoutData.add(factor);
                continue;
            }
            Map<YearMonth, CellInfo> cells = new LinkedHashMap<>();
            for (YearMonth m : months) {
                int[] c = counts.getOrDefault(factor, Map.of()).getOrDefault(m, new int[3]);
                int data = dataDays.getOrDefault(factor, Map.of()).getOrDefault(m, 0);
                int days = m.equals(now) ? LocalDate.now(Evaluator.CHINA).getDayOfMonth() : m.lengthOfMonth();
                Cell status;
                if (m.isAfter(now)) {
                    status = Cell.FUTURE;
                } else if (!limited.get(m).contains(factor)) {
                    status = Cell.NO_LIMIT;
                } else if (c[2] > 0) {
                    status = Cell.CHRONIC;
                } else if (c[0] > 0) {
                    status = Cell.VIOLATION;
                } else if (c[1] > 0 || data == 0) {
                    status = Cell.INSUFFICIENT;
                } else {
                    status = Cell.COMPLIANT;
                }
                cells.put(m, new CellInfo(status, c[0], c[1], data, days));
            }
            var fac = Factor.of(factor);
            rows.add(new Row(factor, fac.map(x -> x.nameZh).orElse(factor), fac.map(x -> x.nameEn).orElse(factor),
                    fac.map(x -> x.unit).orElse(""), cells));
        }
        return new Matrix(outfall, months, rows, withoutData);
    }

    /**
     * One factor in one month: the hourly values (excluded ones marked), the daily statistic with the limit in force
     * that day as the engine selects it (NH3-N by that day's water temperature), and the findings.
     */
    Series series(long outfallId, String factor, YearMonth month, CurrentUser user) {
        ledger.find(outfallId, user);
        if (factor == null || Factor.of(factor).isEmpty()) {
            throw new InvalidInputException(FieldProblem.of("factor", factor, "不认识的监测因子编码", "unknown factor code"));
        }
        Factor fac = Factor.of(factor).orElseThrow();
        Evaluator.Rules rules = engine.rules();
        Instant start = Evaluator.dayStart(month.atDay(1));
        Instant end = Evaluator.dayStart(month.plusMonths(1).atDay(1));
        var rows = measurements.values(outfallId, EnumSet.allOf(MeasurementKind.class),
                List.of(factor, Factor.WATER_TEMPERATURE.code), start, end);
        Map<String, Map<MeasurementKind, List<Sample>>> byFactor = new HashMap<>();
        for (var r : rows) {
            byFactor.computeIfAbsent(r.factor(), k -> new java.util.EnumMap<>(MeasurementKind.class))
                    .computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(new Sample(r.dataTime(), r.value(), r.flag()));
        }
        List<Sample> hourly = ComplianceEngine.hourly(byFactor.get(factor));
        List<Sample> temperature = ComplianceEngine.hourly(byFactor.get(Factor.WATER_TEMPERATURE.code));
        List<Point> points = hourly.stream().map(s -> new Point(s.time(), s.value(),
                s.flag(), s.flag() != null && rules.excludedFlags().contains(s.flag()))).toList();

        var assignments = packs.assignments(outfallId);
        var specific = packs.outfallLimits(outfallId);
        Map<LocalDate, List<Sample>> perDay = new TreeMap<>();
        hourly.forEach(s -> perDay.computeIfAbsent(Evaluator.chinaDay(s.time()), d -> new ArrayList<>()).add(s));
        List<Day> days = new ArrayList<>();
        Instant now = Instant.now();
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
            var eff = packs.effective(outfallId, d, assignments, specific);
            List<Limit> candidates = null;
            for (var st : List.of(Limit.Statistic.DAILY_MEAN, Limit.Statistic.DAILY_MAX, Limit.Statistic.DAILY_MIN)) {
                candidates = eff.byFactorAndStatistic().get(StandardPacks.Effective.key(factor, st));
                if (candidates != null) {
                    break;
                }
            }
            List<Sample> samples = perDay.getOrDefault(d, List.of());
            if (candidates == null) {
                days.add(new Day(d, null, "NO_LIMIT", null, null, null, null, null, 0));
                continue;
            }
            StandardPacks.Assignment a = eff.assignment();
            LocalDate day = d;
            var ctx = new Evaluator.Context(Evaluator.meanOf(temperature.stream()
                    .filter(s -> Evaluator.chinaDay(s.time()).equals(day)).toList(), d, rules),
                    a == null ? null : a.builtBefore2006(),
                    a == null || a.waterBody() == null ? null : Limit.Condition.valueOf(a.waterBody()));
            var sel = Evaluator.select(candidates, ctx, rules);
            Limit l = sel.limit();
            if (l == null) {
                days.add(new Day(d, null, sel.insufficient() ? "INSUFFICIENT_DATA" : "NO_LIMIT", null, null, null, null,
                        null, 0));
                continue;
            }
            var o = Evaluator.daily(l, samples, d, now, rules);
            days.add(new Day(d, o.value(), samples.isEmpty() ? "NO_DATA" : o.status().name(),
                    l.value() == null ? null : Units.toFactorUnit(fac, l.value(), l.unit()),
                    l.low() == null ? null : Units.toFactorUnit(fac, l.low(), l.unit()),
                    l.high() == null ? null : Units.toFactorUnit(fac, l.high(), l.unit()),
                    l.describe(), l.clause(), o.validCount()));
        }
        List<Findings.Finding> found = findings.overlapping(outfallId, start, end).stream()
                .filter(f -> f.factor().equals(factor)).toList();
        return new Series(outfallId, factor, fac.nameZh, fac.nameEn, fac.unit, month, points, days, found);
    }
}
