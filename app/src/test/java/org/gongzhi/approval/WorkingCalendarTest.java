package org.gongzhi.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.gongzhi.calendar.CalendarNotLoadedException;
import org.gongzhi.calendar.DayInfo;
import org.gongzhi.calendar.DayKind;
import org.gongzhi.calendar.WorkingCalendar;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Working-day arithmetic on the notices bundled with the application (loaded into PostgreSQL at start-up), across the
 * 2026 Spring Festival, National Day 2026 and year ends (国办发明电〔2025〕7号 for 2026).
 */
@SpringBootTest
@ActiveProfiles("test")
class WorkingCalendarTest {

    @Autowired WorkingCalendar calendar;

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void springFestival2026IsOffFromThe15thToThe23rdAndThe14thAndThe28thAreWorked() {
        for (LocalDate x = d("2026-02-15"); !x.isAfter(d("2026-02-23")); x = x.plusDays(1)) {
            DayInfo info = calendar.day(x);
            assertThat(info.working()).as(x.toString()).isFalse();
            assertThat(info.kind()).isEqualTo(DayKind.HOLIDAY);
            assertThat(info.holidayName()).isEqualTo("春节");
        }
        assertThat(calendar.day(d("2026-02-14"))).isEqualTo(new DayInfo(d("2026-02-14"), true, DayKind.MAKEUP_WORKDAY, "春节"));
        assertThat(calendar.day(d("2026-02-28"))).isEqualTo(new DayInfo(d("2026-02-28"), true, DayKind.MAKEUP_WORKDAY, "春节"));
        assertThat(calendar.day(d("2026-02-13"))).isEqualTo(new DayInfo(d("2026-02-13"), true, DayKind.WORKDAY, null));
        assertThat(calendar.day(d("2026-03-01"))).isEqualTo(new DayInfo(d("2026-03-01"), false, DayKind.WEEKEND, null));

        assertThat(calendar.nextWorkingDay(d("2026-02-13"))).isEqualTo(d("2026-02-14")); // Friday → the worked Saturday
        assertThat(calendar.nextWorkingDay(d("2026-02-14"))).isEqualTo(d("2026-02-24")); // over the nine days off
        assertThat(calendar.addWorkingDays(d("2026-02-12"), 5)).isEqualTo(d("2026-02-26"));
        // 行政许可法 Art 42: 20 working days from an acceptance on Tue 2026-02-10 end on Mon 2026-03-16, not 03-02.
        assertThat(calendar.addWorkingDays(d("2026-02-10"), 20)).isEqualTo(d("2026-03-16"));
        assertThat(calendar.workingDaysBetween(d("2026-02-10"), d("2026-03-16"))).isEqualTo(20);
        assertThat(calendar.workingDaysBetween(d("2026-02-14"), d("2026-02-23"))).isZero();
        assertThat(calendar.workingDaysBetween(d("2026-03-16"), d("2026-02-10"))).isEqualTo(-20);
    }

    @Test
    void nationalDay2026IsOffFromThe1stToThe7thAndSeptember20AndOctober10AreWorked() {
        for (LocalDate x = d("2026-10-01"); !x.isAfter(d("2026-10-07")); x = x.plusDays(1)) {
            assertThat(calendar.isWorkingDay(x)).as(x.toString()).isFalse();
            assertThat(calendar.day(x).holidayName()).isEqualTo("国庆节");
        }
        assertThat(calendar.day(d("2026-09-20")).kind()).isEqualTo(DayKind.MAKEUP_WORKDAY); // a Sunday
        assertThat(calendar.day(d("2026-10-10")).kind()).isEqualTo(DayKind.MAKEUP_WORKDAY); // a Saturday
        assertThat(calendar.day(d("2026-09-25")).kind()).isEqualTo(DayKind.HOLIDAY);        // 中秋, a Friday

        assertThat(calendar.nextWorkingDay(d("2026-09-18"))).isEqualTo(d("2026-09-20"));
        assertThat(calendar.nextWorkingDay(d("2026-09-30"))).isEqualTo(d("2026-10-08"));
        assertThat(calendar.nextWorkingDay(d("2026-10-09"))).isEqualTo(d("2026-10-10"));
        // 5 working days (行政许可法 Art 32 completeness check) from a receipt on Tue 2026-09-29: 30, 08, 09, 10, 12.
        assertThat(calendar.addWorkingDays(d("2026-09-29"), 5)).isEqualTo(d("2026-10-12"));
        assertThat(calendar.workingDaysBetween(d("2026-09-30"), d("2026-10-12"))).isEqualTo(4);
    }

    @Test
    void yearEndsUseTheNextYearsNoticeAndAYearWithoutANoticeIsRefused() {
        // New Year 2026: 01-01…01-03 off, Sunday 01-04 worked.
        assertThat(calendar.nextWorkingDay(d("2025-12-31"))).isEqualTo(d("2026-01-04"));
        // 2022-12-31 is listed in the 2023 notice (元旦), not in 2022's.
        assertThat(calendar.day(d("2022-12-31"))).isEqualTo(new DayInfo(d("2022-12-31"), false, DayKind.HOLIDAY, "元旦"));
        assertThat(calendar.addWorkingDays(d("2026-12-30"), 1)).isEqualTo(d("2026-12-31"));
        assertThat(calendar.addWorkingDays(d("2026-12-31"), 0)).isEqualTo(d("2026-12-31"));

        // 2027's notice is not out: no silent ordinary weeks.
        assertThatThrownBy(() -> calendar.addWorkingDays(d("2026-12-31"), 1))
                .isInstanceOf(CalendarNotLoadedException.class)
                .satisfies(e -> {
                    CalendarNotLoadedException c = (CalendarNotLoadedException) e;
                    assertThat(c.year()).isEqualTo(2027);
                    assertThat(c.problems().get(0).reasonZh()).contains("2027 年").contains("尚未载入");
                    assertThat(c.problems().get(0).reasonEn()).contains("2027").contains("not loaded");
                });
        assertThatThrownBy(() -> calendar.isWorkingDay(d("2027-01-04"))).isInstanceOf(CalendarNotLoadedException.class);
        assertThatThrownBy(() -> calendar.workingDaysBetween(d("2026-12-01"), d("2027-01-10")))
                .isInstanceOf(CalendarNotLoadedException.class);
        assertThatThrownBy(() -> calendar.day(d("2019-12-31"))).isInstanceOf(CalendarNotLoadedException.class);
        assertThat(calendar.loadedYears()).contains(2020, 2021, 2022, 2023, 2024, 2025, 2026).doesNotContain(2019, 2027);
    }

    @Test
    void theStatutoryDeadlineDoesNotCountTheStartDayByDefault() {
        assertThat(calendar.firstDayCounted()).isFalse();
        // Acceptance on Friday 2026-02-13: day 1 is the worked Saturday 02-14, not the Friday itself.
        assertThat(calendar.deadline(d("2026-02-13"), 1)).isEqualTo(d("2026-02-14"));
        assertThat(calendar.deadline(d("2026-02-13"), 5)).isEqualTo(calendar.addWorkingDays(d("2026-02-13"), 5));
        // Counting backwards (a reminder N working days before a deadline).
        assertThat(calendar.addWorkingDays(d("2026-02-24"), -1)).isEqualTo(d("2026-02-14"));
    }
}
