/**
 * The working-day calendar (工作日历): China's official holidays and make-up working days (调休) from the State
 * Council's yearly notices, as data, and working-day arithmetic on them. 《行政许可法》 Art 82 counts every time limit
 * of the licensing procedure in working days; the approval module computes and stores its deadlines with
 * {@link org.gongzhi.calendar.WorkingCalendar}. A year whose notice is not loaded is refused
 * ({@link org.gongzhi.calendar.CalendarNotLoadedException}), never treated as ordinary weeks. See docs/approval.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Working-day calendar")
package org.gongzhi.calendar;
