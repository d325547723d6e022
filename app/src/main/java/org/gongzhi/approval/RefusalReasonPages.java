package org.gongzhi.approval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** 系统管理 → 不予许可理由目录 (national administrators). */
@Controller
@RequestMapping("/admin/refusal-reasons")
class RefusalReasonPages {

    private final RefusalReasons reasons;

    RefusalReasonPages(RefusalReasons reasons) {
        this.reasons = reasons;
    }

    @GetMapping
    String page(CurrentUser admin, Model model, Locale locale) {
        return page(Map.of(), List.of(), admin, model, locale);
    }

    @PostMapping
    String add(@RequestParam Map<String, String> form, CurrentUser admin, Model model, Locale locale,
               RedirectAttributes redirect) {
        try {
            List<FieldProblem> problems = new java.util.ArrayList<>();
            Long sort = ApprovalPages.longOrNull("sort", form.get("sort"), problems);
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            ApprovalCases.RefusalReason r = reasons.add(new RefusalReasons.Input(form.get("code"), form.get("zh"),
                    form.get("en"), form.get("basis"), sort == null ? null : sort.intValue()), admin);
            redirect.addFlashAttribute("saved", r.code());
            return "redirect:/admin/refusal-reasons";
        } catch (InvalidInputException e) {
            return page(form, e.problems(), admin, model, locale);
        }
    }

    @PostMapping("/{code}/retire")
    String retire(@PathVariable String code, CurrentUser admin, Model model, Locale locale, RedirectAttributes redirect) {
        return setActive(code, false, admin, model, locale, redirect);
    }

    @PostMapping("/{code}/restore")
    String restore(@PathVariable String code, CurrentUser admin, Model model, Locale locale, RedirectAttributes redirect) {
        return setActive(code, true, admin, model, locale, redirect);
    }

    private String setActive(String code, boolean active, CurrentUser admin, Model model, Locale locale,
                             RedirectAttributes redirect) {
        try {
            reasons.setActive(code, active, admin);
            redirect.addFlashAttribute("saved", code);
            return "redirect:/admin/refusal-reasons";
        } catch (InvalidInputException e) {
            return page(Map.of(), e.problems(), admin, model, locale);
        }
    }

    private String page(Map<String, String> form, List<FieldProblem> problems, CurrentUser admin, Model model,
                        Locale locale) {
        model.addAttribute("reasons", reasons.all(admin));
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", ApprovalPages.errors(problems, locale));
        return "approval/refusal-reasons";
    }
}
