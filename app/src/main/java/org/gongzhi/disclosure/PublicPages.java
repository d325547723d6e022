package org.gongzhi.disclosure;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gongzhi.compliance.PublicCompliance;
import org.gongzhi.compliance.PublicCompliance.MonthStatus;
import org.gongzhi.disclosure.PublicOutfalls.PublicOutfall;
import org.gongzhi.disclosure.PublicOutfalls.Series;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The outfall's public page (opened from the signboard's QR code at the riverbank, so phone first and light: no
 * script, the 30-day chart is inline SVG with a table behind it), its QR code and its signboard; and for staff the
 * batch of signboards of a region.
 */
@Controller
class PublicPages {

    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    /** At most this many signboards in one batch PDF (a county has a few hundred outfalls). */
    static final int MAX_BATCH = 500;

    private final PublicOutfalls outfalls;
    private final Signboards signboards;
    private final PublicLinks links;
    private final Ledger ledger;
    private final ITemplateEngine templates;
    private final String tileUrl;
    private final String tileAttribution;
    private final ConcurrentHashMap<String, CachedPage> pages = new ConcurrentHashMap<>();

    PublicPages(PublicOutfalls outfalls, Signboards signboards, PublicLinks links, Ledger ledger, ITemplateEngine templates,
                @Value("${gongzhi.map.tile-url:}") String tileUrl, @Value("${gongzhi.map.attribution:}") String tileAttribution) {
        this.outfalls = outfalls;
        this.signboards = signboards;
        this.links = links;
        this.ledger = ledger;
        this.templates = templates;
        this.tileUrl = tileUrl;
        this.tileAttribution = tileAttribution;
    }

    /** One line of the chart: a factor's daily means as SVG polyline points in a 300 × 80 box. */
    record ChartLine(Series series, String points, String lastLabel) {
    }

