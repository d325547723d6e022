package org.gongzhi.calendar;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The working-day calendar for integrators. The reads are public (no sign-in, rate-limited per address, see
 * {@link CalendarSecurity}); loading a notice is for national administrators.
 */
@RestController
@RequestMapping("/api/v1/calendar")
@Tag(name = "Working-day calendar 工作日历", description = "Official holidays and make-up working days; working-day arithmetic")
class CalendarApi {

    private final WorkingCalendar calendar;
    private final CalendarNotices notices;

    CalendarApi(WorkingCalendar calendar, CalendarNotices notices) {
        this.calendar = calendar;
        this.notices = notices;
    }

    record DateAnswer(LocalDate date) {
    }

    @GetMapping("/working-days/add")
    @Operation(summary = "The N-th working day after the date, the date itself not counted (public)")
    DateAnswer add(@RequestParam(required = false) String date, @RequestParam(required = false) String days) {
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate d = parseDate("date", date, problems);
        Integer n = null;
        if (days == null || days.isBlank()) {
            problems.add(FieldProblem.of("days", days, "必须填写工作日数", "the number of working days is required"));
        } else {
            try {
                n = Integer.parseInt(days.trim());
                if (n < 0 || n > WorkingCalendar.MAX_DAYS) {
                    problems.add(FieldProblem.of("days", days, "工作日数应在 0–" + WorkingCalendar.MAX_DAYS + " 之间",
                            "the number of working days must be between 0 and " + WorkingCalendar.MAX_DAYS));
                }
            } catch (NumberFormatException e) {
                problems.add(FieldProblem.of("days", days, "工作日数应为整数", "the number of working days must be a whole number"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new DateAnswer(calendar.addWorkingDays(d, n));
    }

    /** A day, whether it is a working day, and why in both languages. */
    record DayAnswer(LocalDate date, boolean working, DayKind kind, String holidayName, String reasonZh, String reasonEn) {
        static DayAnswer of(DayInfo d) {
            String zh = switch (d.kind()) {
                case WORKDAY -> "工作日（周一至周五）";
                case WEEKEND -> "周末";
                case HOLIDAY -> d.holidayName() + "放假";
                case MAKEUP_WORKDAY -> d.holidayName() + "调休上班";
            };
            String en = switch (d.kind()) {
                case WORKDAY -> "working day (Monday to Friday)";
                case WEEKEND -> "weekend";
                case HOLIDAY -> "public holiday: " + d.holidayName();
                case MAKEUP_WORKDAY -> "make-up working day for " + d.holidayName();
            };
            return new DayAnswer(d.date(), d.working(), d.kind(), d.holidayName(), zh, en);
        }
    }

    @GetMapping("/days/{date}")
    @Operation(summary = "Whether a day is a working day and why: weekend, holiday name, make-up working day (public)")
    DayAnswer day(@PathVariable String date) {
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate d = parseDate("date", date, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return DayAnswer.of(calendar.day(d));
    }

    record YearAnswer(int year, List<String> sources, String origin, Instant loadedAt, long daysOff, long makeupWorkdays) {
    }

    @GetMapping("/years")
    @Operation(summary = "The years whose holiday notice is loaded, with the notice's source (public)")
    List<YearAnswer> years() {
        return notices.all().stream().map(n -> new YearAnswer(n.year(), n.sources(), n.origin().name(), n.loadedAt(),
                n.offDays(), n.makeupDays())).toList();
    }

    @PostMapping(path = "/notices", consumes = "multipart/form-data")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Load a year's holiday notice from a holiday-cn JSON file in the part \"file\" (national administrators)")
    YearAnswer load(@RequestParam("file") MultipartFile file, CurrentUser user) {
        CalendarNotices.requireAdmin(user);
        try {
            HolidayNotices.Notice n = notices.addFile(file.getBytes(), user);
            return new YearAnswer(n.year(), n.sources(), n.origin().name(), n.loadedAt(), n.offDays(), n.makeupDays());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalDate parseDate(String field, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(FieldProblem.of(field, value, "必须填写日期（YYYY-MM-DD）", "a date (YYYY-MM-DD) is required"));
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            problems.add(FieldProblem.of(field, value, "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"));
            return null;
        }
    }
}
