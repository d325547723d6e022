package org.gongzhi.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Region;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 系统管理 pages: users, organizations (regulators and responsible parties) and water bodies. Only administrators
 * reach /admin/** (SecurityConfiguration); what each one sees and may create is cut to their jurisdiction by
 * {@link Accounts} and {@link Organizations}, not by these pages. Every write follows post/redirect/get, except a
 * refused form, which is shown again with the reasons next to its fields.
 */
@Controller
@RequestMapping("/admin")
class AdminPages {

    private final Accounts accounts;
    private final Organizations organizations;
    private final WaterBodies waterBodies;
    private final Regions regions;
    private final MessageSource messages;

    AdminPages(Accounts accounts, Organizations organizations, WaterBodies waterBodies, Regions regions,
               MessageSource messages) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.waterBodies = waterBodies;
        this.regions = regions;
        this.messages = messages;
    }

    /** The user form as the browser sends it: all text, so that whatever was typed can be shown back. */
    record UserForm(String username, String displayName, String role, String organizationId) {
        static UserForm empty() {
            return new UserForm(null, null, null, null);
        }
    }

    record OrganizationForm(String kind, String name, String level, String regionCode, String basin, String partyType,
                            String uscc, String contactPhone) {
        static OrganizationForm empty() {
            return new OrganizationForm("PARTY", null, null, null, null, null, null, null);
        }
    }

    record WaterBodyForm(String name, String kind, String basin, String hj932Code, String targetClass,
                         String regionCode) {
        static WaterBodyForm empty() {
            return new WaterBodyForm(null, null, null, null, null, null);
        }
    }

    @ModelAttribute
    void common(Model model) {
        model.addAttribute("regions", regions);
    }

    @GetMapping
    String index() {
        return "redirect:/admin/users";
    }

    // ---------------------------------------------------------------- users

    @GetMapping("/users")
    String users(CurrentUser admin, Model model) {
        return usersPage(UserForm.empty(), List.of(), admin, model, null);
    }

    @PostMapping("/users")
    String createUser(@ModelAttribute UserForm form, @RequestParam(required = false) String password,
                      CurrentUser admin, Model model, Locale locale, RedirectAttributes redirect) {
        try {
            Accounts.UserView created = accounts.create(trim(form.username()), form.displayName(),
                    FieldErrors.enumOrNull(Role.class, form.role()), FieldErrors.longOr(form.organizationId(), -1),
                    password, admin);
            redirect.addFlashAttribute("notice", message("admin.user.created", locale, created.username()));
            return "redirect:/admin/users";
        } catch (InvalidInputException e) {
            return usersPage(form, e.problems(), admin, model, locale);
        }
    }

    @PostMapping("/users/{id}/enable")
    String enable(@PathVariable long id, CurrentUser admin, Locale locale, RedirectAttributes redirect) {
        accounts.setEnabled(id, true, admin);
        redirect.addFlashAttribute("notice", message("admin.user.enabled", locale, usernameOf(id, admin)));
        return "redirect:/admin/users";
    }

    @PostMapping("/users/{id}/disable")
    String disable(@PathVariable long id, CurrentUser admin, Locale locale, RedirectAttributes redirect) {
        if (id == admin.id()) {
            redirect.addFlashAttribute("alert", message("admin.user.cannotDisableSelf", locale));
            return "redirect:/admin/users";
        }
        accounts.setEnabled(id, false, admin);
        redirect.addFlashAttribute("notice", message("admin.user.disabled", locale, usernameOf(id, admin)));
        return "redirect:/admin/users";
    }

    @PostMapping("/users/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam(required = false) String password, CurrentUser admin,
                         Locale locale, RedirectAttributes redirect) {
        try {
            accounts.resetPassword(id, password, admin);
            redirect.addFlashAttribute("notice", message("admin.user.passwordReset", locale, usernameOf(id, admin)));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("resetFor", id);
            redirect.addFlashAttribute("resetErrors", e.problems().stream().map(p -> FieldErrors.reason(p, locale)).toList());
        }
        return "redirect:/admin/users";
    }

    private String usersPage(UserForm form, List<FieldProblem> problems, CurrentUser admin, Model model, Locale locale) {
        model.addAttribute("users", accounts.visibleTo(admin));
        model.addAttribute("regulators", organizations.managedBy(admin, Organization.Kind.REGULATOR));
        model.addAttribute("parties", organizations.managedBy(admin, Organization.Kind.PARTY));
        model.addAttribute("roles", Role.values());
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", FieldErrors.byField(problems, locale));
        return "admin/users";
    }

    private String usernameOf(long id, CurrentUser admin) {
        return accounts.visibleTo(admin).stream().filter(u -> u.id() == id).map(Accounts.UserView::username)
                .findFirst().orElse(String.valueOf(id));
    }

    // ---------------------------------------------------------------- organizations

    @GetMapping("/organizations")
    String organizations(CurrentUser admin, Model model) {
        return organizationsPage(OrganizationForm.empty(), List.of(), admin, model, null);
    }

    @PostMapping("/organizations")
    String createOrganization(@ModelAttribute OrganizationForm form, CurrentUser admin, Model model, Locale locale,
                              RedirectAttributes redirect) {
        Organization.Kind kind = FieldErrors.enumOrNull(Organization.Kind.class, form.kind());
        // Only the fields of the chosen kind are taken: the form shows both groups, the database allows one.
        Organization o = kind == Organization.Kind.REGULATOR
                ? new Organization(0, kind, form.name(), FieldErrors.enumOrNull(Organization.Level.class, form.level()),
                        trim(form.regionCode()), FieldErrors.enumOrNull(Basin.class, form.basin()), null, null, null)
                : new Organization(0, kind, form.name(), null, trim(form.regionCode()), null,
                        FieldErrors.enumOrNull(Organization.PartyType.class, form.partyType()),
                        upper(form.uscc()), trim(form.contactPhone()));
        try {
            Organization created = organizations.create(o, admin);
            redirect.addFlashAttribute("notice", message("admin.org.created", locale, created.name()));
            return "redirect:/admin/organizations";
        } catch (InvalidInputException e) {
            return organizationsPage(form, e.problems(), admin, model, locale);
        }
    }

    private String organizationsPage(OrganizationForm form, List<FieldProblem> problems, CurrentUser admin, Model model,
                                     Locale locale) {
        model.addAttribute("regulators", organizations.visibleTo(admin, Organization.Kind.REGULATOR));
        model.addAttribute("parties", organizations.visibleTo(admin, Organization.Kind.PARTY));
        model.addAttribute("kinds", Organization.Kind.values());
        model.addAttribute("levels", levelsFor(admin));
        model.addAttribute("partyTypes", Organization.PartyType.values());
        model.addAttribute("basins", Basin.values());
        model.addAttribute("regionOptions", regionsWithin(admin.jurisdiction()));
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", FieldErrors.byField(problems, locale));
        return "admin/organizations";
    }

    /** A regional administrator creates regulators below them; only a national one creates 部 or 流域局 bureaus. */
    private static List<Organization.Level> levelsFor(CurrentUser admin) {
        List<Organization.Level> levels = new ArrayList<>(List.of(Organization.Level.values()));
        if (admin.jurisdiction().scope() != Jurisdiction.Scope.NATIONAL) {
            levels.remove(Organization.Level.MINISTRY);
            levels.remove(Organization.Level.BASIN_BUREAU);
        }
        return levels;
    }

    // ---------------------------------------------------------------- water bodies

    @GetMapping("/water-bodies")
    String waterBodies(CurrentUser admin, Model model) {
        return waterBodiesPage(WaterBodyForm.empty(), List.of(), admin, model, null);
    }

    @PostMapping("/water-bodies")
    String createWaterBody(@ModelAttribute WaterBodyForm form, CurrentUser admin, Model model, Locale locale,
                           RedirectAttributes redirect) {
        try {
            WaterBody wb = waterBodies.create(form.name(), FieldErrors.enumOrNull(WaterBody.Kind.class, form.kind()),
                    FieldErrors.enumOrNull(Basin.class, form.basin()), trim(form.hj932Code()), trim(form.targetClass()),
                    trim(form.regionCode()), regions);
            redirect.addFlashAttribute("notice", message("admin.wb.created", locale, wb.name()));
            return "redirect:/admin/water-bodies";
        } catch (InvalidInputException e) {
            return waterBodiesPage(form, e.problems(), admin, model, locale);
        }
    }

    private String waterBodiesPage(WaterBodyForm form, List<FieldProblem> problems, CurrentUser admin, Model model,
                                   Locale locale) {
        model.addAttribute("waterBodies", waterBodies.all());
        model.addAttribute("kinds", WaterBody.Kind.values());
        model.addAttribute("basins", Basin.values());
        model.addAttribute("targetClasses", List.of("I", "II", "III", "IV", "V"));
        model.addAttribute("regionOptions", regionsWithin(admin.jurisdiction()));
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", FieldErrors.byField(problems, locale));
        return "admin/water-bodies";
    }

    // ---------------------------------------------------------------- helpers

    /** Every current region inside a jurisdiction, for the region code datalist (a basin or party admin gets none). */
    private List<Region> regionsWithin(Jurisdiction j) {
        List<Region> out = new ArrayList<>();
        if (j.scope() == Jurisdiction.Scope.NATIONAL || j.scope() == Jurisdiction.Scope.REGION) {
            String prefix = j.scope() == Jurisdiction.Scope.REGION ? j.regionPrefix() : "";
            for (Region p : regions.provinces()) {
                collect(p, prefix, out);
            }
        }
        return out;
    }

    private void collect(Region r, String prefix, List<Region> out) {
        boolean inside = r.code().startsWith(prefix);
        if (!inside && !prefix.startsWith(Region.significantPrefix(r.code()))) {
            return;
        }
        if (inside) {
            out.add(r);
        }
        regions.children(r.code()).forEach(c -> collect(c, prefix, out));
    }

    private String message(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, key, locale == null ? Locale.SIMPLIFIED_CHINESE : locale);
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String upper(String s) {
        String t = trim(s);
        return t == null ? null : t.toUpperCase(Locale.ROOT);
    }
}
