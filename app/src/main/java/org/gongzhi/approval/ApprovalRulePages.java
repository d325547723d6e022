package org.gongzhi.approval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.WaterBodies;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** 系统管理 → 审批权限规则: the routing rules of the administrator's province (or all, for a national administrator). */
@Controller
@RequestMapping("/admin/approval-rules")
class ApprovalRulePages {

    private final ApprovalRules rules;
    private final WaterBodies waterBodies;

    ApprovalRulePages(ApprovalRules rules, WaterBodies waterBodies) {
        this.rules = rules;
        this.waterBodies = waterBodies;
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
            Long priority = ApprovalPages.longOrNull("priority", form.get("priority"), problems);
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            ApprovalCases.Rule r = rules.add(new ApprovalRules.RuleInput(form.get("provinceCode"),
                    priority == null ? null : priority.intValue(), form.get("criterion"), form.get("value"),
                    form.get("authorityLevel"), form.get("note")), admin);
            redirect.addFlashAttribute("added", r.id());
            return "redirect:/admin/approval-rules";
        } catch (InvalidInputException e) {
            return page(form, e.problems(), admin, model, locale);
        }
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, CurrentUser admin, Model model, Locale locale, RedirectAttributes redirect) {
        try {
            rules.remove(id, admin);
            redirect.addFlashAttribute("removed", id);
            return "redirect:/admin/approval-rules";
        } catch (InvalidInputException e) {
            return page(Map.of(), e.problems(), admin, model, locale);
        }
    }

    private String page(Map<String, String> form, List<FieldProblem> problems, CurrentUser admin, Model model, Locale locale) {
        model.addAttribute("rules", rules.visible(admin));
        model.addAttribute("province", ApprovalRules.provinceOf(admin));
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", ApprovalPages.errors(problems, locale));
        model.addAttribute("waterBodies", waterBodies.all());
        return "approval/rules";
    }
}
