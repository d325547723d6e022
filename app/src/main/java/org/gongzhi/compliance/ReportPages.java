package org.gongzhi.compliance;

import java.time.YearMonth;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The monthly compliance report page: review, no-data codes and comments, sign-off, PDF. */
@Controller
class ReportPages {

    private final MonthlyReports reports;

    ReportPages(MonthlyReports reports) {
        this.reports = reports;
    }

    static YearMonth month(String value) {
        return EffluentCharts.month(value, "month", MonthlyReports.defaultMonth());
    }

    @GetMapping("/compliance/outfalls/{id}/report")
    String page(@PathVariable long id, @RequestParam(required = false) String month, CurrentUser user, Model model) {
        YearMonth m = month(month);
        model.addAttribute("r", reports.report(id, m, user));
        model.addAttribute("outfallId", id);
        model.addAttribute("month", m);
        model.addAttribute("previous", m.minusMonths(1));
        model.addAttribute("next", m.plusMonths(1));
        model.addAttribute("nodi", MonthlyReports.NODI);
        return "compliance/report";
    }

    @PostMapping("/compliance/outfalls/{id}/report")
    String save(@PathVariable long id, @RequestParam(required = false) String month, @RequestParam Map<String, String> form,
                CurrentUser user, Locale locale, RedirectAttributes redirect) {
        YearMonth m = month(month);
        try {
            reports.save(id, m, codes(form), form.get("comments"), user);
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("errors", AlertPages.messages(e.problems(), locale));
        }
        return "redirect:/compliance/outfalls/" + id + "/report?month=" + m;
    }

    @PostMapping("/compliance/outfalls/{id}/report/sign")
    String sign(@PathVariable long id, @RequestParam(required = false) String month, CurrentUser user, Locale locale,
                RedirectAttributes redirect) {
        YearMonth m = month(month);
        try {
            reports.sign(id, m, user, locale);
            redirect.addFlashAttribute("signed", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("errors", AlertPages.messages(e.problems(), locale));
        }
        return "redirect:/compliance/outfalls/" + id + "/report?month=" + m;
    }

    @GetMapping("/compliance/outfalls/{id}/report.pdf")
    @ResponseBody
    ResponseEntity<byte[]> pdf(@PathVariable long id, @RequestParam(required = false) String month, CurrentUser user,
                               Locale locale) {
        YearMonth m = month(month);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename("report-" + id + "-" + m + ".pdf").build().toString())
                .body(reports.pdf(id, m, user, locale));
    }

    /** The form's {@code code_<factor>} fields. */
    static Map<String, String> codes(Map<String, String> form) {
        Map<String, String> out = new TreeMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("code_")) {
                out.put(k.substring(5), v);
            }
        });
        return out;
    }
}
