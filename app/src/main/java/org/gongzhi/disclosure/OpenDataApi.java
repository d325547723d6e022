package org.gongzhi.disclosure;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.disclosure.PublicOutfalls.DaySummary;
import org.gongzhi.approval.PublicLegalBasis;
import org.gongzhi.compliance.PublicCompliance;
import org.gongzhi.disclosure.PublicOutfalls.PublicOutfall;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerPage;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.RateLimiter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open data (公开数据): public ledger fields and daily monitoring summaries, without sign-in. Built to avoid the four
 * traps of EPA ECHO's API (anchors-and-standards.md §1.3): one call, no query id to fetch later; one id, the national
 * code (never reused), which is also the public page's URL; flat records (one level, parties as a short list); and
 * no silent date window: a daily series needs {@code from} and {@code to}, or it answers 422 naming the field.
 * Lists page with {@code page}/{@code size} and say where the next page is; bulk files stream the whole selection.
 * Rate-limited per client IP (token bucket): list and detail calls, and bulk downloads separately.
 */
@RestController
class OpenDataApi {

    static final int MAX_PAGE = 500;
    static final int MAX_DAILY_DAYS = 366;
    static final int MAX_BULK_DAILY_DAYS = 31;

    private final Ledger ledger;
    private final PublicOutfalls outfalls;
    private final PublicLinks links;
    private final JsonMapper json;
    private final RateLimiter calls;
    private final RateLimiter bulk;

    OpenDataApi(Ledger ledger, PublicOutfalls outfalls, PublicLinks links, JsonMapper json,
                @Value("${gongzhi.open-data.calls-per-minute:120}") int callsPerMinute,
                @Value("${gongzhi.open-data.bulk-per-minute:6}") int bulkPerMinute) {
        this.ledger = ledger;
        this.outfalls = outfalls;
        this.links = links;
        this.json = json;
        this.calls = new RateLimiter(callsPerMinute, callsPerMinute);
        this.bulk = new RateLimiter(bulkPerMinute, bulkPerMinute);
    }

