package org.gongzhi.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Region;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The ledger's web pages: list and search, detail with history, create and edit forms, map. */
@Controller
class LedgerPages {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final Ledger ledger;
    private final OutfallTypes types;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final NameSuggester names;
    private final OutfallFiles files;
    private final org.gongzhi.platform.StoredFiles storedFiles;

    LedgerPages(Ledger ledger, OutfallTypes types, Regions regions, WaterBodies waterBodies, Organizations organizations,
                NameSuggester names, OutfallFiles files, org.gongzhi.platform.StoredFiles storedFiles) {
        this.files = files;
        this.storedFiles = storedFiles;
        this.ledger = ledger;
        this.types = types;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.names = names;
    }

    @ModelAttribute
    void reference(Model model, CurrentUser user) {
        model.addAttribute("types", types.all());
        model.addAttribute("lifecycles", Lifecycle.values());
        model.addAttribute("regimes", Regime.values());
        model.addAttribute("waterBodies", waterBodies.all());
        model.addAttribute("regions", regions);
    }

    @GetMapping("/outfalls")
    String list(@RequestParam(required = false) String region, @RequestParam(required = false) String type,
                @RequestParam(required = false) Regime regime, @RequestParam(required = false) Lifecycle lifecycle,
                @RequestParam(required = false) Long waterBody, @RequestParam(required = false) Long party,
                @RequestParam(required = false) String q, @RequestParam(required = false) LocalDate asOf,
                @RequestParam(required = false) LedgerQuery.Sort sort, @RequestParam(defaultValue = "false") boolean desc,
                @RequestParam(defaultValue = "0") int page, CurrentUser user, Model model) {
        Instant at = asOf == null ? null : asOf.plusDays(1).atStartOfDay(CHINA).toInstant();
        LedgerQuery query = new LedgerQuery(region, type, regime, lifecycle, waterBody, party, q, at, sort, desc, page, 50);
        model.addAttribute("query", query);
        model.addAttribute("asOf", asOf);
        model.addAttribute("result", ledger.search(query, user));
        model.addAttribute("parties", organizations.visibleTo(user, Organization.Kind.PARTY));
        model.addAttribute("waterBodyNames", waterBodies.all().stream().collect(Collectors.toMap(WaterBody::id, WaterBody::name)));
        model.addAttribute("typeNames", types.all().stream().collect(Collectors.toMap(OutfallType::code, OutfallType::nameZh)));
        return "ledger/list";
    }

    @GetMapping("/outfalls/{id}")
    String detail(@PathVariable long id, @RequestParam(required = false) Instant asOf, CurrentUser user, Model model) {
        Outfall o = asOf == null ? ledger.find(id, user) : ledger.findAsOf(id, asOf, user);
        model.addAttribute("o", o);
        model.addAttribute("asOf", asOf);
        model.addAttribute("type", types.find(o.typeCode()).orElseThrow());
        model.addAttribute("regionName", regions.fullName(o.regionCode()));
        model.addAttribute("waterBody", o.waterBodyId() == null ? null : waterBodies.find(o.waterBodyId()).orElse(null));
        List<Ledger.Change> history = new ArrayList<>(ledger.history(id, user));
        java.util.Collections.reverse(history);
        model.addAttribute("history", history);
        model.addAttribute("files", storedFiles.list(OutfallFiles.OWNER, id));
        return "ledger/detail";
    }

    @PostMapping("/outfalls/{id}/files")
    String uploadFile(@PathVariable long id, @RequestParam(defaultValue = "PHOTO") org.gongzhi.platform.StoredFiles.Kind kind,
                      @RequestParam("file") org.springframework.web.multipart.MultipartFile file, CurrentUser user,
                      Locale locale, RedirectAttributes redirect) throws java.io.IOException {
        try {
            files.store(id, kind, file, user);
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("fileErrors", OutfallForm.byField(e.problems(), locale).values().stream()
                    .flatMap(List::stream).toList());
        }
        return "redirect:/outfalls/" + id;
    }

    @GetMapping("/outfalls/new")
    String newForm(CurrentUser user, Model model) {
        OutfallForm form = new OutfallForm();
        form.lifecycle = Lifecycle.SUSPECTED.name();
        return form(form, null, List.of(), user, model);
    }

