package org.gongzhi.compliance;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** Effluent charts pages: the factor × month matrix, one factor's month as a chart, and both as CSV. */
@Controller
class EffluentPages {

    private final EffluentCharts charts;

    EffluentPages(EffluentCharts charts) {
        this.charts = charts;
    }

    @GetMapping("/compliance/outfalls/{id}")
    String matrix(@PathVariable long id, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  CurrentUser user, Model model) {
        var m = charts.matrix(id, EffluentCharts.month(from, "from", null), EffluentCharts.month(to, "to", null), user);
        model.addAttribute("m", m);
        model.addAttribute("o", m.outfall());
        model.addAttribute("from", m.months().get(0));
        model.addAttribute("to", m.months().get(m.months().size() - 1));
        return "compliance/effluent";
    }

    @GetMapping(value = "/compliance/outfalls/{id}/effluent.csv")
    @ResponseBody
    ResponseEntity<byte[]> matrixCsv(@PathVariable long id, @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to, CurrentUser user) {
        var m = charts.matrix(id, EffluentCharts.month(from, "from", null), EffluentCharts.month(to, "to", null), user);
        StringBuilder sb = new StringBuilder();
        sb.append(csv("outfall_code", "factor", "factor_name", "month", "status", "violations", "insufficient_days",
                "days_with_data", "days"));
        for (var r : m.rows()) {
            r.months().forEach((month, c) -> sb.append(csv(m.outfall().nationalCode(), r.factor(), r.nameZh(), month.toString(),
                    c.status().name(), c.violations(), c.insufficient(), c.dataDays(), c.days())));
        }
        return file(sb, "effluent-" + m.outfall().nationalCode() + ".csv");
    }

    @GetMapping("/compliance/outfalls/{id}/series")
    String series(@PathVariable long id, @RequestParam(required = false) String factor,
                  @RequestParam(required = false) String month, CurrentUser user, Model model) {
        var s = charts.series(id, factor, EffluentCharts.month(month, "month", YearMonth.now(Evaluator.CHINA)), user);
        model.addAttribute("s", s);
        model.addAttribute("previous", s.month().minusMonths(1));
        model.addAttribute("next", s.month().plusMonths(1));
        return "compliance/series";
    }

    @GetMapping("/compliance/outfalls/{id}/series.csv")
    @ResponseBody
    ResponseEntity<byte[]> seriesCsv(@PathVariable long id, @RequestParam(required = false) String factor,
                                     @RequestParam(required = false) String month, CurrentUser user) {
        var s = charts.series(id, factor, EffluentCharts.month(month, "month", YearMonth.now(Evaluator.CHINA)), user);
        StringBuilder sb = new StringBuilder();
        sb.append(csv("kind", "time_or_day", "factor", "value", "unit", "flag", "excluded", "status", "limit", "limit_low",
                "limit_high", "clause", "valid_hours"));
        for (var p : s.points()) {
            sb.append(csv("HOURLY", p.t(), s.factor(), p.v(), s.unit(), p.flag(), p.excluded(), "", "", "", "", "", ""));
        }
        for (var d : s.days()) {
            sb.append(csv("DAILY", d.day(), s.factor(), d.value(), s.unit(), "", "", d.status(), d.limit(), d.low(), d.high(),
                    d.clause(), d.validHours()));
        }
        for (var f : s.findings()) {
            sb.append(csv("FINDING", f.windowStart(), s.factor(), f.observed(), f.unit(), "", "", f.kind() + " " + f.status(),
                    f.limitValue(), "", "", f.limit().path("clause").asString(""), ""));
        }
        return file(sb, "series-" + id + "-" + s.factor() + "-" + s.month() + ".csv");
    }

    private static final java.time.format.DateTimeFormatter LOCAL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(Evaluator.CHINA);

    /**
     * One CSV line (RFC 4180 quoting); times in China time, decimals as written; a leading =, +, - or @ is prefixed
     * with ' so that spreadsheets do not run it as a formula.
     */
    static String csv(Object... cells) {
        return Stream.of(cells).map(c -> {
            String v = c == null ? "" : c instanceof java.math.BigDecimal b ? b.toPlainString()
                    : c instanceof java.time.Instant t ? LOCAL.format(t) : c.toString();
            if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) {
                v = "'" + v;
            }
            return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }).collect(Collectors.joining(",")) + "\r\n";
    }

    static ResponseEntity<byte[]> file(StringBuilder csv, String name) {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}; // so that Excel reads the Chinese names as UTF-8
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, out, 0, bom.length);
        System.arraycopy(body, 0, out, bom.length, body.length);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(out);
    }
}
