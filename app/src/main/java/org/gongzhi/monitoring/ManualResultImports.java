package org.gongzhi.monitoring;

import org.gongzhi.platform.Spreadsheets;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import of manual and laboratory results (手工监测、监督监测) into the measurement store, in two steps like the
 * ledger import. {@link #check} reads an XLSX or CSV file, validates every row (outfall national code inside the
 * caller's jurisdiction, sampling time, factor, value, unit, source) and compares it with what is stored; it keeps
 * the file and its report and writes no measurement. {@link #accept} reads and validates the kept file again and
 * writes the rows that are new in ONE transaction, with the batch's status and one audit entry.
 *
 * <p>A row's key is the measurement's natural key (outfall, kind, sampling time, factor, source). A key already
 * stored with the same value (and the same below-detection mark) is "unchanged": importing a file twice writes
 * nothing. A MANUAL or LAB key stored with a different value is a correction (a laboratory reissues its report): the
 * check lists it with the stored and the new value, and accepting — the deliberate act — replaces the value, with one
 * audit entry per corrected result holding the old value, flag, laboratory and report number
 * ({@value #CORRECTION_ENTITY}, action CORRECT). A SELF key with a different value stays a conflict, never
 * overwritten: a responsible party does not rewrite the self-monitoring it has submitted (a regulator can).
 * Accepts are serialized by an advisory lock, so two accepts of overlapping files cannot both write a key.
 */
@Service
class ManualResultImports {

    static final String AUDIT_ENTITY = "measurement_import";
    /** Audit entity of a corrected result; its id is outfall/kind/data time/factor/source. */
    static final String CORRECTION_ENTITY = "measurement";
    private static final long ACCEPT_LOCK = 0x6d61_6e75_616c_7273L;
    private static final int CHUNK = 1000;
    private static final int MAX_TEXT = 200;

    /** Columns of a results sheet; a header cell names one by its English key or its Chinese name (or an alias). */
    enum Column {
        NATIONAL_CODE("nationalCode", "排污口编码", true, "排污口代码", "code"),
        SAMPLED_AT("sampledAt", "采样时间", true, "监测时间", "dataTime", "time"),
        FACTOR("factor", "监测因子", true, "因子", "监测项目", "项目"),
        VALUE("value", "监测值", true, "监测结果", "检测结果", "浓度", "结果"),
        UNIT("unit", "单位", false, "计量单位"),
        SOURCE("source", "数据来源", true, "来源"),
        KIND("kind", "数据类型", false, "样品类型"),
        SAMPLER("sampler", "采样人", false, "采样人员", "采样单位"),
        LAB("lab", "检测机构", false, "检测单位", "实验室", "监测机构"),
        REPORT_NO("reportNo", "报告编号", false, "报告号", "report");

        final String key;
        final String zh;
        final boolean required;
        final List<String> aliases;

        Column(String key, String zh, boolean required, String... aliases) {
            this.key = key;
            this.zh = zh;
            this.required = required;
            this.aliases = List.of(aliases);
        }

        String header() {
            return zh + " " + key;
        }

        static Optional<Column> ofHeader(String cell) {
            if (cell == null) {
                return Optional.empty();
            }
            String h = cell.replace('\uFEFF', ' ').replace('（', '(').replace('）', ')').strip();
            for (String token : h.split("[\\s()\\[\\]/|,，、:：]+")) {
                for (Column c : values()) {
                    if (token.equalsIgnoreCase(c.key) || token.equals(c.zh)
                            || c.aliases.stream().anyMatch(token::equalsIgnoreCase)) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private final LedgerLookup lookup;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final long maxBytes;
    private final int maxRows;

    ManualResultImports(LedgerLookup lookup, AuditLog audit, JdbcClient jdbc, JsonMapper json, TransactionTemplate tx,
                        ApplicationEventPublisher events,
                        @Value("${gongzhi.monitoring.import.max-bytes:20MB}") DataSize maxBytes,
                        @Value("${gongzhi.monitoring.import.max-rows:200000}") int maxRows) {
        this.lookup = lookup;
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.tx = tx;
        this.events = events;
        this.maxBytes = maxBytes.toBytes();
        this.maxRows = maxRows;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** What is kept in measurement_import.report and .result. */
    private record Stored(ManualResultReport.Counts counts, List<ManualResultReport.Problem> problems,
                          List<ManualResultReport.Problem> notices, boolean truncated) {
    }

    /**
     * Regulators import manual and laboratory results for their jurisdiction; a responsible party imports its own
     * self-monitoring (自行监测, where no online monitor exists) for its own outfalls only, as source SELF.
     */
    static void requireImporter(CurrentUser user) {
        if (!user.canEditLedger() && !party(user)) {
            throw new ForbiddenException("importing monitoring results needs a regulator, an administrator or the responsible party");
        }
    }

    static boolean party(CurrentUser user) {
        return user.jurisdiction().scope() == org.gongzhi.platform.Jurisdiction.Scope.PARTY;
    }

    // ---- the two steps -----------------------------------------------------------------------------------------

    /** Step 1: read and validate, compare with the store, keep the file and its report. Writes no measurement. */
    ManualResultReport check(String filename, byte[] content, CurrentUser user) {
        requireImporter(user);
        String name = filename == null || filename.isBlank() ? "upload" : filename.strip();
        if (name.length() > 255) {
            name = name.substring(name.length() - 255);
        }
        if (content.length > maxBytes) {
            throw Spreadsheets.badFile(String.valueOf(content.length),
                    "文件过大：上限为 " + (maxBytes >> 20) + " MB", "the file is too large: the limit is " + (maxBytes >> 20) + " MB");
        }
        Spreadsheets.Format format = Spreadsheets.detect(content);
        String sha = sha256(content);
        Run run = new Run(user);
        run.read(content, format);
        run.compare();
        List<ManualResultReport.Problem> notices = new ArrayList<>();
        jdbc.sql("SELECT id FROM measurement_import WHERE sha256 = ? AND status = 'ACCEPTED' ORDER BY id DESC LIMIT 1")
                .param(sha).query(Long.class).optional()
                .ifPresent(prev -> notices.add(new ManualResultReport.Problem(0, "file", String.valueOf(prev),
                        "同一文件已于第 " + prev + " 批导入并确认写入；已存在且数值相同的行不会再次写入",
                        "the same file was imported and accepted as batch " + prev
                                + "; rows stored with the same value are not written again")));
        notices.addAll(run.notices);
        Stored stored = new Stored(run.counts(), run.problems, notices, run.truncated);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String n = name;
        long id = jdbc.sql("""
                INSERT INTO measurement_import (created_by, created_at, filename, format, sha256, size_bytes, content, status, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'CHECKED', ?::jsonb) RETURNING id""")
                .params(user.username(), Timestamp.from(now), n, format.name(), sha, (long) content.length, content,
                        json.writeValueAsString(stored))
                .query(Long.class).single();
        return new ManualResultReport(id, n, format.name(), "CHECKED", now, user.username(), stored.counts(),
                stored.problems(), stored.notices(), stored.truncated(), null);
    }

    /**
     * Step 2: validate the kept file again (the store or the ledger may have changed since the check) and write its
     * new rows, the side rows (sampler, lab, report number) and the batch's status in one transaction.
     */
    ManualResultReport accept(long id, CurrentUser user) {
        requireImporter(user);
        return tx.execute(status -> {
            record Batch(String filename, String format, String sha, byte[] content, String status) {
            }
            Batch b = jdbc.sql("SELECT filename, format, sha256, content, status FROM measurement_import "
                            + "WHERE id = ? AND created_by = ? FOR UPDATE")
                    .params(id, user.username())
                    .query((rs, i) -> new Batch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getString(5)))
                    .optional().orElseThrow(() -> new NotFoundException("results import " + id));
            if (!"CHECKED".equals(b.status())) {
                throw new InvalidInputException(FieldProblem.of("status", b.status(), "该批次已确认写入，不能重复确认",
                        "this import was already accepted; it cannot be accepted twice"));
            }
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(ACCEPT_LOCK).query().singleRow();
            Run run = new Run(user);
            run.read(b.content(), Spreadsheets.Format.valueOf(b.format()));
            run.compare();
            int written = run.write(id);
            int corrected = run.correct(id);
            if (written != run.toWrite.size() || corrected != run.toCorrect.size()) {
                // cannot happen under the lock (the gateway writes only source HJ212); refuse rather than half-write
                throw new IllegalStateException("results import " + id + ": " + written + " of " + run.toWrite.size()
                        + " rows written, " + corrected + " of " + run.toCorrect.size() + " corrected");
            }
            ManualResultReport.Counts counts = run.counts();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            jdbc.sql("UPDATE measurement_import SET status = 'ACCEPTED', accepted_at = ?, result = ?::jsonb WHERE id = ?")
                    .params(Timestamp.from(now), json.writeValueAsString(new Stored(counts, run.problems, List.of(),
                            run.truncated)), id)
                    .update();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("batch", id);
            summary.put("filename", b.filename());
            summary.put("sha256", b.sha());
            summary.put("counts", counts);
            summary.put("outfallIds", run.writtenOutfalls);
            audit.record(user, "IMPORT", AUDIT_ENTITY, String.valueOf(id), "监测结果导入 results import: " + b.filename(),
                    null, summary);
            if (!run.toCorrect.isEmpty()) {
                audit.recordAll(user, "CORRECT", CORRECTION_ENTITY, "监测结果更正 result corrected by import " + id + ": "
                        + b.filename(), run.corrections(id));
            }
            if (written + corrected > 0) {
                // compliance re-evaluates the corrected values as it does new ones
                events.publishEvent(MeasurementsStored.imported(run.writtenOutfalls, run.writtenKinds, run.writtenFrom,
                        run.writtenTo, written + corrected));
            }
            return find(id, user);
        });
    }

    /** The report of a batch the caller uploaded (a batch is private to its uploader, as in the ledger import). */
    ManualResultReport find(long id, CurrentUser user) {
        return jdbc.sql("""
                SELECT id, filename, format, status, created_at, created_by, report::text, result::text
                FROM measurement_import WHERE id = ? AND created_by = ?""")
                .params(id, user.username())
                .query((rs, i) -> {
                    Stored r = json.readValue(rs.getString(7), Stored.class);
                    Stored w = rs.getString(8) == null ? null : json.readValue(rs.getString(8), Stored.class);
                    return new ManualResultReport(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), r.counts(),
                            w == null ? r.problems() : w.problems(), r.notices(),
                            w == null ? r.truncated() : w.truncated(), w == null ? null : w.counts());
                })
                .optional().orElseThrow(() -> new NotFoundException("results import " + id));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- cell parsing ------------------------------------------------------------------------------------------

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-M-d H:mm[:ss][.SSS]");
    private static final Pattern BELOW = Pattern.compile("^[<＜]\\s*([0-9.eE+-]+)$|^([0-9.eE+-]+)\\s*[Ll]$");
    private static final Set<String> NOT_DETECTED = Set.of("ND", "N.D.", "N.D", "未检出", "<DL", "<LOD");

    /** A sampling time: yyyy-MM-dd HH:mm[:ss] (also with /) in China time, or ISO-8601 with or without offset. */
    static Instant parseTime(String cell) {
        String s = cell.strip();
        try {
            if (s.endsWith("Z") || s.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            if (s.contains("T")) {
                return LocalDateTime.parse(s).atZone(MeasurementStore.CHINA).toInstant();
            }
            return LocalDateTime.parse(s.replace('/', '-').replaceAll("\\s+", " "), LOCAL)
                    .atZone(MeasurementStore.CHINA).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A value cell: a number, or a below-detection mark (ND, 未检出, "<0.05", "0.05L") with its limit if given. */
    record Reading(BigDecimal number, boolean belowDetection) {
    }

    static Reading parseValue(String cell) {
        String s = cell.strip().replace('，', '.').replace("．", ".");
        if (NOT_DETECTED.contains(s.toUpperCase(Locale.ROOT))) {
            return new Reading(null, true);
        }
        Matcher m = BELOW.matcher(s);
        try {
            if (m.matches()) {
                return new Reading(new BigDecimal(m.group(1) != null ? m.group(1) : m.group(2)), true);
            }
            return new Reading(new BigDecimal(s), false);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static MeasurementKind parseKind(String cell) {
        String s = cell == null ? "" : cell.strip();
        return switch (s.toUpperCase(Locale.ROOT)) {
            case "", "REALTIME", "瞬时", "瞬时样", "瞬时值", "GRAB" -> MeasurementKind.REALTIME;
            case "MINUTE", "分钟", "分钟均值" -> MeasurementKind.MINUTE;
            case "HOUR", "小时", "小时均值", "小时混合样" -> MeasurementKind.HOUR;
            case "DAY", "日", "日均值", "日混合样", "24小时混合样", "COMPOSITE" -> MeasurementKind.DAY;
            default -> null;
        };
    }

    static String parseSource(String cell) {
        String s = cell == null ? "" : cell.strip();
        return switch (s.toUpperCase(Locale.ROOT)) {
            case "MANUAL", "手工", "手工监测", "人工", "人工监测", "现场" -> "MANUAL";
            case "LAB", "LABORATORY", "实验室", "监督监测", "实验室分析", "检测报告" -> "LAB";
            case "SELF", "自行监测", "自测", "企业自测", "自主监测" -> "SELF";
            default -> null;
        };
    }

    // ---- one pass over a file ----------------------------------------------------------------------------------

    /** A valid row, its value in the factor's HJ 212 unit. */
    private record Row(int number, long outfallId, MeasurementKind kind, Instant time, WaterFactor factor, String source,
                       Double value, boolean belowDetection, String valueCell, String unitCell, String sampler,
                       String lab, String reportNo) {
        Key key() {
            return new Key(outfallId, kind, time, factor.code, source);
        }

        String flag() {
            return belowDetection ? "ND" : null;
        }
    }

    private record Key(long outfallId, MeasurementKind kind, Instant time, String factor, String source) {
    }

    /** What is stored under a row's key, with what its import recorded (for the audit of a correction). */
    private record StoredValue(Double value, String flag, String lab, String reportNo, Long importId) {
    }

    /** A row that replaces a stored MANUAL or LAB result. */
    private record Correction(Row row, StoredValue old) {
    }

    private final class Run {
        final CurrentUser user;
        final Instant now = Instant.now();
        final Map<Column, Integer> layout = new EnumMap<>(Column.class);
        boolean headerSeen;
        final List<Map.Entry<Integer, String[]>> raw = new ArrayList<>();
        final List<Row> rows = new ArrayList<>();
        final List<Row> toWrite = new ArrayList<>();
        final List<ManualResultReport.Problem> problems = new ArrayList<>();
        final Set<Integer> invalidRows = new HashSet<>();
        boolean truncated;
        final List<Correction> toCorrect = new ArrayList<>();
        final List<ManualResultReport.Problem> notices = new ArrayList<>();
        int total, unchanged, conflicts;
        final Set<Long> writtenOutfalls = new HashSet<>();
        final Set<MeasurementKind> writtenKinds = EnumSet.noneOf(MeasurementKind.class);
        Instant writtenFrom, writtenTo;

        Run(CurrentUser user) {
            this.user = user;
        }

        ManualResultReport.Counts counts() {
            int invalid = invalidRows.size();
            return new ManualResultReport.Counts(total, total - invalid - conflicts, invalid, toWrite.size(), unchanged,
                    conflicts, toCorrect.size());
        }

        void problem(int row, Column c, String value, String zh, String en) {
            if (row > 0) {
                invalidRows.add(row);
            }
            if (problems.size() < ManualResultReport.MAX_PROBLEMS) {
                problems.add(new ManualResultReport.Problem(row, c == null ? "file" : c.header(), value, zh, en));
            } else {
                truncated = true;
            }
        }

        void read(byte[] content, Spreadsheets.Format format) {
            Spreadsheets.read(content, format, this::row);
            if (!headerSeen) {
                throw Spreadsheets.badFile(null, "文件中没有表头行（第一行应为列名，如“排污口编码 nationalCode”）",
                        "the file has no header row (the first row must name the columns, e.g. \"排污口编码 nationalCode\")");
            }
            validate();
        }

        private void row(int number, List<String> cells) {
            if (cells.stream().allMatch(c -> c == null || c.isBlank())) {
                return;
            }
            if (!headerSeen) {
                header(cells);
                return;
            }
            if (++total > maxRows) {
                throw Spreadsheets.badFile(String.valueOf(number), "行数超过上限 " + maxRows + "，请拆分文件",
                        "more than " + maxRows + " rows: split the file");
            }
            String[] v = new String[Column.values().length];
            layout.forEach((c, i) -> v[c.ordinal()] = i < cells.size() && cells.get(i) != null ? cells.get(i).strip() : "");
            raw.add(Map.entry(number, v));
        }

        private void header(List<String> cells) {
            headerSeen = true;
            for (int i = 0; i < cells.size(); i++) {
                Optional<Column> c = Column.ofHeader(cells.get(i));
                if (c.isPresent() && !layout.containsKey(c.get())) {
                    layout.put(c.get(), i);
                }
            }
            List<String> missing = Arrays.stream(Column.values()).filter(c -> c.required && !layout.containsKey(c))
                    .map(Column::header).toList();
            if (!missing.isEmpty()) {
                String known = Arrays.stream(Column.values()).map(Column::header).reduce((a, b) -> a + ", " + b).orElse("");
                throw Spreadsheets.badFile(String.join(", ", missing),
                        "缺少必需的列：" + String.join("，", missing) + "。可用的列：" + known,
                        "required columns are missing: " + String.join(", ", missing) + ". Columns: " + known);
            }
        }

        /** Checks every cell of every row; resolves the national codes of the whole file in one query. */
        private void validate() {
            Set<String> codes = new HashSet<>();
            for (var r : raw) {
                String code = r.getValue()[Column.NATIONAL_CODE.ordinal()];
                if (!code.isEmpty()) {
                    codes.add(code.toUpperCase(Locale.ROOT));
                }
            }
            Map<String, LedgerLookup.CodeMatch> outfalls = lookup.byNationalCodes(codes, user);
            Map<Key, Integer> seen = new HashMap<>();
            for (var r : raw) {
                int n = r.getKey();
                String[] v = r.getValue();
                Row row = validate(n, v, outfalls);
                if (row == null) {
                    continue;
                }
                Integer first = seen.putIfAbsent(row.key(), n);
                if (first != null) {
                    problem(n, Column.SAMPLED_AT, v[Column.SAMPLED_AT.ordinal()],
                            "与第 " + first + " 行重复（同一排污口、时间、因子、类型和来源）",
                            "duplicates row " + first + " (same outfall, time, factor, kind and source)");
                    continue;
                }
                rows.add(row);
            }
        }

        private Row validate(int n, String[] v, Map<String, LedgerLookup.CodeMatch> outfalls) {
            boolean ok = true;
            String code = v[Column.NATIONAL_CODE.ordinal()];
            Long outfallId = null;
            if (code.isEmpty()) {
                problem(n, Column.NATIONAL_CODE, code, "排污口编码必填", "the outfall's national code is required");
                ok = false;
            } else {
                LedgerLookup.CodeMatch m = outfalls.get(code.toUpperCase(Locale.ROOT));
                if (m == null) {
                    problem(n, Column.NATIONAL_CODE, code, "台账中没有此排污口编码", "no outfall in the ledger has this national code");
                    ok = false;
                } else if (!m.visible() && party(user)) {
                    problem(n, Column.NATIONAL_CODE, code, "排污口 " + code + " 不是贵单位负责的排污口，只能上传本单位排污口的自行监测数据",
                            "outfall " + code + " is not one your organization is responsible for; upload self-monitoring of your own outfalls only");
                    ok = false;
                } else if (!m.visible()) {
                    problem(n, Column.NATIONAL_CODE, code, "该排污口不在您的辖区内，不能导入其监测结果",
                            "this outfall is outside your jurisdiction; you cannot import its results");
                    ok = false;
                } else {
                    outfallId = m.outfall().id();
                }
            }
            String timeCell = v[Column.SAMPLED_AT.ordinal()];
            Instant time = timeCell.isEmpty() ? null : parseTime(timeCell);
            if (timeCell.isEmpty()) {
                problem(n, Column.SAMPLED_AT, timeCell, "采样时间必填", "the sampling time is required");
                ok = false;
            } else if (time == null) {
                problem(n, Column.SAMPLED_AT, timeCell, "采样时间无法识别：请写作 yyyy-MM-dd HH:mm[:ss]（北京时间）或 ISO-8601",
                        "unreadable sampling time: write yyyy-MM-dd HH:mm[:ss] (China time) or ISO-8601");
                ok = false;
            } else if (time.isAfter(now.plus(10, ChronoUnit.MINUTES))) {
                problem(n, Column.SAMPLED_AT, timeCell, "采样时间晚于当前时间", "the sampling time is in the future");
                ok = false;
            } else if (time.isBefore(Instant.parse("1990-01-01T00:00:00Z"))) {
                problem(n, Column.SAMPLED_AT, timeCell, "采样时间早于 1990 年，请检查", "the sampling time is before 1990");
                ok = false;
            }
            String factorCell = v[Column.FACTOR.ordinal()];
            WaterFactor factor = WaterFactor.of(factorCell).orElse(null);
            if (factor == null) {
                problem(n, Column.FACTOR, factorCell, factorCell.isEmpty() ? "监测因子必填"
                                : "无法识别的监测因子：请用 HJ 212-2017 编码（如 w01018）或中文名称（如 化学需氧量）",
                        factorCell.isEmpty() ? "the factor is required"
                                : "unknown factor: use the HJ 212-2017 code (e.g. w01018) or the Chinese name (e.g. 化学需氧量)");
                ok = false;
            }
            String valueCell = v[Column.VALUE.ordinal()];
            Reading value = valueCell.isEmpty() ? null : parseValue(valueCell);
            if (value == null) {
                problem(n, Column.VALUE, valueCell, valueCell.isEmpty() ? "监测值必填" : "监测值不是数字（未检出可写 ND、<0.05 或 0.05L）",
                        valueCell.isEmpty() ? "the value is required"
                                : "the value is not a number (write ND, <0.05 or 0.05L for below the detection limit)");
                ok = false;
            }
            String unitCell = layout.containsKey(Column.UNIT) ? v[Column.UNIT.ordinal()] : "";
            Double standard = null;
            if (factor != null && value != null) {
                if (unitCell.isEmpty() && factor.dimension != WaterFactor.Dimension.NONE) {
                    problem(n, Column.UNIT, unitCell, "单位必填：" + factor.zh + " 的单位为 " + factor.unit,
                            "the unit is required: " + factor.code + " is in " + factor.unit);
                    ok = false;
                } else if (value.number() != null) {
                    Optional<BigDecimal> converted = factor.toStandard(value.number(), unitCell);
                    if (converted.isEmpty()) {
                        problem(n, Column.UNIT, unitCell,
                                "单位与因子不符或无法换算：" + factor.zh + "（" + factor.code + "）可用单位 " + factor.acceptedUnits(),
                                "the unit does not fit the factor or cannot be converted: " + factor.code + " accepts "
                                        + factor.acceptedUnits());
                        ok = false;
                    } else {
                        BigDecimal x = converted.get();
                        if (x.signum() < 0 && factor != WaterFactor.TEMPERATURE) {
                            problem(n, Column.VALUE, valueCell, "监测值不能为负数", "the value cannot be negative");
                            ok = false;
                        } else if (factor == WaterFactor.PH && x.compareTo(BigDecimal.valueOf(14)) > 0) {
                            problem(n, Column.VALUE, valueCell, "pH 值须在 0 到 14 之间", "pH must be between 0 and 14");
                            ok = false;
                        } else {
                            standard = x.doubleValue();
                        }
                    }
                } else if (!unitCell.isEmpty() && factor.toStandard(BigDecimal.ONE, unitCell).isEmpty()) {
                    problem(n, Column.UNIT, unitCell, "单位与因子不符：" + factor.zh + " 可用单位 " + factor.acceptedUnits(),
                            "the unit does not fit the factor: " + factor.code + " accepts " + factor.acceptedUnits());
                    ok = false;
                }
            }
            String sourceCell = v[Column.SOURCE.ordinal()];
            String source = parseSource(sourceCell);
            if (party(user) && !"SELF".equals(source)) {
                // a party's figures must never pass for the regulator's supervisory monitoring
                problem(n, Column.SOURCE, sourceCell, "责任主体上传的数据来源须为 SELF（自行监测）",
                        "a responsible party uploads its own self-monitoring: the source must be SELF");
                ok = false;
            } else if (source == null) {
                problem(n, Column.SOURCE, sourceCell, "数据来源须为 MANUAL（手工监测）、LAB（实验室/监督监测）或 SELF（责任主体自行监测）",
                        "the source must be MANUAL (manual sampling), LAB (laboratory / supervisory monitoring) or SELF (the party's self-monitoring)");
                ok = false;
            }
            String kindCell = layout.containsKey(Column.KIND) ? v[Column.KIND.ordinal()] : "";
            MeasurementKind kind = parseKind(kindCell);
            if (kind == null) {
                problem(n, Column.KIND, kindCell, "数据类型须为 REALTIME（瞬时样，默认）、HOUR、DAY 或 MINUTE",
                        "the kind must be REALTIME (grab sample, the default), HOUR, DAY or MINUTE");
                ok = false;
            }
            String[] texts = new String[3];
            Column[] textColumns = {Column.SAMPLER, Column.LAB, Column.REPORT_NO};
            for (int i = 0; i < 3; i++) {
                String t = layout.containsKey(textColumns[i]) ? v[textColumns[i].ordinal()] : "";
                if (t.length() > MAX_TEXT) {
                    problem(n, textColumns[i], t.substring(0, 40) + "…", "最长 " + MAX_TEXT + " 个字符", "at most " + MAX_TEXT + " characters");
                    ok = false;
                }
                texts[i] = t.isEmpty() ? null : t;
            }
            if (!ok) {
                return null;
            }
            return new Row(n, outfallId, kind, time, factor, source, standard, value.belowDetection(), valueCell,
                    unitCell.isEmpty() ? null : unitCell, texts[0], texts[1], texts[2]);
        }

        /** Sorts the valid rows into new, unchanged, corrections and conflicts, against the stored measurements. */
        void compare() {
            for (int from = 0; from < rows.size(); from += CHUNK) {
                List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                Map<Key, StoredValue> stored = new HashMap<>();
                jdbc.sql("""
                        SELECT m.outfall_id, m.kind, m.data_time, m.factor, m.source, coalesce(m.rtd, m.avg), m.flag,
                               s.lab, s.report_no, s.import_id
                        FROM measurement m
                        JOIN unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[]) AS k(o, kind, t, f, s)
                          ON m.outfall_id = k.o AND m.kind = k.kind AND m.data_time = k.t AND m.factor = k.f AND m.source = k.s
                        LEFT JOIN measurement_sample s ON s.outfall_id = m.outfall_id AND s.kind = m.kind
                             AND s.data_time = m.data_time AND s.factor = m.factor AND s.source = m.source""")
                        .params(chunk.stream().map(Row::outfallId).toArray(Long[]::new),
                                chunk.stream().map(r -> r.kind().name()).toArray(String[]::new),
                                chunk.stream().map(r -> Timestamp.from(r.time())).toArray(Timestamp[]::new),
                                chunk.stream().map(r -> r.factor().code).toArray(String[]::new),
                                chunk.stream().map(Row::source).toArray(String[]::new))
                        .query((rs, i) -> {
                            stored.put(new Key(rs.getLong(1), MeasurementKind.valueOf(rs.getString(2)),
                                    rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)),
                                    new StoredValue((Double) rs.getObject(6), rs.getString(7), rs.getString(8),
                                            rs.getString(9), (Long) rs.getObject(10)));
                            return null;
                        }).list();
                for (Row r : chunk) {
                    StoredValue s = stored.get(r.key());
                    if (s == null) {
                        toWrite.add(r);
                    } else if (java.util.Objects.equals(s.value(), r.value()) && java.util.Objects.equals(s.flag(), r.flag())) {
                        unchanged++;
                    } else {
                        String had = (s.value() == null ? "ND" : BigDecimal.valueOf(s.value()).stripTrailingZeros().toPlainString())
                                + ("ND".equals(s.flag()) && s.value() != null ? "（未检出）" : "") + " " + r.factor().unit;
                        String now = r.value() == null ? "ND" : BigDecimal.valueOf(r.value()).stripTrailingZeros().toPlainString();
                        if (!"SELF".equals(r.source())) {
                            toCorrect.add(new Correction(r, s));
                            if (notices.size() < ManualResultReport.MAX_PROBLEMS) {
                                notices.add(new ManualResultReport.Problem(r.number(), Column.VALUE.header(), r.valueCell(),
                                        "更正：该排污口此时间的 " + r.factor().zh + "（" + r.source() + "）已存为 " + had
                                                + "，本行为 " + now + "；确认写入后以本行替换，原值记入审计日志",
                                        "correction: " + r.factor().code + " (" + r.source() + ") at this time is stored as "
                                                + had.replace("（未检出）", " (below detection)") + ", this row says " + now
                                                + "; accepting replaces it and keeps the old value in the audit log"));
                            } else {
                                truncated = true;
                            }
                            continue;
                        }
                        conflicts++;
                        if (problems.size() < ManualResultReport.MAX_PROBLEMS) {
                            problems.add(new ManualResultReport.Problem(r.number(), Column.VALUE.header(), r.valueCell(),
                                    "与已存数据冲突：该排污口此时间的 " + r.factor().zh + "（" + r.source() + "）已存为 " + had
                                            + "，本行为 " + now + "；不会覆盖，如需更正请先核实",
                                    "conflicts with the stored result: " + r.factor().code + " (" + r.source()
                                            + ") at this time is stored as " + had.replace("（未检出）", " (below detection)")
                                            + ", this row says " + now + "; it is not overwritten"));
                        } else {
                            truncated = true;
                        }
                    }
                }
            }
        }

        /**
         * Replaces the stored values of the corrections and their side rows (laboratory, report number, this import);
         * returns how many measurement rows were updated. Received time is the correction's; packet_id stays null.
         */
        int correct(long importId) {
            int updated = 0;
            for (int from = 0; from < toCorrect.size(); from += CHUNK) {
                List<Row> chunk = toCorrect.subList(from, Math.min(toCorrect.size(), from + CHUNK)).stream()
                        .map(Correction::row).toList();
                Keys k = new Keys(chunk);
                updated += jdbc.sql("""
                        UPDATE measurement m SET rtd = CASE WHEN u.k = 'REALTIME' THEN u.v END,
                               avg = CASE WHEN u.k <> 'REALTIME' THEN u.v END, flag = u.fl, received_at = ?
                        FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::float8[], ?::text[])
                             AS u(o, k, t, f, s, v, fl)
                        WHERE m.outfall_id = u.o AND m.kind = u.k AND m.data_time = u.t AND m.factor = u.f AND m.source = u.s""")
                        .params(received(), k.outfall, k.kind, k.time, k.factor, k.source,
                                chunk.stream().map(Row::value).toArray(Double[]::new),
                                chunk.stream().map(Row::flag).toArray(String[]::new))
                        .update();
                samples(importId, chunk, k, """
                        ON CONFLICT (outfall_id, kind, data_time, factor, source) DO UPDATE SET
                            below_detection = excluded.below_detection, original_value = excluded.original_value,
                            original_unit = excluded.original_unit, sampler = excluded.sampler, lab = excluded.lab,
                            report_no = excluded.report_no, import_id = excluded.import_id""");
            }
            return updated;
        }

        /** One audit change per corrected result: the stored value and its provenance before, the new one after. */
        List<AuditLog.Change> corrections(long importId) {
            List<AuditLog.Change> changes = new ArrayList<>(toCorrect.size());
            for (Correction c : toCorrect) {
                Row r = c.row();
                Map<String, Object> before = new LinkedHashMap<>();
                before.put("value", c.old().value());
                before.put("flag", c.old().flag());
                before.put("lab", c.old().lab());
                before.put("reportNo", c.old().reportNo());
                before.put("importId", c.old().importId());
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("value", r.value());
                after.put("flag", r.flag());
                after.put("lab", r.lab());
                after.put("reportNo", r.reportNo());
                after.put("importId", importId);
                after.put("row", r.number());
                changes.add(new AuditLog.Change(r.outfallId() + "/" + r.kind() + "/" + r.time() + "/" + r.factor().code
                        + "/" + r.source(), before, after));
            }
            return changes;
        }

        /** Inserts the new rows and their side rows; returns how many measurement rows were inserted. */
        int write(long importId) {
            int inserted = 0;
            for (int from = 0; from < toWrite.size(); from += CHUNK) {
                List<Row> chunk = toWrite.subList(from, Math.min(toWrite.size(), from + CHUNK));
                Keys k = new Keys(chunk);
                inserted += jdbc.sql("""
                        INSERT INTO measurement (outfall_id, kind, data_time, factor, source, rtd, avg, flag, received_at)
                        SELECT o, k, t, f, s, CASE WHEN k = 'REALTIME' THEN v END, CASE WHEN k <> 'REALTIME' THEN v END, fl, ?
                        FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::float8[], ?::text[])
                             AS u(o, k, t, f, s, v, fl)
                        ON CONFLICT DO NOTHING""")
                        .params(received(), k.outfall, k.kind, k.time, k.factor, k.source,
                                chunk.stream().map(Row::value).toArray(Double[]::new),
                                chunk.stream().map(Row::flag).toArray(String[]::new))
                        .update();
                samples(importId, chunk, k, "ON CONFLICT DO NOTHING");
            }
            return inserted;
        }

        private Timestamp received() {
            return Timestamp.from(now.truncatedTo(ChronoUnit.MICROS));
        }

        /** The side rows (sampler, lab, report number, this import) of written rows; notes the span written. */
        private void samples(long importId, List<Row> chunk, Keys k, String onConflict) {
            jdbc.sql("""
                    INSERT INTO measurement_sample (outfall_id, kind, data_time, factor, source, below_detection,
                                                    original_value, original_unit, sampler, lab, report_no, import_id)
                    SELECT o, k, t, f, s, b, ov, ou, sa, l, rn, ?
                    FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::boolean[], ?::text[],
                                ?::text[], ?::text[], ?::text[], ?::text[]) AS u(o, k, t, f, s, b, ov, ou, sa, l, rn)
                    """ + onConflict)
                    .params(importId, k.outfall, k.kind, k.time, k.factor, k.source,
                            chunk.stream().map(Row::belowDetection).toArray(Boolean[]::new),
                            chunk.stream().map(Row::valueCell).toArray(String[]::new),
                            chunk.stream().map(Row::unitCell).toArray(String[]::new),
                            chunk.stream().map(Row::sampler).toArray(String[]::new),
                            chunk.stream().map(Row::lab).toArray(String[]::new),
                            chunk.stream().map(Row::reportNo).toArray(String[]::new))
                    .update();
            for (Row r : chunk) {
                writtenOutfalls.add(r.outfallId());
                writtenKinds.add(r.kind());
                writtenFrom = writtenFrom == null || r.time().isBefore(writtenFrom) ? r.time() : writtenFrom;
                writtenTo = writtenTo == null || r.time().isAfter(writtenTo) ? r.time() : writtenTo;
            }
        }
    }

    /** The natural keys of a chunk of rows as the column arrays that unnest(…) takes. */
    private static final class Keys {
        final Long[] outfall;
        final String[] kind;
        final Timestamp[] time;
        final String[] factor;
        final String[] source;

        Keys(List<Row> rows) {
            outfall = rows.stream().map(Row::outfallId).toArray(Long[]::new);
            kind = rows.stream().map(r -> r.kind().name()).toArray(String[]::new);
            time = rows.stream().map(r -> Timestamp.from(r.time())).toArray(Timestamp[]::new);
            factor = rows.stream().map(r -> r.factor().code).toArray(String[]::new);
            source = rows.stream().map(Row::source).toArray(String[]::new);
        }
    }

    /** A stored manual or laboratory result with what its import recorded about it. */
    record SampleResult(String factor, String factorName, String unit, MeasurementKind kind, Instant dataTime,
                        String source, Double value, boolean belowDetection, String sampler, String lab, String reportNo,
                        Long importId) {
    }

    /** The newest manual, laboratory and self-monitoring results of an outfall; the caller has checked that it may see the outfall. */
    List<SampleResult> recent(long outfallId, int limit) {
        return jdbc.sql("""
                SELECT m.factor, m.kind, m.data_time, m.source, coalesce(m.rtd, m.avg), m.flag, s.sampler, s.lab,
                       s.report_no, s.import_id
                FROM measurement m LEFT JOIN measurement_sample s USING (outfall_id, kind, data_time, factor, source)
                WHERE m.outfall_id = ? AND m.source IN ('MANUAL', 'LAB', 'SELF')
                ORDER BY m.data_time DESC, m.factor LIMIT ?""")
                .params(outfallId, limit)
                .query((rs, i) -> {
                    Optional<WaterFactor> f = WaterFactor.ofCode(rs.getString(1));
                    return new SampleResult(rs.getString(1), f.map(x -> x.zh).orElse(null), f.map(x -> x.unit).orElse(null),
                            MeasurementKind.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(), rs.getString(4),
                            (Double) rs.getObject(5), "ND".equals(rs.getString(6)), rs.getString(7), rs.getString(8),
                            rs.getString(9), (Long) rs.getObject(10));
                })
                .list();
    }

    /** The columns of a results sheet with an example row, as CSV (UTF-8 with BOM, so Excel shows the Chinese). */
    static String template(boolean party) {
        return "\uFEFF" + String.join(",", Arrays.stream(Column.values()).map(Column::header).toList()) + "\r\n"
                + (party ? "32050600000001,2025-03-01 10:30,化学需氧量,28.5,mg/L,SELF,REALTIME,张三,本企业化验室,ZX-2025-0301\r\n"
                : "32050600000001,2025-03-01 10:30,化学需氧量,28.5,mg/L,LAB,REALTIME,张三,苏州市环境监测中心站,SZJC-2025-0301\r\n");
    }
}