    @GetMapping(value = "/api/v1/open/outfalls", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list(@RequestParam(required = false) String region, @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "100") int size, HttpServletRequest request) {
        calls.checkAddress(request.getRemoteAddr());
        checkRegion(region);
        if (size < 1 || size > MAX_PAGE || page < 0) {
            throw new InvalidInputException(FieldProblem.of("size", size, "每页1至" + MAX_PAGE + "条，页码从0开始",
                    "size is 1 to " + MAX_PAGE + " and page starts at 0"));
        }
        LedgerPage<Outfall> result = ledger.search(query(region, page, size), CurrentUser.system());
        List<Map<String, Object>> items = outfalls.discloseWithoutMonitoring(result.items()).stream()
                .map(o -> record(o, request)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("page", page);
        body.put("size", size);
        body.put("total", result.total());
        body.put("total_exact", result.totalExact());
        boolean more = (long) (page + 1) * size < result.total() || !result.totalExact() && items.size() == size;
        body.put("next", more ? "/api/v1/open/outfalls?" + (region == null ? "" : "region=" + region + "&")
                + "page=" + (page + 1) + "&size=" + size : null);
        return body;
    }

    @GetMapping(value = "/api/v1/open/outfalls/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> one(@PathVariable String code, HttpServletRequest request) {
        calls.checkAddress(request.getRemoteAddr());
        return record(find(code), request);
    }

    @GetMapping(value = "/api/v1/open/outfalls/{code}/daily", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> daily(@PathVariable String code, @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to, HttpServletRequest request) {
        calls.checkAddress(request.getRemoteAddr());
        LocalDate[] window = window(from, to, MAX_DAILY_DAYS);
        PublicOutfall o = find(code);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", o.nationalCode());
        body.put("from", window[0].toString());
        body.put("to", window[1].toString());
        body.put("timezone", "Asia/Shanghai");
        body.put("items", monitoringPublic() ? summaries(o, window).stream().map(d -> daily(o.nationalCode(), d)).toList() : List.of());
        return body;
    }

    @GetMapping(value = "/api/v1/open/outfalls/{code}/daily.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> dailyCsv(@PathVariable String code, @RequestParam(required = false) String from,
                                                   @RequestParam(required = false) String to, HttpServletRequest request) {
        calls.checkAddress(request.getRemoteAddr());
        LocalDate[] window = window(from, to, MAX_DAILY_DAYS);
        PublicOutfall o = find(code);
        List<DaySummary> rows = monitoringPublic() ? summaries(o, window) : List.of();
        return download("daily-" + o.nationalCode() + ".csv", "text/csv;charset=UTF-8", out -> {
            Writer w = csv(out, DAILY_COLUMNS);
            for (DaySummary d : rows) {
                row(w, daily(o.nationalCode(), d).values());
            }
            w.flush();
        });
    }

    /** Bulk: daily summaries of every outfall of a region over at most 31 days, one CSV. */
    @GetMapping(value = "/api/v1/open/daily.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> bulkDaily(@RequestParam(required = false) String region,
                                                    @RequestParam(required = false) String from,
                                                    @RequestParam(required = false) String to, HttpServletRequest request) {
        bulk.checkAddress(request.getRemoteAddr());
        if (region == null) {
            throw new InvalidInputException(FieldProblem.of("region", null, "须指定行政区划代码", "region is required"));
        }
        checkRegion(region);
        LocalDate[] window = window(from, to, MAX_BULK_DAILY_DAYS);
        return download("daily-" + region + "-" + window[0] + "-" + window[1] + ".csv", "text/csv;charset=UTF-8", out -> {
            Writer w = csv(out, DAILY_COLUMNS);
            if (monitoringPublic()) {
                eachOutfallRead(region, o -> {
                    for (DaySummary d : outfalls.dailySummaries(o.id(), window[0], window[1])) {
                        row(w, daily(o.nationalCode(), d).values());
                    }
                });
            }
            w.flush();
        });
    }

    @GetMapping(value = "/api/v1/open/outfalls.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> csv(@RequestParam(required = false) String region, HttpServletRequest request) {
        bulk.checkAddress(request.getRemoteAddr());
        checkRegion(region);
        return download("outfalls" + (region == null ? "" : "-" + region) + ".csv", "text/csv;charset=UTF-8", out -> {
            Writer w = csv(out, OUTFALL_COLUMNS);
            eachOutfall(region, o -> {
                Map<String, Object> r = record(o, request);
                r.put("parties", String.join("；", ((List<?>) r.get("parties")).stream()
                        .map(p -> String.valueOf(((Map<?, ?>) p).get("name"))).toList()));
                r.put("limits", o.limits() == null ? null : String.join("；", o.limits().stream().map(OpenDataApi::limitText).toList()));
                row(w, r.values());
            });
            w.flush();
        });
    }

    @GetMapping(value = "/api/v1/open/outfalls.geojson", produces = "application/geo+json")
    ResponseEntity<StreamingResponseBody> geojson(@RequestParam(required = false) String region, HttpServletRequest request) {
        bulk.checkAddress(request.getRemoteAddr());
        checkRegion(region);
        return download("outfalls" + (region == null ? "" : "-" + region) + ".geojson", "application/geo+json", out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("{\"type\":\"FeatureCollection\",\"features\":[");
            boolean[] first = {true};
            eachOutfall(region, p -> {
                if (p.longitude() == null) {
                    return; // not public, or not surveyed: a feature needs a point (RFC 7946)
                }
                Map<String, Object> feature = new LinkedHashMap<>();
                feature.put("type", "Feature");
                feature.put("id", p.nationalCode());
                feature.put("geometry", Map.of("type", "Point", "coordinates", List.of(p.longitude(), p.latitude())));
                feature.put("properties", record(p, request));
                w.write(first[0] ? "" : ",");
                w.write(json.writeValueAsString(feature));
                first[0] = false;
            });
            w.write("]}");
            w.flush();
        });
    }

    // ------------------------------------------------------------------

    static final List<String> OUTFALL_COLUMNS = List.of("id", "name", "type", "type_name", "lifecycle", "region_code",
            "region_name", "water_body", "longitude", "latitude", "discharge_mode", "regime", "legal_basis_kind",
            "legal_basis_number", "legal_basis_date", "legal_basis_authority", "limits", "parties", "bureau", "updated_at",
            "page_url");
    static final List<String> DAILY_COLUMNS = List.of("id", "day", "factor", "factor_name", "unit", "mean", "min", "max",
            "values");

    private Map<String, Object> record(PublicOutfall o, HttpServletRequest request) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", o.nationalCode());
        r.put("name", o.name());
        r.put("type", o.typeCode());
        r.put("type_name", o.typeZh());
        r.put("lifecycle", o.lifecycle());
        r.put("region_code", o.regionCode());
        r.put("region_name", o.regionName());
        r.put("water_body", o.waterBody());
        r.put("longitude", o.longitude());
        r.put("latitude", o.latitude());
        r.put("discharge_mode", o.dischargeMode());
        r.put("regime", o.regime());
        PublicLegalBasis.InForce basis = o.legalBasis();
        r.put("legal_basis_kind", basis == null ? null : basis.kind().name());
        r.put("legal_basis_number", basis == null ? null : basis.number());
        r.put("legal_basis_date", basis == null || basis.date() == null ? null : basis.date().toString());
        r.put("legal_basis_authority", basis == null ? null : basis.authority());
        r.put("limits", o.limits() == null ? null : o.limits().stream().map(OpenDataApi::limit).toList());
        List<Map<String, Object>> parties = new ArrayList<>();
        o.parties().forEach(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("uscc", p.uscc());
            m.put("lead", p.lead());
            parties.add(m);
        });
        r.put("parties", parties);
        r.put("bureau", o.bureau());
        r.put("updated_at", o.updatedAt().toString());
        r.put("page_url", links.outfall(o.nationalCode(), request));
        return r;
    }

    /** A limit in force as one flat record (stable field names, docs/disclosure.md). */
    private static Map<String, Object> limit(PublicCompliance.LimitInForce l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factor", l.factor());
        m.put("factor_name", l.factorZh());
        m.put("statistic", l.statistic());
        m.put("comparison", l.comparison());
        m.put("value", l.value());
        m.put("low", l.low());
        m.put("high", l.high());
        m.put("unit", l.unit());
        m.put("condition", l.condition());
        m.put("source", l.source());
        m.put("standard", l.packCode());
        m.put("standard_version", l.packVersion());
        m.put("grade", l.grade());
        m.put("clause", l.clause());
        m.put("valid_from", l.validFrom() == null ? null : l.validFrom().toString());
        return m;
    }

    /** A limit in one CSV cell, e.g. "w01018 DAILY_MEAN LE 50 mg/L DECISION 320500审〔2026〕3号". */
    static String limitText(PublicCompliance.LimitInForce l) {
        String bound = l.comparison().equals("RANGE") ? l.low().toPlainString() + "-" + l.high().toPlainString()
                : l.value().toPlainString();
        String source = l.packCode() != null ? l.packCode() + " " + l.grade() : l.source();
        return String.join(" ", java.util.stream.Stream.of(l.factor(), l.statistic(), l.comparison(), bound, l.unit(),
                "NONE".equals(l.condition()) ? null : l.condition(), source, l.clause())
                .filter(x -> x != null && !x.isBlank()).toList());
    }

    private static Map<String, Object> daily(String id, DaySummary d) {
        Factors.Factor f = Factors.of(d.factor());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("day", d.day().toString());
        r.put("factor", d.factor());
        r.put("factor_name", f.zh());
        r.put("unit", f.unit());
        r.put("mean", round(d.mean()));
        r.put("min", round(d.min()));
        r.put("max", round(d.max()));
        r.put("values", d.count());
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private boolean monitoringPublic() {
        return outfalls.isPublic(PublicField.MONITORING);
    }

    /** Writes something for every outfall of the region (or the country), streaming; stops at the first write error. */
    private interface Each<T> {
        void write(T o) throws IOException;
    }

    /** How many outfalls are disclosed at once in a bulk download: one legal-basis query per chunk, not per outfall. */
    static final int CHUNK = 500;

    /** Every outfall's public record, disclosed in chunks. */
    private void eachOutfall(String region, Each<PublicOutfall> writer) throws IOException {
        List<Outfall> chunk = new ArrayList<>(CHUNK);
        eachOutfallRead(region, o -> {
            chunk.add(o);
            if (chunk.size() == CHUNK) {
                flush(chunk, writer);
            }
        });
        flush(chunk, writer);
    }

    private void flush(List<Outfall> chunk, Each<PublicOutfall> writer) throws IOException {
        for (PublicOutfall p : outfalls.discloseWithoutMonitoring(chunk)) {
            writer.write(p);
        }
        chunk.clear();
    }

    private void eachOutfallRead(String region, Each<Outfall> writer) throws IOException {
        IOException[] failed = new IOException[1];
        ledger.forEach(query(region, 0, MAX_PAGE), CurrentUser.system(), o -> {
            if (failed[0] == null) {
                try {
                    writer.write(o);
                } catch (IOException e) {
                    failed[0] = e; // the client went away: stop writing, let the container close the response
                }
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private List<DaySummary> summaries(PublicOutfall o, LocalDate[] window) {
        return ledger.findByNationalCode(o.nationalCode(), CurrentUser.system())
                .map(x -> outfalls.dailySummaries(x.id(), window[0], window[1])).orElse(List.of());
    }

    private PublicOutfall find(String code) {
        return outfalls.find(code).orElseThrow(() -> new NotFoundException("outfall " + code));
    }

    private static LedgerQuery query(String region, int page, int size) {
        return new LedgerQuery(region, null, null, null, null, null, null, null, LedgerQuery.Sort.CODE, false, page, size);
    }

    private static void checkRegion(String region) {
        if (region != null && !region.matches("\\d{6}")) {
            throw new InvalidInputException(FieldProblem.of("region", region, "行政区划代码应为6位数字",
                    "region is a 6-digit GB/T 2260 code"));
        }
    }

    /** The date window, both ends required: ECHO's effluent calls without dates silently answer a default window. */
    static LocalDate[] window(String from, String to, int maxDays) {
        List<FieldProblem> problems = new ArrayList<>();
        LocalDate f = date("from", from, problems);
        LocalDate t = date("to", to, problems);
        if (f != null && t != null) {
            if (t.isBefore(f)) {
                problems.add(FieldProblem.of("to", to, "结束日期早于开始日期", "to is before from"));
            } else if (t.toEpochDay() - f.toEpochDay() + 1 > maxDays) {
                problems.add(FieldProblem.of("to", to, "时间窗口不超过" + maxDays + "天", "the window is at most " + maxDays + " days"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new LocalDate[] {f, t};
    }

    private static LocalDate date(String field, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(FieldProblem.of(field, value, "须明确给出日期（YYYY-MM-DD），没有默认时间窗口",
                    "required (YYYY-MM-DD): there is no default window"));
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            problems.add(FieldProblem.of(field, value, "日期格式应为YYYY-MM-DD", "a date is YYYY-MM-DD"));
            return null;
        }
    }

    private static ResponseEntity<StreamingResponseBody> download(String filename, String type, StreamingResponseBody body) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(body);
    }

    private static Writer csv(OutputStream out, List<String> columns) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF'); // so that Excel opens it as UTF-8
        row(w, columns);
        return w;
    }

    private static void row(Writer w, java.util.Collection<?> values) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            String s = v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : String.valueOf(v);
            if (!(v instanceof Number)) {
                s = org.gongzhi.platform.Spreadsheets.formulaEscaped(s); // no formulas in a citizen's spreadsheet
            }
            if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            sb.append(s);
        }
        w.write(sb.append("\r\n").toString());
    }
}