    @PostMapping("/outfalls")
    String create(@ModelAttribute("form") OutfallForm form, CurrentUser user, Model model, Locale locale,
                  RedirectAttributes redirect) {
        List<FieldProblem> problems = new ArrayList<>();
        OutfallDraft draft = form.toDraft(problems, null);
        if (problems.isEmpty()) {
            try {
                Outfall o = ledger.create(draft, form.reason, user);
                redirect.addFlashAttribute("saved", true);
                return "redirect:/outfalls/" + o.id();
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        model.addAttribute("errors", OutfallForm.byField(problems, locale));
        return form(form, null, problems, user, model);
    }

    @GetMapping("/outfalls/{id}/edit")
    String editForm(@PathVariable long id, CurrentUser user, Model model) {
        Outfall o = ledger.find(id, user);
        return form(OutfallForm.of(o), o, List.of(), user, model);
    }

    @PostMapping("/outfalls/{id}")
    String update(@PathVariable long id, @ModelAttribute("form") OutfallForm form, CurrentUser user, Model model,
                  Locale locale, RedirectAttributes redirect) {
        Outfall before = ledger.find(id, user);
        List<FieldProblem> problems = new ArrayList<>();
        OutfallDraft draft = form.toDraft(problems, before);
        Long version = OutfallForm.integer("version", form.version, problems);
        if (problems.isEmpty()) {
            try {
                ledger.update(id, draft, version == null ? -1 : version.intValue(), form.reason, user);
                redirect.addFlashAttribute("saved", true);
                return "redirect:/outfalls/" + id;
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        model.addAttribute("errors", OutfallForm.byField(problems, locale));
        return form(form, before, problems, user, model);
    }

    private String form(OutfallForm form, Outfall existing, List<FieldProblem> problems, CurrentUser user, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("existing", existing);
        model.addAttribute("problems", problems);
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        model.addAttribute("parties", organizations.visibleTo(user, Organization.Kind.PARTY));
        model.addAttribute("counties", counties(user.jurisdiction()));
        model.addAttribute("modes", DischargeMode.values());
        model.addAttribute("patterns", DischargePattern.values());
        return "ledger/form";
    }

    /** The county-level regions an editor can choose from (a datalist; a national user gets all of them). */
    private List<Region> counties(Jurisdiction j) {
        List<Region> result = new ArrayList<>();
        for (Region p : regions.provinces()) {
            collectLeaves(p, j, result);
        }
        return result;
    }

    private void collectLeaves(Region r, Jurisdiction j, List<Region> out) {
        String prefix = j.scope() == Jurisdiction.Scope.REGION ? j.regionPrefix() : "";
        if (!r.code().startsWith(prefix) && !prefix.startsWith(Region.significantPrefix(r.code()))) {
            return;
        }
        List<Region> children = regions.children(r.code());
        if (children.isEmpty()) {
            if (r.code().startsWith(prefix)) {
                out.add(r);
            }
            return;
        }
        children.forEach(c -> collectLeaves(c, j, out));
    }

    @GetMapping("/outfalls/suggest-name")
    @ResponseBody
    String suggestName(@RequestParam(required = false) String regionCode, @RequestParam(required = false) String typeCode,
                       @RequestParam(required = false) List<String> partyId, CurrentUser user) {
        // The landmark is the first chosen party the user can see; ids outside the jurisdiction are ignored.
        String landmark = null;
        if (partyId != null) {
            List<Organization> visible = organizations.visibleTo(user, Organization.Kind.PARTY);
            landmark = partyId.stream().filter(s -> s != null && s.matches("\\d{1,18}")).map(Long::valueOf)
                    .flatMap(id -> visible.stream().filter(o -> o.id() == id)).map(Organization::name).findFirst()
                    .orElse(null);
        }
        String name = names.suggest(regionCode, typeCode, landmark, null);
        return "<input id=\"name\" name=\"name\" required maxlength=\"200\" value=\""
                + org.springframework.web.util.HtmlUtils.htmlEscape(name) + "\">";
    }

    @GetMapping("/outfalls/map")
    String map(jakarta.servlet.http.HttpServletRequest request, Model model) {
        String qs = request.getQueryString();
        model.addAttribute("dataUrl", "/outfalls/map/data" + (qs == null ? "" : "?" + qs));
        return "ledger/map";
    }
}
