package org.gongzhi.compliance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.PdfDocuments;
import org.gongzhi.platform.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monthly compliance report of an outfall (the DMR model, anchors-and-standards.md §1.1): per factor with a limit
 * in force, the limits and their clauses, the daily statistics against them (days with data, days judged, mean,
 * maximum, minimum, exceedance days with their percentages, days with too little valid data), the values excluded by
 * their HJ 212 flag, chronic/TRC findings; the party adds a no-data code (NODI) where there is nothing to report and
 * comments, then signs. Signing stores the canonical JSON, its SHA-256 and the PDF; the signed copy is never
 * regenerated (the database refuses to change it).
 */
@Service
class MonthlyReports {

    /** NODI codes of anchors §1.1 (state DMR applications; "C No Discharge", "9 Conditional – not required"). */
    static final Map<String, String[]> NODI = nodi();

    private static Map<String, String[]> nodi() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("C", new String[] {"无排放", "No discharge"});
        m.put("9", new String[] {"条件监测，本期不要求", "Conditional monitoring – not required this period"});
        m.put("2", new String[] {"停产", "Operation shutdown"});
        m.put("G", new String[] {"采样设备故障", "Sampling equipment failure"});
        m.put("D", new String[] {"样品丢失", "Lost sample"});
        m.put("E", new String[] {"未分析", "Analysis not conducted"});
        m.put("F", new String[] {"流量不足无法采样", "Insufficient flow for sampling"});
        m.put("K", new String[] {"洪水/自然灾害", "Flood / natural disaster"});
        m.put("B", new String[] {"低于检出限", "Below detection limit"});
        return m;
    }

    /** What the HJ 212 flags of excluded values mean (shared/domain/hj212.md §7, 2017 and 2005 lists). */
    static final Map<String, String[]> FLAGS = Map.of(
            "F", new String[] {"仪器停运/排放源停运", "instrument / source stopped"},
            "M", new String[] {"维护期间数据", "during maintenance"},
            "C", new String[] {"校准", "calibrating"},
            "D", new String[] {"仪器故障", "instrument fault"},
            "B", new String[] {"通讯异常", "communication fault"},
            "P", new String[] {"电源故障（2005）", "power failure (2005)"});

    enum Status { NONE, DRAFT, SIGNED }

    record Stored(long id, long outfallId, YearMonth month, Status status, Map<String, String> codes, String comments,
                  String content, String contentSha256, String signedBy, String signedByName, Instant signedAt,
                  String updatedBy, Instant updatedAt) {
    }

    /** The report as shown: the content (generated for a draft, as stored once signed) and the signature. */
    record Report(Status status, Map<String, Object> content, String contentSha256, String signedBy, String signedByName,
                  Instant signedAt, boolean canEdit, List<String> missing) {
    }

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final EffluentCharts charts;
    private final AuditLog audit;
    private final PdfDocuments pdf;
    private final JsonMapper json;

    MonthlyReports(JdbcClient jdbc, Ledger ledger, EffluentCharts charts, AuditLog audit, PdfDocuments pdf,
                   JsonMapper json) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.charts = charts;
        this.audit = audit;
        this.pdf = pdf;
        this.json = json;
    }

    static YearMonth defaultMonth() {
        return YearMonth.now(Evaluator.CHINA).minusMonths(1);
    }

    Optional<Stored> stored(long outfallId, YearMonth month) {
        return jdbc.sql("""
                SELECT id, outfall_id, month, status, codes::text, comments, content, content_sha256, signed_by,
                       signed_by_name, signed_at, updated_by, updated_at
                FROM monthly_report WHERE outfall_id = ? AND month = ?""")
                .params(outfallId, Date.valueOf(month.atDay(1)))
                .query((rs, i) -> new Stored(rs.getLong(1), rs.getLong(2), YearMonth.from(rs.getDate(3).toLocalDate()),
                        Status.valueOf(rs.getString(4)), codes(rs.getString(5)), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant(), rs.getString(12),
                        rs.getTimestamp(13).toInstant()))
                .optional();
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> codes(String text) {
        return new TreeMap<>(json.readValue(text, Map.class));
    }

    /** The report of a month: 404 outside the jurisdiction. */
    Report report(long outfallId, YearMonth month, CurrentUser user) {
        Outfall o = ledger.find(outfallId, user);
        Optional<Stored> s = stored(outfallId, month);
        if (s.isPresent() && s.get().status() == Status.SIGNED) {
            Stored x = s.get();
            return new Report(Status.SIGNED, readContent(x.content()), x.contentSha256(), x.signedBy(), x.signedByName(),
                    x.signedAt(), false, List.of());
        }
        Map<String, String> codes = s.map(Stored::codes).orElse(Map.of());
        String comments = s.map(Stored::comments).orElse(null);
        Map<String, Object> content = generate(o, month, codes, comments, user);
        return new Report(s.isPresent() ? Status.DRAFT : Status.NONE, content, sha256(canonical(content)), null, null, null,
                canSign(o, user) && month.isBefore(YearMonth.now(Evaluator.CHINA)), missing(content));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readContent(String text) {
        return json.readValue(text, LinkedHashMap.class);
    }

    /** Only a user of a responsible party of this outfall signs its reports (the party's authorized user). */
    private static boolean canSign(Outfall o, CurrentUser user) {
        return user.role() == Role.PARTY && o.parties().stream().anyMatch(p -> p.organizationId() == user.organizationId());
    }

    /**
     * The report content, in a fixed order (this is what is hashed): outfall, month, one row per factor with a limit
     * in force that month, the party's codes and comments.
     */
    Map<String, Object> generate(Outfall o, YearMonth month, Map<String, String> codes, String comments, CurrentUser user) {
        var matrix = charts.matrix(o.id(), month, month, user);
        List<String> factors = new ArrayList<>();
        matrix.rows().forEach(r -> factors.add(r.factor()));
        factors.addAll(matrix.limitedWithoutData());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String factor : factors) {
            if (Factor.of(factor).isEmpty()) {
                continue;
            }
            var s = charts.series(o.id(), factor, month, user);
            rows.add(row(s, codes.get(factor)));
        }
        Map<String, Object> outfall = new LinkedHashMap<>();
        outfall.put("id", o.id());
        outfall.put("nationalCode", o.nationalCode());
        outfall.put("name", o.name());
        outfall.put("regionCode", o.regionCode());
        outfall.put("parties", o.parties().stream().map(p -> p.name() + (p.uscc() == null ? "" : " " + p.uscc())).toList());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("document", "入河排污口月度达标报告 / monthly compliance report");
        c.put("outfall", outfall);
        c.put("month", month.toString());
        c.put("rows", rows);
        c.put("comments", comments == null ? "" : comments);
        return c;
    }

    private Map<String, Object> row(EffluentCharts.Series s, String code) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("factor", s.factor());
        r.put("nameZh", s.nameZh());
        r.put("nameEn", s.nameEn());
        r.put("unit", s.unit());
        // the limits in force, with the days they applied (a limit changing mid-month gives two entries)
        List<Map<String, Object>> limits = new ArrayList<>();
        Map<String, Object> current = null;
        for (var d : s.days()) {
            String key = d.limitText() == null ? null : d.limitText() + " · " + d.clause();
            if (key == null) {
                current = null;
                continue;
            }
            if (current == null || !key.equals(current.get("limit"))) {
                current = new LinkedHashMap<>();
                current.put("limit", key);
                current.put("from", d.day().toString());
                limits.add(current);
            }
            current.put("to", d.day().toString());
        }
        r.put("limits", limits);
        List<BigDecimal> judged = new ArrayList<>();
        long withData = s.points().stream().map(p -> Evaluator.chinaDay(p.t())).distinct().count();
        int insufficient = 0;
        List<Map<String, Object>> exceedances = new ArrayList<>();
        for (var d : s.days()) {
            switch (d.status()) {
                case "COMPLIANT" -> judged.add(d.value());
                case "EXCEEDANCE" -> {
                    judged.add(d.value());
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("day", d.day().toString());
                    e.put("value", plain(d.value()));
                    e.put("limit", d.limitText());
                    e.put("percent", s.findings().stream()
                            .filter(f -> f.kind() == Findings.Kind.VIOLATION && Evaluator.chinaDay(f.windowStart()).equals(d.day()))
                            .map(f -> plain(f.exceedancePercent())).findFirst().orElse(null));
                    exceedances.add(e);
                }
                case "INSUFFICIENT_DATA" -> insufficient++;
                default -> { }
            }
        }
        r.put("daysWithData", withData);
        r.put("daysJudged", judged.size());
        r.put("mean", judged.isEmpty() ? null : plain(Evaluator.mean(judged).setScale(3, RoundingMode.HALF_UP)));
        r.put("max", judged.stream().max(BigDecimal::compareTo).map(MonthlyReports::plain).orElse(null));
        r.put("min", judged.stream().min(BigDecimal::compareTo).map(MonthlyReports::plain).orElse(null));
        r.put("exceedances", exceedances);
        r.put("insufficientDays", insufficient);
        Map<String, Integer> excluded = new TreeMap<>();
        s.points().stream().filter(EffluentCharts.Point::excluded).forEach(p -> excluded.merge(p.flag(), 1, Integer::sum));
        List<Map<String, Object>> ex = new ArrayList<>();
        excluded.forEach((flag, n) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("flag", flag);
            e.put("count", n);
            String[] meaning = FLAGS.getOrDefault(flag, new String[] {flag, flag});
            e.put("reasonZh", meaning[0]);
            e.put("reasonEn", meaning[1]);
            ex.add(e);
        });
        r.put("excluded", ex);
        r.put("chronicOrTrc", s.findings().stream().filter(f -> f.kind() == Findings.Kind.CHRONIC || f.kind() == Findings.Kind.TRC)
                .map(f -> f.kind() + " " + Evaluator.chinaDay(f.windowStart()) + "–" + Evaluator.chinaDay(f.windowEnd().minusSeconds(1)))
                .distinct().toList());
        r.put("nodi", code == null ? "" : code);
        r.put("nodiText", code == null || !NODI.containsKey(code) ? "" : NODI.get(code)[0] + " / " + NODI.get(code)[1]);
        return r;
    }

    private static String plain(BigDecimal b) {
        return b == null ? null : b.stripTrailingZeros().toPlainString();
    }

    /** Factors with nothing judged and no NODI: what must be completed before signing (anchors §1.1 validation). */
    @SuppressWarnings("unchecked")
    static List<String> missing(Map<String, Object> content) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) content.get("rows")) {
            if (((Number) r.get("daysJudged")).intValue() == 0 && String.valueOf(r.get("nodi")).isEmpty()) {
                out.add(String.valueOf(r.get("factor")));
            }
        }
        return out;
    }

    /** Saves the party's codes and comments of a month not yet signed. */
    @Transactional
    Report save(long outfallId, YearMonth month, Map<String, String> codes, String comments, CurrentUser user) {
        Outfall o = ledger.find(outfallId, user);
        if (!canSign(o, user)) {
            throw new ForbiddenException("only a user of the outfall's responsible party completes its monthly report");
        }
        Map<String, String> clean = validate(codes, comments);
        Optional<Stored> before = stored(outfallId, month);
        if (before.isPresent() && before.get().status() == Status.SIGNED) {
            throw new InvalidInputException(FieldProblem.of("month", month, "该月报告已签署，不能修改", "this month's report is signed and cannot change"));
        }
        jdbc.sql("""
                INSERT INTO monthly_report (outfall_id, month, status, codes, comments, updated_by, updated_at)
                VALUES (?, ?, 'DRAFT', ?::jsonb, ?, ?, now())
                ON CONFLICT (outfall_id, month) DO UPDATE SET codes = EXCLUDED.codes, comments = EXCLUDED.comments,
                    updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""")
                .params(outfallId, Date.valueOf(month.atDay(1)), json.writeValueAsString(clean),
                        comments == null || comments.isBlank() ? null : comments.trim(), user.username())
                .update();
        audit.record(user, "SAVE_REPORT", "monthly_report", outfallId + "/" + month, null,
                before.map(b -> Map.of("codes", b.codes(), "comments", String.valueOf(b.comments()))).orElse(null),
                Map.of("codes", clean, "comments", String.valueOf(comments)));
        return report(outfallId, month, user);
    }

    private static Map<String, String> validate(Map<String, String> codes, String comments) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, String> clean = new TreeMap<>();
        (codes == null ? Map.<String, String>of() : codes).forEach((factor, code) -> {
            if (code == null || code.isBlank()) {
                return;
            }
            if (Factor.of(factor).isEmpty()) {
                problems.add(FieldProblem.of("codes." + factor, factor, "不认识的监测因子编码", "unknown factor code"));
            } else if (!NODI.containsKey(code.trim())) {
                problems.add(FieldProblem.of("codes." + factor, code, "无数据代码须为 " + String.join("、", NODI.keySet()) + " 之一",
                        "the no-data code must be one of " + String.join(", ", NODI.keySet())));
            } else {
                clean.put(factor, code.trim());
            }
        });
        if (comments != null && comments.length() > 4000) {
            problems.add(FieldProblem.of("comments", comments.length(), "说明不得超过4000字", "comments may not exceed 4000 characters"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return clean;
    }

    /**
     * Signs the month's report as the party's user: the month must be over and every factor must have judged days or
     * a no-data code. Stores the canonical content, its SHA-256 and the PDF, once.
     */
    @Transactional
    Report sign(long outfallId, YearMonth month, CurrentUser user, Locale locale) {
        Outfall o = ledger.find(outfallId, user);
        if (!canSign(o, user)) {
            throw new ForbiddenException("only a user of the outfall's responsible party signs its monthly report");
        }
        if (!month.isBefore(YearMonth.now(Evaluator.CHINA))) {
            throw new InvalidInputException(FieldProblem.of("month", month, "只能签署已结束月份的报告", "only a finished month can be signed"));
        }
        Optional<Stored> s = stored(outfallId, month);
        if (s.isPresent() && s.get().status() == Status.SIGNED) {
            throw new InvalidInputException(FieldProblem.of("month", month, "该月报告已签署", "this month's report is already signed"));
        }
        Map<String, Object> content = generate(o, month, s.map(Stored::codes).orElse(Map.of()),
                s.map(Stored::comments).orElse(null), user);
        List<String> missing = missing(content);
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing.stream().map(f -> FieldProblem.of("codes." + f, null,
                    "本月无有效判定数据，须填写无数据代码（如 C 无排放）", "no judged data this month: enter a no-data code (e.g. C no discharge)")).toList());
        }
        String canonical = canonical(content);
        String hash = sha256(canonical);
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("c", content);
        model.put("hash", hash);
        model.put("signedBy", user.username());
        model.put("signedByName", user.displayName() + " · " + user.organizationName());
        model.put("signedAt", at);
        model.put("draft", false);
        byte[] document = pdf.render("compliance/report-pdf", model, locale);
        jdbc.sql("""
                INSERT INTO monthly_report (outfall_id, month, status, codes, comments, content, content_sha256, pdf,
                    signed_by, signed_by_name, signed_at, updated_by, updated_at)
                VALUES (?, ?, 'SIGNED', ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (outfall_id, month) DO UPDATE SET status = 'SIGNED', content = EXCLUDED.content,
                    content_sha256 = EXCLUDED.content_sha256, pdf = EXCLUDED.pdf, signed_by = EXCLUDED.signed_by,
                    signed_by_name = EXCLUDED.signed_by_name, signed_at = EXCLUDED.signed_at,
                    updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""")
                .params(outfallId, Date.valueOf(month.atDay(1)), json.writeValueAsString(s.map(Stored::codes).orElse(Map.of())),
                        s.map(Stored::comments).orElse(null), canonical, hash, document, user.username(),
                        user.displayName() + " · " + user.organizationName(), Timestamp.from(at), user.username(), Timestamp.from(at))
                .update();
        audit.record(user, "SIGN_REPORT", "monthly_report", outfallId + "/" + month, null, null,
                Map.of("sha256", hash, "signedAt", at.toString()));
        return report(outfallId, month, user);
    }

    /** The PDF: the stored signed copy, or a draft rendered now and marked as such. */
    byte[] pdf(long outfallId, YearMonth month, CurrentUser user, Locale locale) {
        Report r = report(outfallId, month, user);
        if (r.status() == Status.SIGNED) {
            return jdbc.sql("SELECT pdf FROM monthly_report WHERE outfall_id = ? AND month = ? AND status = 'SIGNED'")
                    .params(outfallId, Date.valueOf(month.atDay(1))).query(byte[].class).single();
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("c", r.content());
        model.put("hash", r.contentSha256());
        model.put("draft", true);
        return pdf.render("compliance/report-pdf", model, locale);
    }

    /** The exact text that is hashed: the content as JSON, keys in their fixed insertion order, no whitespace. */
    String canonical(Map<String, Object> content) {
        return json.writeValueAsString(content);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
