package org.gongzhi.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.monitoring.MeasurementQueries;
import org.gongzhi.platform.CurrentUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The compliance dashboard of the caller's jurisdiction: outfalls ranked by open findings (chronic/TRC first), the
 * monthly trend of violations, and data completeness of the ranked outfalls over the last 30 days. Findings are
 * grouped per outfall in SQL; which outfalls the caller may see is decided by the ledger's scoped query
 * ({@link LedgerLookup#visible}), so nothing outside the jurisdiction is counted or shown.
 */
@Service
class Dashboard {

    static final int COMPLETENESS_DAYS = 30;

    record Ranked(long outfallId, String nationalCode, String name, String regionCode, int open, int chronic,
                  int violations, int insufficient, int offline, Instant latest, Integer completenessPercent) {
    }

    record Month(YearMonth month, int violations, int outfalls) {
    }

    record View(List<Ranked> outfalls, List<Month> trend, int outfallsWithOpenFindings) {
    }

    private final JdbcClient jdbc;
    private final LedgerLookup lookup;
    private final MeasurementQueries measurements;

    Dashboard(JdbcClient jdbc, LedgerLookup lookup, MeasurementQueries measurements) {
        this.jdbc = jdbc;
        this.lookup = lookup;
        this.measurements = measurements;
    }

    View view(CurrentUser user, int months, int top) {
        int m = Math.min(Math.max(months, 1), 24);
        int n = Math.min(Math.max(top, 1), 200);
        record Counts(long outfall, int open, int chronic, int violations, int insufficient, int offline, Instant latest) {
        }
        List<Counts> counts = jdbc.sql("""
                SELECT outfall_id, count(*) FILTER (WHERE status = 'OPEN'),
                       count(*) FILTER (WHERE kind IN ('CHRONIC', 'TRC')),
                       count(*) FILTER (WHERE kind = 'VIOLATION'),
                       count(*) FILTER (WHERE kind IN ('INSUFFICIENT_DATA', 'MISSING_DATA')),
                       count(*) FILTER (WHERE kind = 'DEVICE_OFFLINE'), max(updated_at)
                FROM finding WHERE status <> 'RESOLVED'
                GROUP BY outfall_id""")
                .query((rs, i) -> new Counts(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getTimestamp(7).toInstant()))
                .list();
        Map<Long, LedgerLookup.OutfallRef> visible = lookup.visible(counts.stream().map(Counts::outfall).toList(), user);
        List<Counts> mine = counts.stream().filter(c -> visible.containsKey(c.outfall()))
                .sorted(Comparator.comparingInt(Counts::chronic).reversed().thenComparing(Comparator.comparingInt(Counts::open).reversed())
                        .thenComparing(Counts::latest, Comparator.reverseOrder()))
                .toList();
        LocalDate today = LocalDate.now(Evaluator.CHINA);
        Instant since = Evaluator.dayStart(today.minusDays(COMPLETENESS_DAYS));
        Instant until = Evaluator.dayStart(today);
        List<Ranked> ranked = new ArrayList<>();
        for (Counts c : mine.subList(0, Math.min(n, mine.size()))) {
            var ref = visible.get(c.outfall());
            ranked.add(new Ranked(c.outfall(), ref.nationalCode(), ref.name(), ref.regionCode(), c.open(), c.chronic(),
                    c.violations(), c.insufficient(), c.offline(), c.latest(), completeness(c.outfall(), since, until)));
        }

        YearMonth first = YearMonth.now(Evaluator.CHINA).minusMonths(m - 1);
        Map<YearMonth, int[]> trend = new LinkedHashMap<>();
        for (YearMonth x = first; !x.isAfter(YearMonth.now(Evaluator.CHINA)); x = x.plusMonths(1)) {
            trend.put(x, new int[2]);
        }
        record PerMonth(long outfall, YearMonth month, int violations) {
        }
        List<PerMonth> rows = jdbc.sql("""
                SELECT outfall_id, to_char(window_start AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), count(*)
                FROM finding WHERE kind = 'VIOLATION' AND window_start >= ?
                  AND NOT (status = 'RESOLVED' AND status_by = 'system')
                GROUP BY 1, 2""")
                .param(java.sql.Timestamp.from(Evaluator.dayStart(first.atDay(1))))
                .query((rs, i) -> new PerMonth(rs.getLong(1), YearMonth.parse(rs.getString(2)), rs.getInt(3))).list();
        Map<Long, LedgerLookup.OutfallRef> visibleTrend = lookup.visible(rows.stream().map(PerMonth::outfall).distinct().toList(), user);
        for (PerMonth p : rows) {
            int[] t = trend.get(p.month());
            if (t != null && visibleTrend.containsKey(p.outfall())) {
                t[0] += p.violations();
                t[1]++;
            }
        }
        List<Month> months12 = new ArrayList<>();
        trend.forEach((k, v) -> months12.add(new Month(k, v[0], v[1])));
        return new View(ranked, months12, (int) mine.stream().filter(c -> c.open() > 0).count());
    }

    /**
     * Hours with any value of the outfall's most complete factor in [since, until), as a percentage of the hours in
     * that span; null when the outfall sent nothing (no online monitoring, or offline the whole time).
     */
    private Integer completeness(long outfallId, Instant since, Instant until) {
        Map<String, Integer> hours = new HashMap<>();
        for (var h : measurements.hoursPerDay(outfallId, since, until)) {
            hours.merge(h.factor(), Math.min(h.hours(), 24), Integer::sum);
        }
        return hours.values().stream().max(Integer::compare)
                .map(h -> (int) Math.round(100.0 * h / (COMPLETENESS_DAYS * 24))).orElse(null);
    }
}
