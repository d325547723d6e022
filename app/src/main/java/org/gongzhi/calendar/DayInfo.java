package org.gongzhi.calendar;

import java.time.LocalDate;

/**
 * One day of the calendar: whether it is a working day and why.
 *
 * @param holidayName the holiday of the notice for HOLIDAY and MAKEUP_WORKDAY (e.g. 春节), else null
 */
public record DayInfo(LocalDate date, boolean working, DayKind kind, String holidayName) {
}
