package org.gongzhi.calendar;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The State Council's holiday notices as stored (tables calendar_notice and calendar_day), their validation, and the
 * holiday-cn JSON format they are shipped and imported in.
 */
@Repository
class HolidayNotices {

    /** Where a notice came from. */
    enum Origin { BUNDLED, FILE_IMPORT, FORM }

    record NoticeDay(LocalDate date, boolean off, String name) {
    }

    record Notice(int year, List<String> sources, Origin origin, Instant loadedAt, String loadedBy, List<NoticeDay> days) {
        long offDays() {
            return days.stream().filter(NoticeDay::off).count();
        }

        long makeupDays() {
            return days.size() - offDays();
        }
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HolidayNotices(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Notice> all() {
        Map<Integer, List<NoticeDay>> days = new LinkedHashMap<>();
        jdbc.sql("SELECT notice_year, day, off, name FROM calendar_day ORDER BY notice_year, day")
                .query(rs -> {
                    days.computeIfAbsent(rs.getInt(1), y -> new ArrayList<>())
                            .add(new NoticeDay(rs.getObject(2, LocalDate.class), rs.getBoolean(3), rs.getString(4)));
                });
        return jdbc.sql("SELECT year, sources, origin, loaded_at, loaded_by FROM calendar_notice ORDER BY year")
                .query((rs, i) -> {
                    Array sources = rs.getArray(2);
                    return new Notice(rs.getInt(1), Arrays.asList((String[]) sources.getArray()),
                            Origin.valueOf(rs.getString(3)), rs.getTimestamp(4).toInstant(), rs.getString(5),
                            List.copyOf(days.getOrDefault(rs.getInt(1), List.of())));
                }).list();
    }

    /**
     * Inserts a notice unless its year is there already (checked under the row's key, so two nodes starting at once
     * insert it once). Returns false when the year was loaded before.
     */
    boolean insert(Notice n) {
        int inserted = jdbc.sql("""
                        INSERT INTO calendar_notice (year, sources, origin, loaded_at, loaded_by)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO NOTHING""")
                .params(n.year(), n.sources().toArray(String[]::new), n.origin().name(), Timestamp.from(n.loadedAt()),
                        n.loadedBy())
                .update();
        if (inserted == 0) {
            return false;
        }
        for (NoticeDay d : n.days()) {
            jdbc.sql("INSERT INTO calendar_day (notice_year, day, off, name) VALUES (?, ?, ?, ?)")
                    .params(n.year(), d.date(), d.off(), d.name()).update();
        }
        return true;
    }

    boolean exists(int year) {
        return jdbc.sql("SELECT count(*) FROM calendar_notice WHERE year = ?").param(year).query(Integer.class).single() > 0;
    }

    // ------------------------------------------------------------------ the holiday-cn JSON format

    /**
     * Reads a notice in the format of NateScarlet/holiday-cn: {"year": 2026, "papers": [url…], "days": [{"name",
     * "date", "isOffDay"}…]}; every problem is reported with its field, in Chinese and English.
     */
    Notice parse(byte[] content, Origin origin, String by) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JacksonException e) {
            throw new InvalidInputException(FieldProblem.of("file", "", "不是有效的 JSON 文件（holiday-cn 格式）",
                    "not a valid JSON file (holiday-cn format)"));
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(FieldProblem.of("file", "", "JSON 顶层应为对象，含 year、papers、days",
                    "the JSON must be an object with year, papers and days"));
        }
        JsonNode yearNode = root.path("year");
        Integer year = yearNode.isInt() ? yearNode.asInt() : null;
        if (year == null) {
            problems.add(FieldProblem.of("year", yearNode.isMissingNode() ? "" : yearNode.toString(),
                    "缺少年份或年份不是整数", "the year is missing or not a whole number"));
        }
        List<String> sources = new ArrayList<>();
        root.path("papers").forEach(p -> sources.add(p.asString("")));
        List<DayLine> lines = new ArrayList<>();
        JsonNode days = root.path("days");
        if (!days.isArray()) {
            problems.add(FieldProblem.of("days", "", "缺少 days 列表", "the days list is missing"));
        } else {
            int row = 0;
            for (JsonNode d : days) {
                row++;
                JsonNode off = d.path("isOffDay");
                lines.add(new DayLine(row, d.path("date").asString(""), d.path("name").asString(""),
                        off.isBoolean() ? off.asBoolean() : null));
            }
        }
        return validate(year, sources, lines, origin, by, problems);
    }

    /** One listed day as entered, before validation; off is null when not given. */
    record DayLine(int row, String date, String name, Boolean off) {
    }

    /** Checks a notice and builds it; throws with every problem at once. */
    Notice validate(Integer year, List<String> sources, List<DayLine> lines, Origin origin, String by,
                    List<FieldProblem> earlier) {
        List<FieldProblem> problems = new ArrayList<>(earlier);
        if (year != null && (year < 2000 || year > 2100)) {
            problems.add(FieldProblem.of("year", year, "年份应在 2000–2100 之间", "the year must be between 2000 and 2100"));
        }
        List<String> cleanSources = sources.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (cleanSources.isEmpty()) {
            problems.add(FieldProblem.of("sources", "", "请注明通知来源（国务院办公厅通知的网址或文号）",
                    "give the notice's source (the State Council notice's address or number)"));
        }
        cleanSources.stream().filter(s -> s.length() > 500).findFirst().ifPresent(s -> problems.add(
                FieldProblem.of("sources", s.substring(0, 40) + "…", "来源过长（最多 500 字）", "source too long (500 characters at most)")));
        if (lines.isEmpty()) {
            problems.add(FieldProblem.of("days", "", "通知至少应列出一天", "the notice must list at least one day"));
        }
        List<NoticeDay> days = new ArrayList<>();
        Set<LocalDate> seen = new HashSet<>();
        for (DayLine l : lines) {
            LocalDate date;
            try {
                date = LocalDate.parse(l.date().trim());
            } catch (DateTimeParseException e) {
                problems.add(FieldProblem.of("date", l.date(), "日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD").atRow(l.row()));
                continue;
            }
            // A notice covers its year; it may move days at the very end of the year before (2023's lists 2022-12-31).
            if (year != null && (date.getYear() > year || date.isBefore(LocalDate.of(year - 1, 12, 1)))) {
                problems.add(FieldProblem.of("date", l.date(), "日期不在该通知的年份内（可含上年 12 月）",
                        "the date is outside the notice's year (December of the year before is allowed)").atRow(l.row()));
            }
            if (!seen.add(date)) {
                problems.add(FieldProblem.of("date", l.date(), "同一日期列出了两次", "the date is listed twice").atRow(l.row()));
            }
            String name = l.name().trim();
            if (name.isEmpty() || name.length() > 40) {
                problems.add(FieldProblem.of("name", l.name(), "请填写节日名称（最多 40 字）",
                        "give the holiday's name (40 characters at most)").atRow(l.row()));
            }
            if (l.off() == null) {
                problems.add(FieldProblem.of("isOffDay", "", "请说明是放假（true）还是调休上班（false）",
                        "say whether the day is off (true) or a make-up working day (false)").atRow(l.row()));
                continue;
            }
            // A make-up working day is normally a weekend day, but a notice may also name a Monday–Friday as worked
            // (2020's extension of the Spring Festival lists Monday 2020-02-03 as the day work resumes), so it is kept.
            days.add(new NoticeDay(date, l.off(), name));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Notice(year, cleanSources, origin, Instant.now(), by, List.copyOf(days));
    }
}
