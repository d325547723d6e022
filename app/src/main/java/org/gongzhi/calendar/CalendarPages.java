package org.gongzhi.calendar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 系统管理 → 工作日历: the loaded years, and adding a new year's notice from a holiday-cn JSON file or by typing its
 * days (/admin/** is for administrators; loading is for national ones).
 */
@Controller
@RequestMapping("/admin/calendar")
class CalendarPages {

    private final CalendarNotices notices;
    private final HolidayNotices store;

    CalendarPages(CalendarNotices notices, HolidayNotices store) {
        this.notices = notices;
        this.store = store;
    }

    /** The form: one day a line, "YYYY-MM-DD name 休|班". */
    record NoticeForm(String year, String sources, String days) {
        static NoticeForm empty() {
            return new NoticeForm("", "", "");
        }
    }

    @GetMapping
    String page(Model model, Locale locale) {
        return page(NoticeForm.empty(), List.of(), model, locale);
    }

    @PostMapping("/import")
    String importFile(@RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user, Model model,
                      Locale locale, RedirectAttributes redirect) throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException(FieldProblem.of("file", "", "请选择 holiday-cn 格式的 JSON 文件",
                        "choose a JSON file in the holiday-cn format"));
            }
            HolidayNotices.Notice n = notices.addFile(file.getBytes(), user);
            redirect.addFlashAttribute("loadedYear", n.year());
            return "redirect:/admin/calendar";
        } catch (InvalidInputException e) {
            model.addAttribute("importProblems", e.problems());
            return page(NoticeForm.empty(), List.of(), model, locale);
        }
    }

    @PostMapping
    String add(@ModelAttribute NoticeForm form, CurrentUser user, Model model, Locale locale,
               RedirectAttributes redirect) {
        try {
            CalendarNotices.requireAdmin(user);
            List<FieldProblem> problems = new ArrayList<>();
            Integer year = null;
            try {
                year = Integer.valueOf(form.year() == null ? "" : form.year().trim());
            } catch (NumberFormatException e) {
                problems.add(FieldProblem.of("year", form.year(), "年份应为四位数字", "the year must be four digits"));
            }
            List<HolidayNotices.DayLine> lines = new ArrayList<>();
            String[] rows = form.days() == null ? new String[0] : form.days().split("\\R");
            for (int i = 0; i < rows.length; i++) {
                String row = rows[i].trim();
                if (row.isEmpty()) {
                    continue;
                }
                String[] parts = row.split("[\\s,，]+");
                Boolean off = parts.length < 3 ? null : switch (parts[2]) {
                    case "休", "放假", "off" -> Boolean.TRUE;
                    case "班", "上班", "work" -> Boolean.FALSE;
                    default -> null;
                };
                lines.add(new HolidayNotices.DayLine(i + 1, parts[0], parts.length > 1 ? parts[1] : "", off));
            }
            List<String> sources = form.sources() == null ? List.of() : List.of(form.sources().split("\\R"));
            notices.add(store.validate(year, sources, lines, HolidayNotices.Origin.FORM, user.username(), problems), user);
            redirect.addFlashAttribute("loadedYear", year);
            return "redirect:/admin/calendar";
        } catch (InvalidInputException e) {
            return page(form, e.problems(), model, locale);
        }
    }

    private String page(NoticeForm form, List<FieldProblem> problems, Model model, Locale locale) {
        // Plain maps for the template: the notice records are internal to the module.
        model.addAttribute("notices", notices.all().stream().map(n -> Map.of("year", n.year(), "sources", n.sources(),
                "origin", n.origin().name(), "loadedAt", n.loadedAt(), "loadedBy", n.loadedBy(), "offDays", n.offDays(),
                "makeupDays", n.makeupDays())).toList());
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        boolean en = locale != null && "en".equals(locale.getLanguage());
        for (FieldProblem p : problems) {
            // Day lines are reported under the days field with their line number.
            String field = p.row() > 0 ? "days" : p.field();
            errors.computeIfAbsent(field, k -> new ArrayList<>())
                    .add((p.row() > 0 ? (en ? "line " + p.row() + ": " : "第 " + p.row() + " 行：") : "")
                            + (en ? p.reasonEn() : p.reasonZh()));
        }
        model.addAttribute("errors", errors);
        return "approval/calendar";
    }
}
