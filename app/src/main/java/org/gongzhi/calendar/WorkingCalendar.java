package org.gongzhi.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Working-day arithmetic on the official calendar. A day is a working day when it is Monday–Friday and not a day
 * off of the notice, or when the notice makes it a make-up working day (调休上班). 《行政许可法》 Art 82: the time
 * limits of licensing count in working days and exclude statutory holidays.
 *
 * <p>The calendar is an immutable snapshot of the loaded notices, replaced when a notice is added, so reads take no
 * lock. Every method throws {@link CalendarNotLoadedException} for a date whose year's notice is not loaded. A
 * notice may list late-December days of the year before (2023's lists 2022-12-31); the later notice wins.
 */
@Service
public class WorkingCalendar {

    /** Longest span one call may count, so that a typo (days=10000000) cannot keep a thread busy. */
    static final int MAX_DAYS = 3660;
    /** How often a request for a year that is not loaded may look in the database for a notice another node added. */
    private static final Duration MISS_RELOAD = Duration.ofMinutes(1);

    private final HolidayNotices notices;
    private final boolean firstDayCounted;
    private volatile Snapshot snapshot = new Snapshot(Set.of(), Map.of());
    private volatile Instant lastMissReload = Instant.EPOCH;

    WorkingCalendar(HolidayNotices notices,
                    @Value("${gongzhi.calendar.first-day-counted:false}") boolean firstDayCounted) {
        this.notices = notices;
        this.firstDayCounted = firstDayCounted;
    }

    /** The loaded years and every listed day, merged by notice year (a later notice overrides an earlier one). */
    record Snapshot(Set<Integer> years, Map<LocalDate, HolidayNotices.NoticeDay> days) {
    }

    /** Rebuilds the snapshot from the database (at start-up and after an administrator adds a notice). */
    void reload() {
        List<HolidayNotices.Notice> all = notices.all(); // ordered by year
        Set<Integer> years = new TreeSet<>();
        Map<LocalDate, HolidayNotices.NoticeDay> days = new HashMap<>();
        for (HolidayNotices.Notice n : all) {
            years.add(n.year());
            for (HolidayNotices.NoticeDay d : n.days()) {
                days.put(d.date(), d);
            }
        }
        snapshot = new Snapshot(Set.copyOf(years), Map.copyOf(days));
    }

    /** The years whose notice is loaded, ascending. */
    public List<Integer> loadedYears() {
        return snapshot.years().stream().sorted().toList();
    }

    public boolean isWorkingDay(LocalDate date) {
        return day(date).working();
    }

    /** Whether {@code date} is a working day, and why. */
    public DayInfo day(LocalDate date) {
        return day(date, "date");
    }

    private DayInfo day(LocalDate date, String field) {
        Snapshot s = loaded(date, field);
        HolidayNotices.NoticeDay listed = s.days().get(date);
        if (listed != null) {
            return listed.off() ? new DayInfo(date, false, DayKind.HOLIDAY, listed.name())
                    : new DayInfo(date, true, DayKind.MAKEUP_WORKDAY, listed.name());
        }
        boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        return weekend ? new DayInfo(date, false, DayKind.WEEKEND, null) : new DayInfo(date, true, DayKind.WORKDAY, null);
    }

    /** The first working day strictly after {@code date}. */
    public LocalDate nextWorkingDay(LocalDate date) {
        return addWorkingDays(date, 1);
    }

    /**
     * The {@code days}-th working day after {@code date}, the date itself not counted: addWorkingDays(Fri, 1) is the
     * next Monday if that is a working day. 0 answers {@code date} itself, whatever day it is. Negative counts back.
     */
    public LocalDate addWorkingDays(LocalDate date, int days) {
        checkSpan("days", days);
        loaded(date, "date");
        int step = days < 0 ? -1 : 1;
        LocalDate d = date;
        for (int left = Math.abs(days); left > 0; ) {
            d = d.plusDays(step);
            if (day(d, "date").working()) {
                left--;
            }
        }
        return d;
    }

    /**
     * The number of working days d with fromExclusive &lt; d ≤ toInclusive; negative (the same count) when
     * toInclusive is before fromExclusive.
     */
    public int workingDaysBetween(LocalDate fromExclusive, LocalDate toInclusive) {
        loaded(fromExclusive, "from");
        loaded(toInclusive, "to");
        if (toInclusive.isBefore(fromExclusive)) {
            return -workingDaysBetween(toInclusive, fromExclusive);
        }
        checkSpan("to", (int) Math.min(Integer.MAX_VALUE, toInclusive.toEpochDay() - fromExclusive.toEpochDay()));
        int n = 0;
        for (LocalDate d = fromExclusive.plusDays(1); !d.isAfter(toInclusive); d = d.plusDays(1)) {
            if (day(d, "to").working()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The last day of a statutory time limit of {@code days} working days that starts on {@code start} (the day of
     * receipt or acceptance), under the configured convention {@code gongzhi.calendar.first-day-counted}: by default
     * (false) the start day is not counted, as 《民法典》 Art 201 counts periods ("开始的当日不计入") and as
     * other-systems.md §4.1 suggests, so this equals {@link #addWorkingDays}. When true and the start is a working
     * day, the start day is day 1.
     */
    public LocalDate deadline(LocalDate start, int days) {
        if (firstDayCounted && days > 0 && isWorkingDay(start)) {
            return addWorkingDays(start, days - 1);
        }
        return addWorkingDays(start, days);
    }

    /** Whether the start day of a time limit counts as its first day (configuration, default false). */
    public boolean firstDayCounted() {
        return firstDayCounted;
    }

    private static void checkSpan(String field, int days) {
        if (Math.abs((long) days) > MAX_DAYS) {
            throw new InvalidInputException(FieldProblem.of(field, days, "跨度不得超过 " + MAX_DAYS + " 天",
                    "the span must not exceed " + MAX_DAYS + " days"));
        }
    }

    private Snapshot loaded(LocalDate date, String field) {
        if (date == null) {
            throw new InvalidInputException(FieldProblem.of(field, null, "必须填写日期", "a date is required"));
        }
        Snapshot s = snapshot;
        if (s.years().contains(date.getYear())) {
            return s;
        }
        // Another node may have added the notice: look again, but at most once a minute.
        Instant now = Instant.now();
        if (now.isAfter(lastMissReload.plus(MISS_RELOAD))) {
            lastMissReload = now;
            reload();
            s = snapshot;
            if (s.years().contains(date.getYear())) {
                return s;
            }
        }
        throw new CalendarNotLoadedException(field, date);
    }
}
