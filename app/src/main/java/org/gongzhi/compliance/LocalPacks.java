package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.Spreadsheets;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Local standards (地方标准) added by an admin as a new pack version: a header (code, names, designation, province,
 * date in force, grades or classes) and its limit rows from a CSV or XLSX file, all or nothing. Every row is
 * checked as an outfall limit is (factor known to HJ 212-2017 or a local {@code x:} key, statistic, comparison and
 * bounds, the unit fitting the factor by {@link Units}, clause); any problem refuses the whole file with each
 * problem's row, column, value and reason in Chinese and English, and nothing is written.
 *
 * <p>Who: only admins (系统管理员). 《水污染防治法》第十四条 gives local water standards to the province
 * (省、自治区、直辖市人民政府), so a local pack belongs to one province: a national admin names it, a regional admin
 * may add packs of their own province only (a Suzhou admin adds Jiangsu's, 320000). Versions are never edited: an
 * import under an existing code is its next version, and outfalls keep the version they were assigned.
 */
@Service
class LocalPacks {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,39}");
    private static final Pattern PROVINCE = Pattern.compile("[0-9]{2}0000");
    private static final Pattern LOCAL_FACTOR = Pattern.compile("x:[a-z0-9_]{1,30}");

    /** The header of a new pack version (form fields or multipart parts of the API). */
    record Header(String code, String nameZh, String nameEn, String kind, String grades, String province,
                  String designation, LocalDate validFrom, String note) {
    }

    /** The spreadsheet's columns: Chinese or English headers, in any order. */
    enum Column {
        GRADE("等级", "grade", true), FACTOR("因子", "factor", true), STATISTIC("统计方式", "statistic", true),
        COMPARISON("比较", "comparison", true), VALUE("限值", "value", false), LOW("下限", "low", false),
        HIGH("上限", "high", false), UNIT("单位", "unit", true), CONDITION("条件", "condition", false),
        SCOPE("行业", "scope", false), CLAUSE("条款", "clause", true), NOTE("备注", "note", false);

        final String zh;
        final String en;
        final boolean required;

        Column(String zh, String en, boolean required) {
            this.zh = zh;
            this.en = en;
            this.required = required;
        }
    }

    /** The template's header row, for the download and the docs. */
    static final List<String> TEMPLATE_HEADER = Arrays.stream(Column.values()).map(c -> c.zh + "/" + c.en).toList();

    static final long MAX_BYTES = 2L << 20;

    private final StandardPacks packs;
    private final AuditLog audit;

    LocalPacks(StandardPacks packs, AuditLog audit) {
        this.packs = packs;
        this.audit = audit;
    }

    /** The province a user may add local packs for: their own for a regional admin, any (null) for a national one. */
    static String ownProvince(CurrentUser user) {
        requireAdmin(user);
        Jurisdiction j = user.jurisdiction();
        return switch (j.scope()) {
            case NATIONAL -> null;
            case REGION -> j.regionPrefix().substring(0, 2) + "0000";
            default -> throw new ForbiddenException("only national or regional admins add local standards");
        };
    }

    private static void requireAdmin(CurrentUser user) {
        if (user.role() != Role.ADMIN) {
            throw new ForbiddenException("role " + user.role() + " cannot add standard packs");
        }
    }

    /**
     * Checks the header and every row, then stores the new version and audits it ({@code ADD_PACK_VERSION}); on any
     * problem throws {@link InvalidInputException} with all of them (row 0 = the header fields) and writes nothing.
     */
    @Transactional
    StandardPacks.Pack importVersion(Header h, String filename, byte[] content, CurrentUser user) {
        String own = ownProvince(user);
        List<FieldProblem> problems = new ArrayList<>();
        String code = trim(h.code());
        if (code == null || !CODE.matcher(code).matches()) {
            problems.add(FieldProblem.of("code", h.code(), "代号须为2–40位字母、数字或 . _ -（如 DB32-1072）",
                    "the code must be 2–40 letters, digits or . _ - (e.g. DB32-1072)"));
        }
        String province = trim(h.province());
        if (own != null && province == null) {
            province = own;
        }
        if (province == null || !PROVINCE.matcher(province).matches()) {
            problems.add(FieldProblem.of("province", h.province(), "须指定省级行政区划代码（如 320000 江苏省）",
                    "the province's 6-digit code is required (e.g. 320000 Jiangsu)"));
        } else if (own != null && !own.equals(province)) {
            problems.add(FieldProblem.of("province", province, "只能添加本省（" + own + "）的地方标准（《水污染防治法》第十四条）",
                    "you may add local standards of your own province (" + own + ") only (Water Pollution Prevention Law art. 14)"));
        }
        if (code != null && CODE.matcher(code).matches() && province != null) {
            var existing = packs.latest(code).orElse(null);
            if (existing != null && !province.equals(existing.province())) {
                problems.add(FieldProblem.of("code", code, existing.province() == null ? "该代号属于国家标准" : "该代号属于另一省份的地方标准",
                        existing.province() == null ? "this code is a national standard's" : "this code is another province's standard"));
            }
        }
        if (blank(h.nameZh())) {
            problems.add(FieldProblem.of("nameZh", h.nameZh(), "须填写中文名称", "the Chinese name is required"));
        }
        if (blank(h.nameEn())) {
            problems.add(FieldProblem.of("nameEn", h.nameEn(), "须填写英文名称", "the English name is required"));
        }
        String kind = trim(h.kind()) == null ? "DISCHARGE" : trim(h.kind()).toUpperCase(Locale.ROOT);
        if (!List.of("DISCHARGE", "RECEIVING_WATER").contains(kind)) {
            problems.add(FieldProblem.of("kind", h.kind(), "类别须为 DISCHARGE（排放标准）或 RECEIVING_WATER（水质标准）",
                    "kind must be DISCHARGE or RECEIVING_WATER"));
        }
        List<String> grades = h.grades() == null ? List.of() : Arrays.stream(h.grades().split("[,，、;；]"))
                .map(String::trim).filter(g -> !g.isEmpty()).distinct().toList();
        if (grades.isEmpty()) {
            problems.add(FieldProblem.of("grades", h.grades(), "须列出级别或类别（以逗号分隔，如 一级A,一级B）",
                    "list the grades or classes, comma-separated (e.g. A,B)"));
        }
        if (blank(h.designation())) {
            problems.add(FieldProblem.of("designation", h.designation(), "须填写标准编号（如 DB32/1072-2018）",
                    "the standard's number is required (e.g. DB32/1072-2018)"));
        }
        if (h.validFrom() == null) {
            problems.add(FieldProblem.of("validFrom", null, "须填写实施日期", "the date it takes effect is required"));
        }
        if (content == null || content.length == 0) {
            problems.add(FieldProblem.of("file", filename, "请选择限值文件（CSV或XLSX）", "choose the file of limits (CSV or XLSX)"));
        }
        List<Limit> rows = new ArrayList<>();
        if (content != null && content.length > 0) {
            if (content.length > MAX_BYTES) {
                throw Spreadsheets.badFile(String.valueOf(content.length), "文件过大：上限为 2 MB", "the file is too large: the limit is 2 MB");
            }
            rows = rows(content, Set.copyOf(grades), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        String source = "地方标准 " + h.designation().trim() + " / local standard, imported from " + (filename == null ? "a file" : filename);
        StandardPacks.Pack header = new StandardPacks.Pack(code, 0, h.nameZh().trim(), h.nameEn().trim(), kind, grades,
                source, trim(h.note()), province, h.designation().trim(), h.validFrom(), user.username(), null);
        StandardPacks.Pack stored = packs.addVersion(header, rows, user.username(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        audit.record(user, "ADD_PACK_VERSION", "standard_pack", stored.code() + "@" + stored.version(),
                "地方标准 " + stored.designation() + "，" + rows.size() + " 条限值 / " + rows.size() + " limits", null, stored);
        return stored;
    }

    /** Reads and checks the rows; problems carry the spreadsheet row (header = 1) and the column. */
    private List<Limit> rows(byte[] content, Set<String> grades, List<FieldProblem> problems) {
        List<Limit> out = new ArrayList<>();
        Map<Column, Integer> columns = new HashMap<>();
        Set<String> keys = new HashSet<>();
        int[] dataRows = {0};
        Spreadsheets.read(content, Spreadsheets.detect(content), (row, cells) -> {
            if (columns.isEmpty()) {
                header(cells, columns, problems);
                return;
            }
            if (cells.stream().allMatch(c -> c == null || c.isBlank()) || columns.size() < Column.values().length
                    && Arrays.stream(Column.values()).anyMatch(c -> c.required && !columns.containsKey(c))) {
                return; // a blank row; or the header is incomplete (reported once, row 1)
            }
            dataRows[0]++;
            Limit l = row(row, cells, columns, grades, problems);
            if (l != null && !keys.add(l.grade() + "|" + l.factor() + "|" + l.statistic() + "|" + l.condition() + "|" + l.scope())) {
                problems.add(new FieldProblem(row, Column.FACTOR.en, l.factor(), "与前面的行重复（等级、因子、统计方式、条件、行业相同）",
                        "duplicates an earlier row (same grade, factor, statistic, condition and scope)"));
            } else if (l != null) {
                out.add(l);
            }
        });
        if (columns.isEmpty()) {
            problems.add(new FieldProblem(1, "file", null, "文件没有表头行", "the file has no header row"));
        } else if (dataRows[0] == 0 && problems.stream().noneMatch(p -> p.row() == 1)) {
            problems.add(new FieldProblem(2, "file", null, "文件中没有限值行", "the file has no limit rows"));
        }
        return out;
    }

    private static void header(List<String> cells, Map<Column, Integer> columns, List<FieldProblem> problems) {
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i) == null ? "" : cells.get(i).trim().toLowerCase(Locale.ROOT);
            for (Column c : Column.values()) {
                if (name.equals(c.zh) || name.equals(c.en) || name.equals(c.zh + "/" + c.en)) {
                    columns.put(c, i);
                }
            }
        }
        if (columns.isEmpty()) {
            columns.put(Column.NOTE, -1); // remember that the header row was read
        }
        for (Column c : Column.values()) {
            if (c.required && !columns.containsKey(c)) {
                problems.add(new FieldProblem(1, c.en, null, "缺少列“" + c.zh + "”（" + c.en + "）",
                        "the column \"" + c.en + "\" (" + c.zh + ") is missing"));
            }
        }
    }

    private static Limit row(int row, List<String> cells, Map<Column, Integer> columns, Set<String> grades,
                             List<FieldProblem> problems) {
        int before = problems.size();
        String grade = cell(cells, columns, Column.GRADE);
        if (grade == null || !grades.contains(grade)) {
            problems.add(new FieldProblem(row, Column.GRADE.en, grade, "级别须为 " + String.join("、", grades) + " 之一",
                    "the grade must be one of " + String.join(", ", grades)));
        }
        String factor = cell(cells, columns, Column.FACTOR);
        boolean knownFactor = factor != null && (Factor.of(factor).isPresent() || LOCAL_FACTOR.matcher(factor).matches());
        if (!knownFactor) {
            problems.add(new FieldProblem(row, Column.FACTOR.en, factor, "未知的因子：须为 HJ 212-2017 因子代码（如 w01018）或本地代码 x:名称",
                    "unknown factor: an HJ 212-2017 code (e.g. w01018) or a local key x:name"));
        }
        Limit.Statistic statistic = parse(Limit.Statistic.class, cell(cells, columns, Column.STATISTIC), row, Column.STATISTIC,
                "统计方式须为 INSTANT、HOURLY_MEAN、DAILY_MEAN、MONTHLY_MEAN、DAILY_MAX、DAILY_MIN 之一",
                "the statistic must be one of INSTANT, HOURLY_MEAN, DAILY_MEAN, MONTHLY_MEAN, DAILY_MAX, DAILY_MIN", problems);
        Limit.Comparison comparison = parse(Limit.Comparison.class, cell(cells, columns, Column.COMPARISON), row,
                Column.COMPARISON, "比较方式须为 LE（≤）、GE（≥）或 RANGE（范围）", "the comparison must be LE, GE or RANGE", problems);
        BigDecimal value = number(cells, columns, Column.VALUE, row, problems);
        BigDecimal low = number(cells, columns, Column.LOW, row, problems);
        BigDecimal high = number(cells, columns, Column.HIGH, row, problems);
        if (comparison == Limit.Comparison.RANGE) {
            if (low == null || high == null || low.compareTo(high) > 0 || value != null) {
                problems.add(new FieldProblem(row, Column.LOW.en, cell(cells, columns, Column.LOW),
                        "范围限值须给出下限 ≤ 上限，且不填限值", "a RANGE needs low ≤ high and no value"));
            }
        } else if (comparison != null && (value == null || value.signum() < 0 || low != null || high != null)) {
            problems.add(new FieldProblem(row, Column.VALUE.en, cell(cells, columns, Column.VALUE),
                    "须给出非负的限值（不填上下限）", "a non-negative value is required (and no low/high)"));
        }
        String unit = cell(cells, columns, Column.UNIT);
        if (unit == null) {
            problems.add(new FieldProblem(row, Column.UNIT.en, null, "须填写单位", "the unit is required"));
        } else if (knownFactor && Factor.of(factor).isPresent()) {
            Units.problem(Column.UNIT.en, factor, unit).ifPresent(p ->
                    problems.add(new FieldProblem(row, p.field(), p.value(), p.reasonZh(), p.reasonEn())));
        } else if (knownFactor && Units.dimensionOf(unit).isEmpty()) { // a local key: any known unit
            problems.add(new FieldProblem(row, Column.UNIT.en, unit, "未知的单位（可用如 mg/L、µg/L、L/s、m³/d、kg）",
                    "unknown unit (use e.g. mg/L, µg/L, L/s, m³/d, kg)"));
        }
        String conditionText = cell(cells, columns, Column.CONDITION);
        Limit.Condition condition = conditionText == null ? Limit.Condition.NONE
                : parse(Limit.Condition.class, conditionText, row, Column.CONDITION,
                "条件须为 NONE、WATER_TEMP_GT_12、WATER_TEMP_LE_12、BUILT_BEFORE_2006、BUILT_FROM_2006、RIVER、LAKE_RESERVOIR 之一",
                "the condition must be NONE, WATER_TEMP_GT_12, WATER_TEMP_LE_12, BUILT_BEFORE_2006, BUILT_FROM_2006, RIVER or LAKE_RESERVOIR",
                problems);
        String clause = cell(cells, columns, Column.CLAUSE);
        if (clause == null) {
            problems.add(new FieldProblem(row, Column.CLAUSE.en, null, "须注明条款（如 表1）", "the clause is required (e.g. Table 1)"));
        }
        if (problems.size() > before) {
            return null;
        }
        String scope = cell(cells, columns, Column.SCOPE);
        return new Limit(null, null, null, null, grade, factor, statistic, comparison, value, low, high, unit, condition,
                scope == null ? "all" : scope, Limit.Source.LOCAL, clause, cell(cells, columns, Column.NOTE), null, null);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, int row, Column column, String zh, String en,
                                               List<FieldProblem> problems) {
        try {
            return Enum.valueOf(type, text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(row, column.en, text, zh, en));
            return null;
        }
    }

    private static BigDecimal number(List<String> cells, Map<Column, Integer> columns, Column column, int row,
                                     List<FieldProblem> problems) {
        String text = cell(cells, columns, column);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(row, column.en, text, "不是数字", "not a number"));
            return null;
        }
    }

    private static String cell(List<String> cells, Map<Column, Integer> columns, Column column) {
        Integer i = columns.get(column);
        if (i == null || i < 0 || i >= cells.size() || cells.get(i) == null) {
            return null;
        }
        String v = cells.get(i).trim();
        return v.isEmpty() ? null : v;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
