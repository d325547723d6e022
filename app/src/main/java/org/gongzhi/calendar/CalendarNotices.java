package org.gongzhi.calendar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loading notices: the bundled ones (src/main/resources/calendar, from holiday-cn) at start-up, and a new year's
 * notice added by an administrator from a file or the form. Every load is in the audit log; a year is loaded once
 * (a correction would change deadlines already stored, so it is refused rather than applied silently).
 */
@Service
class CalendarNotices {

    private static final Logger log = LoggerFactory.getLogger(CalendarNotices.class);

    private final HolidayNotices notices;
    private final WorkingCalendar calendar;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    CalendarNotices(HolidayNotices notices, WorkingCalendar calendar, AuditLog audit, TransactionTemplate tx) {
        this.notices = notices;
        this.calendar = calendar;
        this.audit = audit;
        this.tx = tx;
        loadBundled();
    }

    /** Bundled notices not in the database yet go in (idempotent: a year already there is left as it is). */
    private void loadBundled() {
        Resource[] files;
        try {
            files = new PathMatchingResourcePatternResolver().getResources("classpath*:calendar/*.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        for (Resource f : files) {
            HolidayNotices.Notice n;
            try {
                n = notices.parse(f.getContentAsByteArray(), HolidayNotices.Origin.BUNDLED, "system");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Boolean added = tx.execute(s -> store(n, CurrentUser.system(), "bundled with the application: " + f.getFilename()));
            if (Boolean.TRUE.equals(added)) {
                log.info("working-day calendar: loaded the {} notice ({} days listed)", n.year(), n.days().size());
            }
        }
        calendar.reload();
        log.info("working-day calendar: years loaded {}", calendar.loadedYears());
    }

    private boolean store(HolidayNotices.Notice n, CurrentUser by, String reason) {
        boolean added = notices.insert(n);
        if (added) {
            audit.record(by, "CALENDAR_NOTICE_LOADED", "calendar_notice", String.valueOf(n.year()), reason, null,
                    Map.of("year", n.year(), "sources", n.sources(), "origin", n.origin().name(), "days", n.days()));
        }
        return added;
    }

    /** Adds a year's notice (administrators only); refused when the year is loaded already. */
    HolidayNotices.Notice add(HolidayNotices.Notice n, CurrentUser by) {
        requireAdmin(by);
        if (notices.exists(n.year())) {
            throw new InvalidInputException(FieldProblem.of("year", n.year(), "该年的节假日安排已载入，不能重复载入",
                    "the notice for this year is loaded already and cannot be loaded again"));
        }
        Boolean added = tx.execute(s -> store(n, by, "holiday notice added by an administrator ("
                + n.origin().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        if (!Boolean.TRUE.equals(added)) { // another administrator got there first
            throw new InvalidInputException(FieldProblem.of("year", n.year(), "该年的节假日安排已载入，不能重复载入",
                    "the notice for this year is loaded already and cannot be loaded again"));
        }
        calendar.reload();
        return n;
    }

    HolidayNotices.Notice addFile(byte[] content, CurrentUser by) {
        requireAdmin(by);
        return add(notices.parse(content, HolidayNotices.Origin.FILE_IMPORT, by.username()), by);
    }

    List<HolidayNotices.Notice> all() {
        return notices.all();
    }

    static void requireAdmin(CurrentUser by) {
        // The State Council's notice is national: a regional administrator does not load it for everyone.
        if (by.role() != Role.ADMIN || by.jurisdiction().scope() != org.gongzhi.platform.Jurisdiction.Scope.NATIONAL) {
            throw new ForbiddenException("only national administrators load holiday notices / 仅国家级管理员可载入节假日安排");
        }
    }
}
