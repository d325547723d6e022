package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ECHO/ICIS rolling-window tests of anchors-and-standards.md §1.4 (b), over calendar months (YearMonth, so a
 * window runs across year ends):
 * <ol>
 *   <li><b>Chronic</b>: the same limit exceeded, by any amount, in ≥ 4 of any 6 consecutive months.</li>
 *   <li><b>TRC</b>: the value ≥ TRC × limit in ≥ 2 months of any 6-month period, TRC = 1.4 for group I
 *       (conventional) and 1.2 for group II (toxic); factors without a group (pH, bacteria, colour) get no TRC test.</li>
 * </ol>
 * Under the 1995 revision (§1.4 (b) 3) non-monthly limits (our daily means) get the same tests: a month counts as
 * exceeded when any value of that limit exceeded in it, and its ratio is the worst ratio of that month.
 * A month without data counts as not exceeded.
 */
final class RollingWindows {

    static final int SPAN = 6;
    static final int CHRONIC_MONTHS = 4;
    static final int TRC_MONTHS = 2;

    private RollingWindows() {
    }

    /** One month of one limit: exceeded at all, and the worst value ÷ limit seen (null when not known). */
    record Month(YearMonth month, boolean exceeded, BigDecimal worstRatio) {
    }

    enum Kind { CHRONIC, TRC }

    /** A window that meets a test: its first and last month and the months that counted. */
    record Window(Kind kind, YearMonth first, YearMonth last, List<YearMonth> counted) {
    }

    /** Every window containing one of the {@code changed} months that meets the chronic or TRC test. */
    static List<Window> containing(Map<YearMonth, Month> months, Collection<YearMonth> changed, Factor.TrcGroup group) {
        TreeMap<String, Window> found = new TreeMap<>();
        for (YearMonth c : changed) {
            for (int back = SPAN - 1; back >= 0; back--) {
                YearMonth first = c.minusMonths(back);
                test(months, first, group).forEach(w -> found.putIfAbsent(w.kind() + "@" + w.first(), w));
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The tests on the one window starting at {@code first}. */
    static List<Window> test(Map<YearMonth, Month> months, YearMonth first, Factor.TrcGroup group) {
        YearMonth last = first.plusMonths(SPAN - 1);
        List<YearMonth> exceeded = new ArrayList<>();
        List<YearMonth> overTrc = new ArrayList<>();
        for (int i = 0; i < SPAN; i++) {
            Month m = months.get(first.plusMonths(i));
            if (m == null) {
                continue;
            }
            if (m.exceeded()) {
                exceeded.add(m.month());
            }
            if (group != null && m.worstRatio() != null
                    && m.worstRatio().compareTo(BigDecimal.valueOf(group.multiplier)) >= 0) {
                overTrc.add(m.month());
            }
        }
        List<Window> out = new ArrayList<>(2);
        if (exceeded.size() >= CHRONIC_MONTHS) {
            out.add(new Window(Kind.CHRONIC, first, last, exceeded));
        }
        if (overTrc.size() >= TRC_MONTHS) {
            out.add(new Window(Kind.TRC, first, last, overTrc));
        }
        return out;
    }
}
