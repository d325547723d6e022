package org.gongzhi.supervision;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.StoredFiles;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The supervision pages: the bureau's dashboard (campaigns, plans, orders, inspections), a campaign with its
 * progress and points, the inspector's day (task list and map, phone-first), the inspection record, a point's field
 * verification, rectification orders, remediation plans, the party's duties, and an outfall's supervision history
 * (loaded into the ledger's outfall page).
 */
@Controller
class SupervisionPages {

    private final Campaigns campaigns;
    private final PointImport pointImport;
    private final Remediation remediation;
    private final Progress progress;
    private final Inspections inspections;
    private final PartyDuties duties;
    private final Evidence evidence;
    private final LedgerLookup lookup;
    private final OutfallTypes types;
    private final Organizations organizations;
    private final SamplingResults results;
    private final WorkingDays workingDays;
    private final org.gongzhi.monitoring.ManualResultQueries selfResults;
    private final org.gongzhi.platform.PdfDocuments pdfs;
    private final org.gongzhi.platform.WaterBodies waterBodies;
    /** The basemap of the day's map: the same setting as the ledger's map (none: points on a plain background). */
    private final String tileUrl;
    private final String attribution;

    SupervisionPages(Campaigns campaigns, PointImport pointImport, Remediation remediation, Progress progress,
                     Inspections inspections, PartyDuties duties, Evidence evidence, LedgerLookup lookup, OutfallTypes types,
                     Organizations organizations, SamplingResults results, org.gongzhi.platform.PdfDocuments pdfs,
                     org.gongzhi.platform.WaterBodies waterBodies, WorkingDays workingDays,
                     org.gongzhi.monitoring.ManualResultQueries selfResults,
                     @org.springframework.beans.factory.annotation.Value("${gongzhi.map.tile-url:}") String tileUrl,
                     @org.springframework.beans.factory.annotation.Value("${gongzhi.map.attribution:}") String attribution) {
        this.waterBodies = waterBodies;
        this.workingDays = workingDays;
        this.selfResults = selfResults;
        this.tileUrl = tileUrl;
        this.attribution = attribution;
        this.results = results;
        this.pdfs = pdfs;
        this.campaigns = campaigns;
        this.pointImport = pointImport;
        this.remediation = remediation;
        this.progress = progress;
        this.inspections = inspections;
        this.duties = duties;
        this.evidence = evidence;
        this.lookup = lookup;
        this.types = types;
        this.organizations = organizations;
    }

    static boolean party(CurrentUser user) {
        return user.jurisdiction().scope() == Jurisdiction.Scope.PARTY;
    }

    static List<String> messages(InvalidInputException e, Locale locale) {
        boolean en = "en".equals(locale.getLanguage());
        return e.problems().stream().map(p -> (p.row() > 0 ? "#" + p.row() + " " : "") + p.field()
                + (p.value() == null || p.value().isEmpty() ? "" : " (" + p.value() + ")") + ": "
                + (en ? p.reasonEn() : p.reasonZh())).toList();
    }

    private Map<Long, LedgerLookup.OutfallRef> names(java.util.Collection<Long> ids, CurrentUser user) {
        return lookup.visible(ids, user);
    }

    // ---- dashboard ----------------------------------------------------------------------------------------------

    @GetMapping("/supervision")
    String home(CurrentUser user, Model model) {
        if (party(user)) {
            return "redirect:/supervision/duties";
        }
        LocalDate today = LocalDate.now(Remediation.CHINA);
        List<Remediation.Plan> plans = remediation.open(user, 200);
        List<Inspections.Order> orders = inspections.openOrders(user, 200);
        List<Inspections.Inspection> recent = inspections.recent(user, 50);
        List<Long> ids = new ArrayList<>();
        plans.forEach(p -> ids.add(p.outfallId()));
        orders.forEach(o -> ids.add(o.outfallId()));
        recent.forEach(i -> ids.add(i.outfallId()));
        model.addAttribute("campaigns", campaigns.list(user));
        model.addAttribute("plans", plans);
        model.addAttribute("orders", orders);
        model.addAttribute("inspections", recent);
        model.addAttribute("outfalls", names(ids, user));
        model.addAttribute("today", today);
        model.addAttribute("overduePlans", plans.stream().filter(p -> p.overdue(today)).count());
        model.addAttribute("overdueOrders", orders.stream().filter(o -> o.overdue(today)).count());
        model.addAttribute("levels", Campaigns.Level.values());
        model.addAttribute("level1s", org.gongzhi.ledger.OutfallType.Level1.values());
        model.addAttribute("regionReport", progress.overall(user));
        model.addAttribute("waterBodies", waterBodies.all());
        model.addAttribute("regulators", organizations.visibleTo(user, Organization.Kind.REGULATOR).stream()
                .filter(r -> r.id() != user.organizationId()).toList());
        model.addAttribute("stats", inspections.stats(user, today));
        model.addAttribute("quarter", today.getYear() + "Q" + ((today.getMonthValue() - 1) / 3 + 1));
        return "supervision/home";
    }

    @PostMapping("/supervision/inspection-plans")
    String createInspectionPlan(@RequestParam MultiValueMap<String, String> form, CurrentUser user, Locale locale,
                                RedirectAttributes redirect) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        for (org.gongzhi.ledger.OutfallType.Level1 l : org.gongzhi.ledger.OutfallType.Level1.values()) {
            String v = form.getFirst("share." + l.name());
            if (v != null && !v.isBlank() && !v.trim().equals("0")) {
                try {
                    shares.put(l.name(), Integer.parseInt(v.trim()));
                } catch (NumberFormatException e) {
                    shares.put(l.name(), -1);
                }
            }
        }
        Double weight = null;
        try {
            weight = form.getFirst("findingWeight") == null || form.getFirst("findingWeight").isBlank() ? null
                    : Double.parseDouble(form.getFirst("findingWeight").trim());
        } catch (NumberFormatException e) {
            weight = -1.0;
        }
        Inspections.PlanInput in = new Inspections.PlanInput(form.getFirst("name"), form.getFirst("regionCode"),
                form.getFirst("quarter"), shares, weight, form.getFirst("inspector"), null);
        try {
            Inspections.Plan p = inspections.createPlan(in, user);
            redirect.addFlashAttribute("saved", true);
            redirect.addFlashAttribute("problems", List.of(p.name() + " · " + p.quarter() + " · " + p.rulesJson()));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
        }
        return "redirect:/supervision";
    }

    @PostMapping("/supervision/campaigns")
    String createCampaign(@RequestParam String name, @RequestParam(required = false) Campaigns.Level level,
                          @RequestParam(required = false) String regionCode, @RequestParam(required = false) LocalDate startsOn,
                          @RequestParam(required = false) LocalDate endsOn, @RequestParam(required = false) Integer duplicateRadiusM,
                          @RequestParam(required = false) List<Long> waterBodyIds, @RequestParam(required = false) List<Long> participantIds,
                          CurrentUser user, Locale locale, RedirectAttributes redirect) {
        try {
            Campaigns.Campaign c = campaigns.create(new Campaigns.CampaignInput(name, level, regionCode,
                    waterBodyIds == null ? List.of() : waterBodyIds, startsOn, endsOn,
                    participantIds == null ? List.of() : participantIds, duplicateRadiusM), user);
            return "redirect:/supervision/campaigns/" + c.id();
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
            return "redirect:/supervision";
        }
    }

    @PostMapping("/supervision/inspections")
    String createInspection(@RequestParam(required = false) Long outfallId, @RequestParam(required = false) Inspections.Origin origin,
                            @RequestParam(required = false) String originRef, @RequestParam(required = false) String inspector,
                            @RequestParam(required = false) LocalDate scheduledOn, CurrentUser user, Locale locale,
                            RedirectAttributes redirect) {
        try {
            Inspections.Inspection i = inspections.createAdHoc(new Inspections.AdHocInput(outfallId, origin, originRef, inspector,
                    scheduledOn), user);
            return "redirect:/supervision/inspections/" + i.id();
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
            return "redirect:/supervision";
        }
    }

    // ---- a campaign ---------------------------------------------------------------------------------------------

    @GetMapping("/supervision/campaigns/{id}")
    String campaign(@PathVariable long id, CurrentUser user, Model model) {
        Campaigns.Campaign c = campaigns.find(id, user);
        List<Campaigns.Point> points = campaigns.points(id, user);
        List<Campaigns.SamplingTask> tasks = campaigns.tasks(id, user);
        List<Remediation.Plan> plans = remediation.forCampaign(id, user);
        List<Long> ids = new ArrayList<>(campaigns.outfallIds(id, user));
        points.stream().map(Campaigns.Point::nearestOutfallId).filter(java.util.Objects::nonNull).forEach(ids::add);
        model.addAttribute("c", c);
        model.addAttribute("report", progress.report(id, user));
        model.addAttribute("points", points);
        model.addAttribute("tasks", tasks);
        model.addAttribute("plans", plans);
        model.addAttribute("outfallIds", campaigns.outfallIds(id, user));
        model.addAttribute("outfalls", names(ids, user));
        model.addAttribute("today", LocalDate.now(Remediation.CHINA));
        model.addAttribute("parties", party(user) ? List.of() : organizations.visibleTo(user, Organization.Kind.PARTY));
        return "supervision/campaign";
    }

    @PostMapping("/supervision/campaigns/{id}/import")
    String importPoints(@PathVariable long id, @RequestParam(value = "file", required = false) MultipartFile file,
                        CurrentUser user, Locale locale, RedirectAttributes redirect) throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException(FieldProblem.of("file", null, "请选择要上传的文件", "choose a file to upload"));
            }
            PointImport.Report r = pointImport.importPoints(id, file.getOriginalFilename(),
                    org.gongzhi.platform.Spreadsheets.readUpload(file, Evidence.MAX_UPLOAD), false, user);
            redirect.addFlashAttribute("importReport", r);
            redirect.addFlashAttribute("problems", messages(new InvalidInputException(r.problems()), locale));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
        }
        return "redirect:/supervision/campaigns/" + id;
    }

    @PostMapping("/supervision/campaigns/{id}/sampling")
    String planSampling(@PathVariable long id, @RequestParam(required = false) Long outfallId,
                        @RequestParam(required = false) LocalDate dueOn, @RequestParam(required = false) String factors,
                        CurrentUser user, Locale locale, RedirectAttributes redirect) {
        Campaigns.SamplingInput in = new Campaigns.SamplingInput(outfallId == null ? 0 : outfallId, dueOn,
                factors == null ? List.of() : List.of(factors.split("[,，\\s]+")));
        return act("redirect:/supervision/campaigns/" + id, () -> campaigns.planSampling(id, in, user), locale, redirect);
    }

    @PostMapping("/supervision/campaigns/{id}/sample")
    String recordSample(@PathVariable long id, @RequestParam(required = false) Long taskId,
                        @RequestParam(required = false) java.time.LocalDateTime sampledAt,
                        @RequestParam(required = false) String sampler, CurrentUser user, Locale locale,
                        RedirectAttributes redirect) {
        campaigns.find(id, user); // outside the jurisdiction: 404 before anything else
        Campaigns.SampleInput in = new Campaigns.SampleInput(sampledAt == null ? null : sampledAt.atZone(Remediation.CHINA).toInstant(),
                sampler, null);
        return act("redirect:/supervision/campaigns/" + id, () -> {
            if (taskId == null || campaigns.task(taskId, user).campaignId() == null || campaigns.task(taskId, user).campaignId() != id) {
                throw new InvalidInputException(FieldProblem.of("taskId", taskId, "请选择本次排查的采样任务", "choose a sampling task of this campaign"));
            }
            campaigns.recordSample(taskId, in, user);
            results.check(taskId, user);
        }, locale, redirect);
    }

    @PostMapping("/supervision/campaigns/{id}/traces")
    String trace(@PathVariable long id, @RequestParam(required = false) Long outfallId, @RequestParam(required = false) Long partyId,
                 @RequestParam(defaultValue = "false") boolean backstop, @RequestParam(required = false) String method,
                 @RequestParam(required = false) String evidence, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        Campaigns.TraceInput in = new Campaigns.TraceInput(outfallId == null ? 0 : outfallId, partyId, backstop, method, evidence);
        return act("redirect:/supervision/campaigns/" + id, () -> campaigns.trace(id, in, user), locale, redirect);
    }

    @PostMapping("/supervision/campaigns/{id}/plans")
    String createPlan(@PathVariable long id, @RequestParam(required = false) Long outfallId,
                      @RequestParam(required = false) Remediation.Action action, @RequestParam(required = false) Long mergeIntoOutfall,
                      @RequestParam(defaultValue = "false") boolean mergeIntoSewer, @RequestParam(required = false) String measures,
                      @RequestParam(required = false) LocalDate deadline, @RequestParam(required = false) Long accountableId,
                      CurrentUser user, Locale locale, RedirectAttributes redirect) {
        Remediation.PlanInput in = new Remediation.PlanInput(id, outfallId == null ? 0 : outfallId, action, mergeIntoOutfall,
                mergeIntoSewer, measures, deadline, accountableId);
        return act("redirect:/supervision/campaigns/" + id, () -> remediation.create(in, user), locale, redirect);
    }

    @PostMapping("/supervision/campaigns/{id}/points")
    String addGapPoint(@PathVariable long id, @RequestParam(required = false) String ref, @RequestParam(required = false) Double longitude,
                       @RequestParam(required = false) Double latitude, @RequestParam(required = false) String regionCode,
                       @RequestParam(required = false) String note, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        Campaigns.PointInput in = new Campaigns.PointInput(ref, "FIELD", longitude, latitude, regionCode, null, null, note);
        return act("redirect:/supervision/campaigns/" + id, () -> campaigns.addGapPoint(id, in, user), locale, redirect);
    }

    // ---- the inspector's day ------------------------------------------------------------------------------------

    /** One stop of the day, for the list and the map. */
    record Stop(String kind, long id, String title, String subtitle, Double longitude, Double latitude, String href) {
    }

    @GetMapping("/supervision/tasks")
    String tasks(CurrentUser user, Model model) {
        LocalDate today = LocalDate.now(Remediation.CHINA);
        List<Stop> stops = new ArrayList<>();
        if (!party(user)) {
            List<Inspections.Inspection> due = inspections.dueFor(user, today);
            Map<Long, LedgerLookup.OutfallRef> refs = names(due.stream().map(Inspections.Inspection::outfallId).toList(), user);
            for (Inspections.Inspection i : due) {
                Outfall o = campaigns.outfall(i.outfallId(), user);
                stops.add(new Stop("INSPECTION", i.id(), refs.containsKey(o.id()) ? o.name() : "#" + o.id(),
                        o.nationalCode() + " · " + i.scheduledOn(), o.longitude(), o.latitude(), "/supervision/inspections/" + i.id()));
            }
            for (Campaigns.Campaign c : campaigns.list(user)) {
                if (c.endsOn().isBefore(today)) {
                    continue;
                }
                campaigns.points(c.id(), user).stream().filter(p -> p.status() == Campaigns.PointStatus.SUSPECTED).limit(100)
                        .forEach(p -> stops.add(new Stop("POINT", p.id(), p.ref(), c.name(), p.longitude(), p.latitude(),
                                "/supervision/points/" + p.id())));
            }
        }
        model.addAttribute("stops", stops);
        model.addAttribute("tileUrl", tileUrl);
        model.addAttribute("attribution", attribution);
        model.addAttribute("today", today);
        return "supervision/tasks";
    }

    // ---- field verification of a point --------------------------------------------------------------------------

    @GetMapping("/supervision/points/{id}")
    String point(@PathVariable long id, CurrentUser user, Model model) {
        Campaigns.Point p = campaigns.point(id, user);
        model.addAttribute("p", p);
        model.addAttribute("c", campaigns.find(p.campaignId(), user));
        model.addAttribute("types", types.all());
        model.addAttribute("photos", evidence.list("campaign_point", id));
        model.addAttribute("nearest", p.nearestOutfallId() == null ? null
                : names(List.of(p.nearestOutfallId()), user).get(p.nearestOutfallId()));
        return "supervision/point";
    }

    @PostMapping("/supervision/points/{id}/photos")
    String pointPhoto(@PathVariable long id, @RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user,
                      Locale locale, RedirectAttributes redirect) throws IOException {
        store("campaign_point", id, StoredFiles.Kind.PHOTO, file, user, locale, redirect);
        return "redirect:/supervision/points/" + id;
    }

    @PostMapping("/supervision/points/{id}/verify")
    String verify(@PathVariable long id, @RequestParam(required = false) Campaigns.Decision decision,
                  @RequestParam(required = false) String name, @RequestParam(required = false) String typeCode,
                  @RequestParam(required = false) Double longitude, @RequestParam(required = false) Double latitude,
                  @RequestParam(required = false) Long outfallId, @RequestParam(required = false) String note,
                  CurrentUser user, Locale locale, RedirectAttributes redirect) {
        Campaigns.VerifyInput in = new Campaigns.VerifyInput(decision, name, typeCode, longitude, latitude, null, outfallId, note);
        return act("redirect:/supervision/points/" + id, () -> campaigns.verify(id, in, user), locale, redirect);
    }

    // ---- inspection record --------------------------------------------------------------------------------------

    @GetMapping("/supervision/inspections/{id}")
    String inspection(@PathVariable long id, CurrentUser user, Model model) {
        Inspections.Inspection i = inspections.find(id, user);
        Outfall o = campaigns.outfall(i.outfallId(), user);
        model.addAttribute("i", i);
        model.addAttribute("o", o);
        model.addAttribute("items", inspections.checklist(o));
        model.addAttribute("photos", evidence.list(Inspections.FILES, id));
        model.addAttribute("findings", inspections.findings(id));
        model.addAttribute("orders", inspections.ordersOf(id, user));
        model.addAttribute("cases", inspections.cases(id, user));
        model.addAttribute("answers", answers(i.checklistJson()));
        model.addAttribute("inspectorSigned", signer(i.inspectorSignature()));
        model.addAttribute("partySigned", signer(i.partySignature()));
        model.addAttribute("canComplete", !i.completed() && !party(user)
                && (i.inspector().equals(user.username()) || user.canEditLedger()));
        model.addAttribute("orderWorkingDays", workingDays.orderDays);
        model.addAttribute("enforcementBasis", Inspections.ENFORCEMENT_BASIS);
        return "supervision/inspection";
    }

    /** One answered checklist item of a completed record. */
    record Answer(String item, String result, String note) {
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static List<Answer> answers(String checklistJson) {
        List<Answer> out = new ArrayList<>();
        if (checklistJson != null) {
            JSON.readTree(checklistJson).forEach(n -> out.add(new Answer(n.path("item").asString(), n.path("result").asString(),
                    n.path("note").asString(""))));
        }
        return out;
    }

    /** Who signed: the typed names of the inspector and the party's representative, and when. */
    private static String signer(String signatureJson) {
        if (signatureJson == null) {
            return null;
        }
        tools.jackson.databind.JsonNode n = JSON.readTree(signatureJson);
        return n.path("name").asString("") + " · " + n.path("signedAt").asString("");
    }

    /** The completed record as a PDF (现场检查记录) for the file and for the party; 404 until it is completed. */
    @GetMapping("/supervision/inspections/{id}/record.pdf")
    org.springframework.http.ResponseEntity<byte[]> recordPdf(@PathVariable long id, CurrentUser user) {
        Inspections.Inspection i = inspections.find(id, user);
        if (!i.completed()) {
            throw new org.gongzhi.platform.NotFoundException("completed record of inspection " + id);
        }
        Outfall o = campaigns.outfall(i.outfallId(), user);
        Map<Long, Inspections.Order> orders = new LinkedHashMap<>();
        inspections.ordersOf(id, user).forEach(r -> orders.put(r.findingId(), r));
        List<Answer> answers = answers(i.checklistJson()).stream().map(a -> new Answer(
                java.util.Arrays.stream(Checklist.values()).filter(c -> c.name().equals(a.item())).map(Checklist::zh).findFirst()
                        .orElse(a.item()),
                switch (a.result()) { case "PASS" -> "合格"; case "FAIL" -> "不合格"; default -> "不适用"; }, a.note())).toList();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("i", i);
        model.put("o", o);
        model.put("type", types.find(o.typeCode()).map(org.gongzhi.ledger.OutfallType::nameZh).orElse(o.typeCode()));
        model.put("party", o.leadParty() == null ? "" : o.leadParty().name());
        model.put("origin", switch (i.origin()) { case PLAN -> "计划抽查"; case FINDING -> "超标发现"; case PUBLIC_REQUEST -> "公众诉求";
            case AD_HOC -> "临时检查"; });
        model.put("completedAt", i.completedAt().atZone(Remediation.CHINA).toLocalDateTime().toString().replace('T', ' '));
        model.put("answers", answers);
        model.put("findings", inspections.findings(id));
        model.put("orders", orders);
        model.put("basis", Inspections.ENFORCEMENT_BASIS);
        model.put("inspectorSigned", signer(i.inspectorSignature()));
        model.put("partySigned", signer(i.partySignature()));
        byte[] pdf = pdfs.render("supervision/record-pdf", model, Locale.SIMPLIFIED_CHINESE);
        return org.springframework.http.ResponseEntity.ok()
                .header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION, org.springframework.http.ContentDisposition
                        .inline().filename("现场检查记录-" + id + ".pdf", java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .contentType(org.springframework.http.MediaType.APPLICATION_PDF).body(pdf);
    }

    @PostMapping("/supervision/inspections/{id}/photos")
    String inspectionPhoto(@PathVariable long id, @RequestParam(value = "file", required = false) MultipartFile file,
                           CurrentUser user, Locale locale, RedirectAttributes redirect) throws IOException {
        store(Inspections.FILES, id, StoredFiles.Kind.PHOTO, file, user, locale, redirect);
        return "redirect:/supervision/inspections/" + id;
    }

    @PostMapping("/supervision/inspections/{id}/complete")
    String complete(@PathVariable long id, @RequestParam MultiValueMap<String, String> form, CurrentUser user, Locale locale,
                    Model model, RedirectAttributes redirect) {
        Map<String, String> checklist = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        for (Checklist item : Checklist.values()) {
            if (form.getFirst("item." + item.name()) != null) {
                checklist.put(item.name(), form.getFirst("item." + item.name()));
            }
            if (form.getFirst("note." + item.name()) != null) {
                notes.put(item.name(), form.getFirst("note." + item.name()));
            }
        }
        List<Inspections.FindingInput> findings = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            String p = "finding" + k + ".";
            if (form.getFirst(p + "description") == null) {
                continue;
            }
            findings.add(new Inspections.FindingInput(form.getFirst(p + "item"), form.getFirst(p + "description"),
                    form.getFirst(p + "legalBasis"), "on".equals(form.getFirst(p + "serious")), form.getFirst(p + "requirement"),
                    date(form.getFirst(p + "deadline")), integer(form.getFirst(p + "workingDays"))));
        }
        try {
            inspections.complete(id, new Inspections.CompleteInput(checklist, notes, number(form.getFirst("longitude")),
                    number(form.getFirst("latitude")), form.getFirst("samples"), form.getFirst("summary"), findings,
                    form.getFirst("inspectorName"), form.getFirst("partyRepresentative")), user);
            redirect.addFlashAttribute("saved", true);
            return "redirect:/supervision/inspections/" + id;
        } catch (InvalidInputException e) {
            model.addAttribute("problems", messages(e, locale));
            model.addAttribute("form", form.toSingleValueMap());
            return inspection(id, user, model);
        }
    }

    private static Double number(String s) {
        try {
            return s == null || s.isBlank() ? null : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(FieldProblem.of("longitude", s, "不是数字", "not a number"));
        }
    }

    /** A whole number typed into a form, or -1 when it is not one (refused with the field's reason). */
    private static Integer integer(String s) {
        try {
            return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static LocalDate date(String s) {
        try {
            return s == null || s.isBlank() ? null : LocalDate.parse(s.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    // ---- rectification orders -----------------------------------------------------------------------------------

    @GetMapping("/supervision/orders/{id}")
    String order(@PathVariable long id, CurrentUser user, Model model) {
        Inspections.Order o = inspections.order(id, user);
        model.addAttribute("order", o);
        model.addAttribute("outfall", campaigns.outfall(o.outfallId(), user));
        model.addAttribute("finding", inspections.findings(o.inspectionId()).stream().filter(f -> f.id() == o.findingId())
                .findFirst().orElse(null));
        model.addAttribute("files", evidence.list(Inspections.ORDER_FILES, id));
        model.addAttribute("party", organizations.find(o.partyId()).map(Organization::name).orElse(""));
        model.addAttribute("isParty", party(user) && user.organizationId() == o.partyId());
        model.addAttribute("canReview", !party(user) && "RESPONDED".equals(o.status()));
        model.addAttribute("today", LocalDate.now(Remediation.CHINA));
        return "supervision/order";
    }

    @PostMapping("/supervision/orders/{id}/files")
    String orderFile(@PathVariable long id, @RequestParam(value = "file", required = false) MultipartFile file,
                     @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind, CurrentUser user, Locale locale,
                     RedirectAttributes redirect) throws IOException {
        store(Inspections.ORDER_FILES, id, kind, file, user, locale, redirect);
        return "redirect:/supervision/orders/" + id;
    }

    @PostMapping("/supervision/orders/{id}/respond")
    String respond(@PathVariable long id, @RequestParam(required = false) String response, CurrentUser user, Locale locale,
                   RedirectAttributes redirect) {
        return act("redirect:/supervision/orders/" + id, () -> inspections.respond(id, response, user), locale, redirect);
    }

    @PostMapping("/supervision/orders/{id}/review")
    String reviewOrder(@PathVariable long id, @RequestParam(defaultValue = "false") boolean accept,
                       @RequestParam(required = false) String note, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        return act("redirect:/supervision/orders/" + id, () -> inspections.review(id, accept, note, user), locale, redirect);
    }

    // ---- remediation plans --------------------------------------------------------------------------------------

    @GetMapping("/supervision/plans/{id}")
    String plan(@PathVariable long id, CurrentUser user, Model model) {
        Remediation.Plan p = remediation.find(id, user);
        model.addAttribute("plan", p);
        model.addAttribute("outfall", campaigns.outfall(p.outfallId(), user));
        model.addAttribute("files", evidence.list(Remediation.FILES, id));
        model.addAttribute("canReport", p.status() == Remediation.Status.PLANNED
                && (party(user) ? user.organizationId() == p.accountableId() : user.canEditLedger()));
        model.addAttribute("canVerify", p.status() == Remediation.Status.REPORTED && user.canEditLedger() && !party(user));
        model.addAttribute("today", LocalDate.now(Remediation.CHINA));
        return "supervision/plan";
    }

    @PostMapping("/supervision/plans/{id}/files")
    String planFile(@PathVariable long id, @RequestParam(value = "file", required = false) MultipartFile file,
                    @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind, CurrentUser user, Locale locale,
                    RedirectAttributes redirect) throws IOException {
        store(Remediation.FILES, id, kind, file, user, locale, redirect);
        return "redirect:/supervision/plans/" + id;
    }

    @PostMapping("/supervision/plans/{id}/complete")
    String reportPlan(@PathVariable long id, @RequestParam(required = false) String note, CurrentUser user, Locale locale,
                      RedirectAttributes redirect) {
        return act("redirect:/supervision/plans/" + id, () -> remediation.reportCompletion(id, note, user), locale, redirect);
    }

    @PostMapping("/supervision/plans/{id}/verify")
    String verifyPlan(@PathVariable long id, @RequestParam(defaultValue = "false") boolean accept,
                      @RequestParam(required = false) String note, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        return act("redirect:/supervision/plans/" + id, () -> remediation.verify(id, accept, note, user), locale, redirect);
    }

    // ---- the party's duties -------------------------------------------------------------------------------------

    /** A dated entry of the party's duties calendar. */
    record Due(LocalDate date, String kind, String title, String href, boolean overdue) {
    }

    @GetMapping("/supervision/duties")
    String dutiesPage(CurrentUser user, Model model) {
        LocalDate today = LocalDate.now(Remediation.CHINA);
        List<PartyDuties.PatrolStatus> patrols = duties.patrolStatus(user, null, 200);
        List<Inspections.Order> orders = inspections.openOrders(user, 200);
        List<Remediation.Plan> plans = remediation.open(user, 200);
        Map<Long, LedgerLookup.OutfallRef> refs = names(java.util.stream.Stream.concat(orders.stream().map(Inspections.Order::outfallId),
                plans.stream().map(Remediation.Plan::outfallId)).toList(), user);
        List<Due> calendar = new ArrayList<>();
        patrols.forEach(p -> calendar.add(new Due(p.due(), "PATROL", p.outfallName(), "#patrol-" + p.outfallId(), p.overdue())));
        orders.forEach(o -> calendar.add(new Due(o.deadline(), "ORDER", refs.containsKey(o.outfallId())
                ? refs.get(o.outfallId()).name() : "#" + o.outfallId(), "/supervision/orders/" + o.id(), o.overdue(today))));
        plans.forEach(p -> calendar.add(new Due(p.deadline(), "PLAN", refs.containsKey(p.outfallId())
                ? refs.get(p.outfallId()).name() : "#" + p.outfallId(), "/supervision/plans/" + p.id(), p.overdue(today))));
        calendar.sort(Comparator.comparing(Due::date));
        model.addAttribute("calendar", calendar);
        model.addAttribute("patrols", patrols);
        model.addAttribute("orders", orders);
        model.addAttribute("plans", plans);
        model.addAttribute("outfalls", refs);
        model.addAttribute("today", today);
        model.addAttribute("isParty", party(user));
        model.addAttribute("standardization", duties.standardization(patrols.stream().map(PartyDuties.PatrolStatus::outfallId).toList(), user));
        // the self-monitoring record: what the party uploaded through the results import (source SELF), of these outfalls
        Map<Long, String> patrolNames = new LinkedHashMap<>();
        patrols.forEach(p -> patrolNames.put(p.outfallId(), p.outfallName()));
        model.addAttribute("patrolNames", patrolNames);
        model.addAttribute("selfMonitoring", selfResults.selfMonitoring(patrolNames.keySet(), 10));
        return "supervision/duties";
    }

    @PostMapping("/supervision/outfalls/{id}/standardization/{item}")
    String submitItem(@PathVariable long id, @PathVariable PartyDuties.Item item,
                      @RequestParam(value = "file", required = false) MultipartFile file, @RequestParam(required = false) String note,
                      CurrentUser user, Locale locale, RedirectAttributes redirect) {
        return act("redirect:/supervision/duties", () -> {
            try {
                if (file != null && !file.isEmpty()) {
                    evidence.store(PartyDuties.STANDARD_FILES + ":" + item.name(), id, StoredFiles.Kind.PHOTO, file, user);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            duties.submit(id, item, note, user);
        }, locale, redirect);
    }

    @PostMapping("/supervision/outfalls/{id}/standardization/{item}/review")
    String reviewItem(@PathVariable long id, @PathVariable PartyDuties.Item item, @RequestParam(defaultValue = "false") boolean accept,
                      @RequestParam(required = false) String note, CurrentUser user, Locale locale, RedirectAttributes redirect) {
        return act("redirect:/supervision/duties", () -> duties.review(id, item, accept, note, user), locale, redirect);
    }

    @PostMapping("/supervision/outfalls/{id}/patrols")
    String logPatrol(@PathVariable long id, @RequestParam(required = false) LocalDate patrolledOn,
                     @RequestParam(required = false) String person, @RequestParam(required = false) String checked,
                     @RequestParam(required = false) String problems,
                     @RequestParam(value = "file", required = false) MultipartFile photo, CurrentUser user, Locale locale,
                     RedirectAttributes redirect) {
        PartyDuties.PatrolInput in = new PartyDuties.PatrolInput(patrolledOn, person, checked, problems);
        return act("redirect:/supervision/duties", () -> {
            PartyDuties.Patrol p = duties.logPatrol(id, in, user);
            if (photo != null && !photo.isEmpty()) {
                try {
                    evidence.store(PartyDuties.PATROL_FILES, p.id(), StoredFiles.Kind.PHOTO, photo, user);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, locale, redirect);
    }

    // ---- an outfall's supervision history (loaded into the ledger's outfall page) -------------------------------

    /** What happened to an outfall in supervision, newest first. */
    record Event(Instant at, String kind, String text, String href) {
    }

    @GetMapping("/supervision/outfalls/{id}")
    String history(@PathVariable long id, CurrentUser user, Model model) {
        Outfall o = campaigns.outfall(id, user);
        List<Event> events = new ArrayList<>();
        campaigns.traces(id, user).forEach(t -> events.add(new Event(t.tracedAt(), "TRACE",
                (t.backstop() ? "属地政府兜底 backstop · " : "") + t.partyName() + " · " + t.method(), null)));
        remediation.forOutfall(id, user).forEach(p -> events.add(new Event(p.createdAt(), "PLAN",
                p.action() + " · " + p.status() + " · " + p.deadline(), "/supervision/plans/" + p.id())));
        inspections.forOutfall(id, user).forEach(i -> events.add(new Event(i.completedAt() != null ? i.completedAt()
                : i.scheduledOn().atStartOfDay(Remediation.CHINA).toInstant(), "INSPECTION",
                i.origin() + " · " + i.status() + " · " + i.inspector(), "/supervision/inspections/" + i.id())));
        if (!party(user)) {
            events.addAll(campaigns.pointsOfOutfall(id, user).stream().map(p -> new Event(p.verifiedAt(), "SURVEY",
                    p.ref() + " · " + p.status() + (p.verificationNote() == null ? "" : " · " + p.verificationNote()),
                    "/supervision/points/" + p.id())).toList());
        }
        List<PartyDuties.Patrol> patrols = duties.patrols(id, user);
        patrols.stream().limit(10).forEach(p -> events.add(new Event(p.patrolledOn().atStartOfDay(Remediation.CHINA).toInstant(),
                "PATROL", p.person() + " · " + p.checked() + (p.problems() == null ? "" : " · " + p.problems())
                        + (p.photoIds().isEmpty() ? "" : " · " + p.photoIds().size() + " 📷"),
                p.photoIds().isEmpty() ? null : "/api/v1/supervision/files/" + p.photoIds().get(0))));
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.reverseOrder())));
        model.addAttribute("o", o);
        model.addAttribute("events", events);
        model.addAttribute("standardization", duties.standardization(id, user));
        return "supervision/history :: section";
    }

    /** Runs a change and goes back to the page: "saved", or the change's problems next to the form. */
    private static String act(String target, Runnable change, Locale locale, RedirectAttributes redirect) {
        try {
            change.run();
            redirect.addFlashAttribute("saved", true);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
        }
        return target;
    }

    // ---- files --------------------------------------------------------------------------------------------------

    private void store(String owner, long id, StoredFiles.Kind kind, MultipartFile file, CurrentUser user, Locale locale,
                       RedirectAttributes redirect) throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException(FieldProblem.of("file", null, "请选择要上传的文件", "choose a file to upload"));
            }
            evidence.store(owner, id, kind, file, user);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("problems", messages(e, locale));
        }
    }
}