    /**
     * The page is the same for everyone who asks in the same language, so its HTML is kept, encoded, for as long as
     * the record it was made from ({@link PublicOutfalls#find} returns the same record until it reads the outfall
     * again, {@code gongzhi.disclosure.cache}): a crowd of phones at one signboard costs one rendering, not one each.
     * Routed by {@link PublicPageRoute}, not by an annotated mapping (see there why).
     */
    ServerResponse page(ServerRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        return ServerResponse.ok().contentType(HTML)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale.getLanguage().equals("en") ? "en" : "zh-CN")
                .body(page(request.pathVariable("code"), locale, request.servletRequest()));
    }

    /** The page's HTML in UTF-8, rendered once per record and language. */
    byte[] page(String code, Locale locale, HttpServletRequest request) {
        PublicOutfall o = find(code);
        String url = links.outfall(o.nationalCode(), request);
        String key = url + "|" + locale.getLanguage();
        CachedPage cached = pages.get(key);
        if (cached == null || cached.outfall() != o) {
            Map<String, Object> model = new HashMap<>();
            model.put("o", o);
            model.put("ctx", request.getContextPath());
            model.put("url", url);
            model.put("charts", charts(o));
            model.put("summaryRows", summaryRows(o));
            model.put("phone", signboards.reportPhone());
            model.put("monitoringPublic", outfalls.isPublic(PublicField.MONITORING));
            model.put("tileUrl", tileUrl);
            model.put("tileAttribution", tileAttribution);
            if (pages.size() > 20_000) {
                pages.clear();
            }
            cached = new CachedPage(o, templates.process("disclosure/outfall", new Context(locale, model)).getBytes(StandardCharsets.UTF_8));
            pages.put(key, cached);
        }
        return cached.html();
    }

    private record CachedPage(PublicOutfall outfall, byte[] html) {
    }

    @GetMapping(value = "/o/{code}/qr.svg", produces = "image/svg+xml")
    ResponseEntity<String> qrSvg(@PathVariable String code, HttpServletRequest request) {
        PublicOutfall o = find(code);
        return cached("image/svg+xml", signboards.qrSvg(links.outfall(o.nationalCode(), request)));
    }

    @GetMapping(value = "/o/{code}/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> qrPng(@PathVariable String code, HttpServletRequest request) {
        PublicOutfall o = find(code);
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                .body(signboards.qrPng(links.outfall(o.nationalCode(), request), 600));
    }

    @GetMapping(value = "/o/{code}/signboard.svg", produces = "image/svg+xml")
    ResponseEntity<String> signboardSvg(@PathVariable String code, HttpServletRequest request) {
        PublicOutfall o = find(code);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml;charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename("signboard-" + o.nationalCode() + ".svg", StandardCharsets.UTF_8).build().toString())
                .body(signboards.svg(o, links.outfall(o.nationalCode(), request)));
    }

    @GetMapping(value = "/o/{code}/signboard.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> signboardPdf(@PathVariable String code, HttpServletRequest request) {
        PublicOutfall o = find(code);
        return pdf("signboard-" + o.nationalCode() + ".pdf", signboards.pdf(List.of(o), x -> links.outfall(x.nationalCode(), request)));
    }

    /** Staff: the form for a batch of signboards of a region. */
    @GetMapping("/signboards")
    String batchForm(CurrentUser user, Model model) {
        return "disclosure/signboards";
    }

    /** Staff: the signboards of every outfall of a region in the caller's jurisdiction, one page each. */
    @GetMapping(value = "/signboards.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> batch(@RequestParam(required = false) String region, CurrentUser user, HttpServletRequest request) {
        if (region == null || !region.matches("\\d{6}")) {
            throw new InvalidInputException(FieldProblem.of("region", region, "请指定6位行政区划代码",
                    "give a 6-digit region code"));
        }
        List<org.gongzhi.ledger.Outfall> read = new ArrayList<>();
        ledger.forEach(new LedgerQuery(region, null, null, null, null, null, null, null, LedgerQuery.Sort.CODE, false, 0, 500),
                user, o -> {
                    if (read.size() < MAX_BATCH) {
                        read.add(o);
                    }
                });
        List<PublicOutfall> list = outfalls.discloseWithoutMonitoring(read);
        if (list.isEmpty()) {
            throw new NotFoundException("no outfalls in region " + region + " within the jurisdiction");
        }
        return pdf("signboards-" + region + ".pdf", signboards.pdf(list, x -> links.outfall(x.nationalCode(), request)));
    }

    private PublicOutfall find(String code) {
        return outfalls.find(code).orElseThrow(() -> new NotFoundException("outfall " + code));
    }

    private static ResponseEntity<String> cached(String type, String body) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type + ";charset=UTF-8"))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(body);
    }

    private static ResponseEntity<byte[]> pdf(String filename, byte[] body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(filename).build().toString())
                .body(body);
    }

    static List<ChartLine> charts(PublicOutfall o) {
        List<ChartLine> out = new ArrayList<>();
        if (o.series() == null) {
            return out;
        }
        long days = o.seriesTo().toEpochDay() - o.seriesFrom().toEpochDay();
        for (Series s : o.series()) {
            double max = s.days().stream().mapToDouble(PublicOutfalls.DaySummary::mean).max().orElse(1);
            double top = max <= 0 ? 1 : max * 1.1;
            StringBuilder pts = new StringBuilder();
            for (PublicOutfalls.DaySummary d : s.days()) {
                double x = days == 0 ? 0 : 300.0 * (d.day().toEpochDay() - o.seriesFrom().toEpochDay()) / days;
                double y = 80 - 80 * d.mean() / top;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            PublicOutfalls.DaySummary last = s.days().get(s.days().size() - 1);
            out.add(new ChartLine(s, pts.toString().trim(), String.format(Locale.ROOT, "%.3g", last.mean())));
        }
        return out;
    }

    /** A factor's 12 months with how many months had each status (the page says it in words, not only in colour). */
    record SummaryRow(PublicCompliance.FactorSummary factor, long compliant, long violation, long chronic, long insufficient) {
    }

    static List<SummaryRow> summaryRows(PublicOutfall o) {
        if (o.complianceSummary() == null) {
            return List.of();
        }
        return o.complianceSummary().factors().stream().map(f -> new SummaryRow(f, count(f, MonthStatus.COMPLIANT),
                count(f, MonthStatus.VIOLATION), count(f, MonthStatus.CHRONIC), count(f, MonthStatus.INSUFFICIENT_DATA))).toList();
    }

    private static long count(PublicCompliance.FactorSummary f, MonthStatus status) {
        return f.months().stream().filter(m -> m.status() == status).count();
    }

    /** A batch asked for without a proper region: a plain bilingual answer naming the field (this is a download). */
    @org.springframework.web.bind.annotation.ExceptionHandler(InvalidInputException.class)
    ResponseEntity<String> invalid(InvalidInputException e) {
        return ResponseEntity.badRequest().contentType(MediaType.parseMediaType("text/plain;charset=UTF-8"))
                .body(String.join("\n", e.problems().stream().map(FieldProblem::toString).toList()));
    }
}
