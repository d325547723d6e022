package org.gongzhi.approval;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.ledger.DischargeMode;
import org.gongzhi.ledger.DischargePattern;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages: the applicant's portal (my cases, a page per case with its state, deadline, what is missing, notices
 * and documents), the bureau's queue by deadline with overdue and due-soon flags, the case file with one-click
 * notices and decisions, statistics, and document verification.
 */
@Controller
@RequestMapping("/approvals")
class ApprovalPages {

    private final Approvals approvals;
    private final ApprovalDocuments documents;
    private final ApprovalCases cases;
    private final OutfallTypes types;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final Regions regions;
    private final Ledger ledger;

    ApprovalPages(Approvals approvals, ApprovalDocuments documents, ApprovalCases cases, OutfallTypes types,
                  WaterBodies waterBodies, Organizations organizations, Regions regions, Ledger ledger) {
        this.approvals = approvals;
        this.documents = documents;
        this.cases = cases;
        this.types = types;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.regions = regions;
        this.ledger = ledger;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "queue") String view, CurrentUser user, Model model) {
        boolean staff = approvals.authorityOf(user) != null;
        boolean queue = staff && "queue".equals(view);
        model.addAttribute("staff", staff);
        model.addAttribute("view", queue ? "queue" : "all");
        model.addAttribute("files", queue ? approvals.queue(user, true) : approvals.list(user, false));
        model.addAttribute("canApply", user.jurisdiction().scope() == Jurisdiction.Scope.PARTY || user.canEditLedger());
        return "approval/list";
    }

    // ---------------------------------------------------------------- application form

    @GetMapping("/new")
    String form(@RequestParam(required = false) String kind, @RequestParam(required = false) Long outfall,
                CurrentUser user, Model model, Locale locale) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("kind", kind == null ? "APPROVAL" : kind);
        form.put("settingType", "NEW");
        if (outfall != null) {
            form.put("outfallId", String.valueOf(outfall));
        }
        return formPage(form, List.of(), user, model, locale);
    }

    @PostMapping
    String apply(@RequestParam MultiValueMap<String, String> params, CurrentUser user, Model model, Locale locale) {
        Map<String, String> form = params.toSingleValueMap();
        List<FieldProblem> problems = new ArrayList<>();
        try {
            Approvals.ApplicationInput in = new Approvals.ApplicationInput(form.get("kind"), form.get("settingType"),
                    longOrNull("applicantOrgId", form.get("applicantOrgId"), problems),
                    dateOrNull("receivedOn", form.get("receivedOn"), problems),
                    longOrNull("outfallId", form.get("outfallId"), problems), form.get("name"), form.get("typeCode"),
                    form.get("regionCode"), longOrNull("waterBodyId", form.get("waterBodyId"), problems),
                    doubleOrNull("longitude", form.get("longitude"), problems),
                    doubleOrNull("latitude", form.get("latitude"), problems), form.get("dischargeMode"),
                    form.get("dischargePattern"), form.get("destination"),
                    decimalOrNull("designCapacity", form.get("designCapacity"), problems), form.get("projectName"),
                    form.get("projectBasis"), form.get("industry"), "on".equals(form.get("toxicDischarge")),
                    form.get("eiaLevel"), pollutants(form.get("pollutants"), problems),
                    shares(form.get("shares"), problems), form.get("description"));
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            ApprovalCase c = approvals.apply(in, user);
            return "redirect:/approvals/" + c.id();
        } catch (InvalidInputException e) {
            return formPage(form, e.problems(), user, model, locale);
        }
    }

    private String formPage(Map<String, String> form, List<FieldProblem> problems, CurrentUser user, Model model,
                            Locale locale) {
        boolean party = user.jurisdiction().scope() == Jurisdiction.Scope.PARTY;
        model.addAttribute("form", form);
        model.addAttribute("party", party);
        model.addAttribute("problems", problems);
        model.addAttribute("errors", errors(problems, locale));
        model.addAttribute("types", types.all());
        model.addAttribute("waterBodies", waterBodies.all());
        model.addAttribute("modes", DischargeMode.values());
        model.addAttribute("patterns", DischargePattern.values());
        model.addAttribute("parties", party ? List.of() : organizations.visibleTo(user, Organization.Kind.PARTY));
        model.addAttribute("outfalls", ledger.search(new LedgerQuery(null, null, null, null, null, null, null, null,
                LedgerQuery.Sort.NAME, false, 0, 200), user).items());
        model.addAttribute("industries", approvals.settings().fullReportIndustries());
        return "approval/form";
    }

    // ---------------------------------------------------------------- the case page

    @GetMapping("/{id}")
    String page(@PathVariable long id, CurrentUser user, Model model, Locale locale) {
        Approvals.CaseFile f = approvals.file(id, user);
        model.addAttribute("f", f);
        model.addAttribute("c", f.c());
        model.addAttribute("authorityName", documents.authorityName(f.c().authority()));
        model.addAttribute("place", regions.fullName(f.c().outfall().regionCode()));
        model.addAttribute("waterBody", f.c().outfall().waterBodyId() == null ? null
                : waterBodies.find(f.c().outfall().waterBodyId()).map(WaterBody::name).orElse(null));
        model.addAttribute("type", types.find(f.c().outfall().typeCode()).orElse(null));
        model.addAttribute("refusalReasons", cases.refusalReasons());
        model.addAttribute("titles", ApprovalDocuments.TITLES);
        model.addAttribute("today", approvals.today());
        if (!model.containsAttribute("problems")) {
            model.addAttribute("problems", List.of());
        }
        return "approval/case";
    }

    /** One action of the case page; a refusal shows the page again with the problems. */
    @PostMapping("/{id}/{action}")
    String act(@PathVariable long id, @PathVariable String action, @RequestParam MultiValueMap<String, String> params,
               @RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user, Model model,
               Locale locale, RedirectAttributes redirect) throws IOException {
        Map<String, String> p = params.toSingleValueMap();
        List<FieldProblem> problems = new ArrayList<>();
        int version = p.get("version") == null ? -1 : (int) (long) longOr(p.get("version"), -1);
        try {
            switch (action) {
                case "materials" -> {
                    if (file == null || file.isEmpty()) {
                        throw new InvalidInputException(FieldProblem.of("file", "", "请选择文件", "choose a file"));
                    }
                    approvals.addMaterial(id, p.get("kind"), file.getOriginalFilename(), file.getBytes(), user);
                }
                case "supplement-notice" -> approvals.requestSupplement(id, version, p.get("items"), user);
                case "supplied" -> approvals.supplied(id, version, user);
                case "accept" -> approvals.accept(id, version, user);
                case "pause" -> approvals.pause(id, version, p.get("reason"), dateOrNull("startedOn", p.get("startedOn"), problems),
                        p.get("note"), user);
                case "resume" -> approvals.resume(id, version, dateOrNull("endedOn", p.get("endedOn"), problems), user);
                case "extend" -> approvals.extend(id, version, p.get("reason"), user);
                case "approve" -> {
                    List<ApprovalDecided.DecidedLimit> limits = limits(p.get("limits"), problems);
                    BigDecimal volume = decimalOrNull("permittedVolume", p.get("permittedVolume"), problems);
                    LocalDate from = dateOrNull("validFrom", p.get("validFrom"), problems);
                    if (!problems.isEmpty()) {
                        throw new InvalidInputException(problems);
                    }
                    approvals.approve(id, version, new Approvals.DecisionInput(p.get("location"), p.get("dischargeMode"),
                            p.get("destination"), volume, from, limits, p.get("conditions")), user);
                }
                case "refuse" -> approvals.refuse(id, version, params.getOrDefault("reasons", List.of()), p.get("text"), user);
                case "confirm" -> approvals.confirm(id, version, user);
                case "return" -> approvals.returnToApplicant(id, version, p.get("reason"), user);
                case "resubmit" -> approvals.resubmit(id, version, user);
                case "not-accepted" -> approvals.notAccept(id, version, p.get("reason"), user);
                case "withdraw" -> approvals.withdraw(id, version, user);
                default -> throw new NotFoundException("action " + action);
            }
            redirect.addFlashAttribute("done", action);
            return "redirect:/approvals/" + id;
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            model.addAttribute("failedAction", action);
            model.addAttribute("input", p);
            return page(id, user, model, locale);
        }
    }

    // ---------------------------------------------------------------- statistics and verification

    @GetMapping("/statistics")
    String statistics(CurrentUser user, Model model) {
        model.addAttribute("s", approvals.statistics(user));
        model.addAttribute("staff", approvals.authorityOf(user) != null);
        ApprovalCase.Authority mine = approvals.authorityOf(user);
        model.addAttribute("bureau", mine == null ? user.organizationName() : documents.authorityName(mine));
        return "approval/statistics";
    }

    @GetMapping("/verify")
    String verify(@RequestParam(required = false) String code, Model model) {
        model.addAttribute("code", code);
        model.addAttribute("doc", code == null || code.isBlank() ? null : documents.byCode(code).orElse(null));
        model.addAttribute("titles", ApprovalDocuments.TITLES);
        return "approval/verify";
    }

    @GetMapping("/verify/{code}")
    String verifyLink(@PathVariable String code, Model model) {
        return verify(code, model);
    }

    // ---------------------------------------------------------------- parsing form text

    /** "w01018 50 14.6" a line: factor, concentration (mg/L), tonnes per year. */
    static List<ApprovalCase.Pollutant> pollutants(String text, List<FieldProblem> problems) {
        List<ApprovalCase.Pollutant> out = new ArrayList<>();
        for (String line : lines(text)) {
            String[] f = line.split("[\\s,，]+");
            BigDecimal conc = f.length > 1 ? decimalOrNull("pollutants", f[1], problems) : null;
            BigDecimal tons = f.length > 2 ? decimalOrNull("pollutants", f[2], problems) : null;
            out.add(new ApprovalCase.Pollutant(f[0], conc, tons));
        }
        return out;
    }

    /** "统一社会信用代码 volume pollutants…" a line: each party of a shared outfall (办法 Art 16). */
    List<ApprovalCase.PartyShare> shares(String text, List<FieldProblem> problems) {
        List<ApprovalCase.PartyShare> out = new ArrayList<>();
        for (String line : lines(text)) {
            String[] f = line.split("[\\s,，]+", 3);
            Organization org = organizations.findByUscc(f[0]).orElse(null);
            if (org == null) {
                problems.add(FieldProblem.of("shares", f[0], "没有该统一社会信用代码的责任主体",
                        "no responsible party with this unified social credit code"));
                continue;
            }
            out.add(new ApprovalCase.PartyShare(org.id(), f.length > 1 ? decimalOrNull("shares", f[1], problems) : null,
                    f.length > 2 ? f[2] : null));
        }
        return out;
    }

    /** "w01018 DAILY_MEAN LE 50 mg/L" or "w01001 INSTANT RANGE 6 9 无量纲" a line. */
    static List<ApprovalDecided.DecidedLimit> limits(String text, List<FieldProblem> problems) {
        List<ApprovalDecided.DecidedLimit> out = new ArrayList<>();
        for (String line : lines(text)) {
            String[] f = line.split("\\s+");
            if (f.length < 5 || (f[2].equals("RANGE") && f.length < 6)) {
                problems.add(FieldProblem.of("limits", line, "每行：因子 统计方式 LE/GE 限值 单位，或 因子 统计方式 RANGE 下限 上限 单位",
                        "one a line: factor statistic LE/GE value unit, or factor statistic RANGE low high unit"));
                continue;
            }
            if (f[2].equals("RANGE")) {
                out.add(new ApprovalDecided.DecidedLimit(f[0], f[1], f[2], null, decimalOrNull("limits", f[3], problems),
                        decimalOrNull("limits", f[4], problems), f[5]));
            } else {
                out.add(new ApprovalDecided.DecidedLimit(f[0], f[1], f[2], decimalOrNull("limits", f[3], problems), null,
                        null, f[4]));
            }
        }
        return out;
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    static Map<String, List<String>> errors(List<FieldProblem> problems, Locale locale) {
        boolean en = locale != null && "en".equals(locale.getLanguage());
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (FieldProblem p : problems) {
            String field = p.field().replaceAll("\\[.*", "");
            map.computeIfAbsent(field, k -> new ArrayList<>()).add((p.value() == null || p.value().isEmpty() ? "" : p.value() + "：")
                    + (en ? p.reasonEn() : p.reasonZh()));
        }
        return map;
    }

    private static long longOr(String s, long fallback) {
        try {
            return s == null || s.isBlank() ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static Long longOrNull(String field, String s, List<FieldProblem> problems) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of(field, s, "应为整数", "must be a whole number"));
            return null;
        }
    }

    static Double doubleOrNull(String field, String s, List<FieldProblem> problems) {
        BigDecimal d = decimalOrNull(field, s, problems);
        return d == null ? null : d.doubleValue();
    }

    static BigDecimal decimalOrNull(String field, String s, List<FieldProblem> problems) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of(field, s, "应为数字", "must be a number"));
            return null;
        }
    }

    static LocalDate dateOrNull(String field, String s, List<FieldProblem> problems) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.trim());
        } catch (DateTimeParseException e) {
            problems.add(FieldProblem.of(field, s, "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"));
            return null;
        }
    }
}
