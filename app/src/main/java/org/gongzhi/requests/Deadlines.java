package org.gongzhi.requests;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.gongzhi.calendar.CalendarNotLoadedException;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.requests.ServiceCatalogue.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deadlines of a request (办理时限, Beijing Regulation Art 13: every order carries one). The response deadline is
 * counted in clock hours from receipt (the Beijing practice: web submissions accepted within 2 h). The resolution
 * deadline is in hours, calendar days, or working days of the official calendar; a deadline in days ends at the end of
 * the last day, China time. Whether a calendar-day deadline that ends on a holiday moves to the next working day is
 * not settled by the sources [U]; it does not move here (other-systems.md §2.1).
 */
@Component
class Deadlines {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);

    private final WorkingCalendar calendar;

    Deadlines(WorkingCalendar calendar) {
        this.calendar = calendar;
    }

    Instant responseDue(Instant received, ServiceType s) {
        return received.plus(Duration.ofHours(s.responseHours()));
    }

    Instant resolveDue(Instant received, ServiceType s) {
        return switch (s.resolveUnit()) {
            case HOURS -> received.plus(Duration.ofHours(s.resolveAmount()));
            case DAYS -> endOfDay(LocalDate.ofInstant(received, CHINA).plusDays(s.resolveAmount()));
            case WORKING_DAYS -> endOfDay(addWorkingDays(LocalDate.ofInstant(received, CHINA), s.resolveAmount()));
        };
    }

    /** A reopened request (退回再办) is answered within the category's working days again (济南 Art 24: 5). */
    Instant reopenDue(Instant reopened, ServiceType s) {
        return endOfDay(addWorkingDays(LocalDate.ofInstant(reopened, CHINA), s.reopenWorkingDays()));
    }

    /**
     * The N-th working day after {@code date} (the date itself not counted), by the official calendar. When the next
     * year's State Council notice is not loaded yet (it is published in November), a citizen's report must still be
     * accepted: the deadline is then counted over Monday to Friday and the gap is logged for the administrator.
     */
    LocalDate addWorkingDays(LocalDate date, int days) {
        try {
            return calendar.addWorkingDays(date, days);
        } catch (CalendarNotLoadedException e) {
            log.warn("holiday notice missing, deadline counted Monday to Friday: {}", e.getMessage());
        }
        LocalDate d = date;
        for (int i = 0; i < days; ) {
            d = d.plusDays(1);
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                i++;
            }
        }
        return d;
    }

    private static Instant endOfDay(LocalDate day) {
        return day.atTime(LocalTime.of(23, 59, 59)).atZone(CHINA).toInstant();
    }
}
