package org.gongzhi.calendar;

import java.time.LocalDate;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;

/**
 * A date in a year whose holiday notice (国务院办公厅关于某年部分节假日安排的通知) is not loaded: its working days
 * are unknown, so nothing is computed (a deadline across New Year would otherwise be silently wrong).
 */
public class CalendarNotLoadedException extends InvalidInputException {

    private final int year;

    public CalendarNotLoadedException(String field, LocalDate date) {
        super(FieldProblem.of(field, date,
                date.getYear() + " 年的节假日安排通知尚未载入工作日历，无法计算工作日；请管理员载入该年通知",
                "the holiday notice for " + date.getYear()
                        + " is not loaded into the working-day calendar, so its working days are unknown; an administrator must load it"));
        this.year = date.getYear();
    }

    public int year() {
        return year;
    }
}
