package org.gongzhi.supervision;

import java.time.LocalDate;
import org.gongzhi.calendar.CalendarNotLoadedException;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The time limits of supervision that count in working days (工作日, on the State Council's holiday notices through
 * {@link WorkingCalendar#addWorkingDays}; the start day is not counted, 《民法典》 Art 201). Neither the 办法 nor
 * 国办函〔2022〕17号 fixes these limits (outfall-regulation.md §1.10–1.11, §2.3–2.4 give none), so they are settings with
 * documented defaults [INF], in working days as administrative deadlines are (《行政许可法》 Art 82):
 * <ul>
 *   <li>{@code gongzhi.supervision.order-working-days} (15): a rectification order's deadline when the inspector gives
 *       none (or gives a number of working days instead of a date), from the day of the inspection;</li>
 *   <li>{@code gongzhi.supervision.review-working-days} (5): the regulator reviews the party's response to an order;</li>
 *   <li>{@code gongzhi.supervision.verification-working-days} (10): a regulator verifies a reported plan completion
 *       (often a site visit).</li>
 * </ul>
 * The computed date is stored; it is never recomputed when a notice is added later.
 */
@Component
class WorkingDays {

    private static final Logger log = LoggerFactory.getLogger(WorkingDays.class);

    private final WorkingCalendar calendar;
    final int orderDays;
    final int reviewDays;
    final int verificationDays;

    WorkingDays(WorkingCalendar calendar,
                @Value("${gongzhi.supervision.order-working-days:15}") int orderDays,
                @Value("${gongzhi.supervision.review-working-days:5}") int reviewDays,
                @Value("${gongzhi.supervision.verification-working-days:10}") int verificationDays) {
        this.calendar = calendar;
        this.orderDays = orderDays;
        this.reviewDays = reviewDays;
        this.verificationDays = verificationDays;
    }

    /**
     * The {@code days}-th working day after {@code start}, for a limit a person asked for: when the year's holiday notice
     * is not loaded, the field is refused with what to do instead.
     */
    LocalDate after(LocalDate start, int days, String field) {
        if (days < 1 || days > 366) {
            throw new InvalidInputException(FieldProblem.of(field, days, "工作日数应在1–366之间", "the number of working days is 1 to 366"));
        }
        try {
            return calendar.addWorkingDays(start, days);
        } catch (CalendarNotLoadedException e) {
            throw new InvalidInputException(FieldProblem.of(field, days,
                    "无法按工作日计算期限：工作日历尚未载入 " + e.year() + " 年的节假日安排（国务院办公厅通知）。请直接填写截止日期，或请管理员在“工作日历”中载入该年通知",
                    "the deadline cannot be counted in working days: the holiday notice for " + e.year()
                            + " is not loaded into the working-day calendar. Give the deadline as a date, or ask an administrator to load that year's notice"));
        }
    }

    /**
     * The due date of a review step that nobody asked for (it follows a party's response): null, with a warning for the
     * administrator, when the year's notice is not loaded, rather than refusing the party's response.
     */
    LocalDate dueOrNull(LocalDate start, int days, String what) {
        try {
            return calendar.addWorkingDays(start, days);
        } catch (CalendarNotLoadedException e) {
            log.warn("{}: no review deadline stored, the holiday notice for {} is not loaded", what, e.year());
            return null;
        }
    }
}
