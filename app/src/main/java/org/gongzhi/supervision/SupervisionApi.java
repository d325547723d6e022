package org.gongzhi.supervision;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.StoredFiles;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** REST API of field supervision under /api/v1: campaigns, remediation, inspections, orders, party duties. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Supervision 现场监管", description = "排查整治 campaigns, remediation plans, inspections, rectification orders, party duties")
class SupervisionApi {

    private final Campaigns campaigns;
    private final PointImport pointImport;
    private final SamplingResults results;
    private final Remediation remediation;
    private final Progress progress;
    private final Inspections inspections;
    private final PartyDuties duties;
    private final Evidence evidence;

    SupervisionApi(Campaigns campaigns, PointImport pointImport, SamplingResults results, Remediation remediation,
                   Progress progress, Inspections inspections, PartyDuties duties, Evidence evidence) {
        this.campaigns = campaigns;
        this.pointImport = pointImport;
        this.results = results;
        this.remediation = remediation;
        this.progress = progress;
        this.inspections = inspections;
        this.duties = duties;
        this.evidence = evidence;
    }

    // ---- campaigns ----------------------------------------------------------------------------------------------

    @GetMapping("/campaigns")
    @Operation(summary = "Campaigns of the jurisdiction (and those the caller's bureau takes part in)")
    List<Campaigns.Campaign> campaigns(CurrentUser user) {
        return campaigns.list(user);
    }

    @PostMapping("/campaigns")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start a 排查整治 campaign over a region and/or water bodies for a period")
    Campaigns.Campaign create(@RequestBody Campaigns.CampaignInput in, CurrentUser user) {
        return campaigns.create(in, user);
    }

    @GetMapping("/campaigns/{id}")
    Campaigns.Campaign campaign(@PathVariable long id, CurrentUser user) {
        return campaigns.find(id, user);
    }

    @GetMapping("/campaigns/{id}/points")
    @Operation(summary = "The campaign's survey points with their verification state and duplicate flags")
    List<Campaigns.Point> points(@PathVariable long id, CurrentUser user) {
        return campaigns.points(id, user);
    }

    @PostMapping(value = "/campaigns/{id}/points/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import level-1 points (UAV / remote sensing) from CSV, XLSX or GeoJSON; written only when every "
            + "row is valid; dryRun=true only checks")
    PointImport.Report importPoints(@PathVariable long id, @RequestPart("file") MultipartFile file,
                                    @RequestParam(defaultValue = "false") boolean dryRun, CurrentUser user) throws IOException {
        return pointImport.importPoints(id, file.getOriginalFilename(),
                org.gongzhi.platform.Spreadsheets.readUpload(file, Evidence.MAX_UPLOAD), dryRun, user);
    }

    @PostMapping("/campaigns/{id}/points")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a level-3 point found in the field (查缺补漏)")
    Campaigns.Point addPoint(@PathVariable long id, @RequestBody Campaigns.PointInput in, CurrentUser user) {
        return campaigns.addGapPoint(id, in, user);
    }

    @PostMapping("/campaign-points/{id}/verification")
    @Operation(summary = "Level-2 field verification: CONFIRM (added to the ledger), MERGE (same as a ledger outfall) or REJECT")
    Campaigns.Point verify(@PathVariable long id, @RequestBody Campaigns.VerifyInput in, CurrentUser user) {
        return campaigns.verify(id, in, user);
    }

    @PostMapping(value = "/campaign-points/{id}/photos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile pointPhoto(@PathVariable long id, @RequestPart("file") MultipartFile file, CurrentUser user)
            throws IOException {
        return evidence.store("campaign_point", id, StoredFiles.Kind.PHOTO, file, user);
    }

    record OutfallRef(long outfallId) {
    }

    @PostMapping("/campaigns/{id}/outfalls")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Add an outfall already in the ledger to the campaign's work list")
    void addOutfall(@PathVariable long id, @RequestBody OutfallRef in, CurrentUser user) {
        campaigns.addOutfall(id, in.outfallId(), user);
    }

    @GetMapping("/campaigns/{id}/sampling-tasks")
    List<Campaigns.SamplingTask> tasks(@PathVariable long id, CurrentUser user) {
        return campaigns.tasks(id, user);
    }

    @PostMapping("/campaigns/{id}/sampling-tasks")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Plan sampling (测) of a verified outfall of the campaign")
    Campaigns.SamplingTask planSampling(@PathVariable long id, @RequestBody Campaigns.SamplingInput in, CurrentUser user) {
        return campaigns.planSampling(id, in, user);
    }

    @PostMapping("/sampling-tasks/{id}/sample")
    @Operation(summary = "Record the sample taken; lab results imported through /api/v1/measurements/imports for this "
            + "outfall and sampling time attach to the task")
    Campaigns.SamplingTask sample(@PathVariable long id, @RequestBody Campaigns.SampleInput in, CurrentUser user) {
        campaigns.recordSample(id, in, user);
        results.check(id, user);
        return campaigns.task(id, user);
    }

    @PostMapping("/campaigns/{id}/traces")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record the traced responsible party (or the local government as backstop) with evidence (溯)")
    Campaigns.Trace trace(@PathVariable long id, @RequestBody Campaigns.TraceInput in, CurrentUser user) {
        return campaigns.trace(id, in, user);
    }

    @GetMapping("/campaigns/{id}/progress")
    @Operation(summary = "Progress by stage and county, with on-time rates")
    Progress.Report progress(@PathVariable long id, CurrentUser user) {
        return progress.report(id, user);
    }

    @GetMapping("/campaigns/{id}/progress.xlsx")
    @Operation(summary = "The progress table as XLSX, in the shape a bureau reports upward")
    ResponseEntity<byte[]> progressXlsx(@PathVariable long id, CurrentUser user) throws IOException {
        Progress.Report r = progress.report(id, user);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("排查整治进度-progress-" + id + "-" + r.asOf() + ".xlsx", StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .body(progress.xlsx(r));
    }

    @GetMapping("/supervision/progress")
    @Operation(summary = "Progress over all campaigns the caller can see, by county, and the inspection figures")
    Map<String, Object> overall(CurrentUser user) {
        return Map.of("campaigns", progress.overall(user), "inspections",
                inspections.stats(user, java.time.LocalDate.now(Remediation.CHINA)));
    }

    @GetMapping("/supervision/progress.xlsx")
    @Operation(summary = "The progress over all campaigns as XLSX, by county")
    ResponseEntity<byte[]> overallXlsx(CurrentUser user) throws IOException {
        Progress.Report r = progress.overall(user);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("排查整治进度-progress-" + r.asOf() + ".xlsx", StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .body(progress.xlsx(r));
    }

    // ---- remediation --------------------------------------------------------------------------------------------

    @GetMapping("/remediation-plans")
    @Operation(summary = "Open remediation plans of the jurisdiction (a party: those it is accountable for)")
    List<Remediation.Plan> openPlans(CurrentUser user) {
        return remediation.open(user, 500);
    }

    @PostMapping("/remediation-plans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "一口一策: one plan per outfall — BAN, MERGE (into an outfall or the sewer) or REGULARIZE")
    Remediation.Plan createPlan(@RequestBody Remediation.PlanInput in, CurrentUser user) {
        return remediation.create(in, user);
    }

    @GetMapping("/remediation-plans/{id}")
    Remediation.Plan plan(@PathVariable long id, CurrentUser user) {
        return remediation.find(id, user);
    }

    @PostMapping(value = "/remediation-plans/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile planFile(@PathVariable long id, @RequestPart("file") MultipartFile file,
                                    @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind, CurrentUser user) throws IOException {
        return evidence.store(Remediation.FILES, id, kind, file, user);
    }

    record Note(String note) {
    }

    record Review(Boolean accept, String note) {
    }

    @PostMapping("/remediation-plans/{id}/completion")
    @Operation(summary = "Report completion (evidence files must be attached first)")
    Remediation.Plan complete(@PathVariable long id, @RequestBody Note in, CurrentUser user) {
        return remediation.reportCompletion(id, in.note(), user);
    }

    @PostMapping("/remediation-plans/{id}/verification")
    @Operation(summary = "A regulator (not the reporter) accepts the completion — the ledger follows — or sends it back")
    Remediation.Plan verifyPlan(@PathVariable long id, @RequestBody Review in, CurrentUser user) {
        return remediation.verify(id, Boolean.TRUE.equals(in.accept()), in.note(), user);
    }

    // ---- inspections --------------------------------------------------------------------------------------------

    @PostMapping("/inspection-plans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Draw a quarter's inspection plan: a share of outfalls per type, weighted by open findings")
    Inspections.Plan createInspectionPlan(@RequestBody Inspections.PlanInput in, CurrentUser user) {
        return inspections.createPlan(in, user);
    }

    @GetMapping("/inspection-plans/{id}")
    Inspections.Plan inspectionPlan(@PathVariable long id, CurrentUser user) {
        return inspections.plan(id, user);
    }

    @GetMapping("/inspections")
    @Operation(summary = "Recent inspections of the jurisdiction (a party: of its outfalls)")
    List<Inspections.Inspection> recentInspections(CurrentUser user) {
        return inspections.recent(user, 200);
    }

    @PostMapping("/inspections")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "An ad-hoc inspection: from a compliance finding, a public request, or ad hoc")
    Inspections.Inspection createInspection(@RequestBody Inspections.AdHocInput in, CurrentUser user) {
        return inspections.createAdHoc(in, user);
    }

    record InspectionView(Inspections.Inspection inspection, List<Checklist> checklist, List<Inspections.Finding> findings,
                          List<Inspections.Order> orders, List<Inspections.EnforcementCase> cases,
                          List<StoredFiles.StoredFile> photos) {
    }

    @GetMapping("/inspections/{id}")
    InspectionView inspection(@PathVariable long id, CurrentUser user) {
        Inspections.Inspection i = inspections.find(id, user);
        return new InspectionView(i, inspections.checklist(campaigns.outfall(i.outfallId(), user)), inspections.findings(id),
                inspections.ordersOf(id, user), inspections.cases(id, user), evidence.list(Inspections.FILES, id));
    }

    @PostMapping(value = "/inspections/{id}/photos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile inspectionPhoto(@PathVariable long id, @RequestPart("file") MultipartFile file, CurrentUser user)
            throws IOException {
        return evidence.store(Inspections.FILES, id, StoredFiles.Kind.PHOTO, file, user);
    }

    @PostMapping("/inspections/{id}/completion")
    @Operation(summary = "Complete the record: checklist, coordinates, samples, findings, typed signatures; findings "
            + "become rectification orders, serious ones open an enforcement case record")
    Inspections.Inspection completeInspection(@PathVariable long id, @RequestBody Inspections.CompleteInput in, CurrentUser user) {
        return inspections.complete(id, in, user);
    }

    @GetMapping("/rectification-orders")
    @Operation(summary = "Open rectification orders (a party: those addressed to it)")
    List<Inspections.Order> openOrders(CurrentUser user) {
        return inspections.openOrders(user, 500);
    }

    @GetMapping("/rectification-orders/{id}")
    Inspections.Order order(@PathVariable long id, CurrentUser user) {
        return inspections.order(id, user);
    }

    @PostMapping(value = "/rectification-orders/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile orderFile(@PathVariable long id, @RequestPart("file") MultipartFile file,
                                     @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind, CurrentUser user) throws IOException {
        return evidence.store(Inspections.ORDER_FILES, id, kind, file, user);
    }

    @PostMapping("/rectification-orders/{id}/response")
    @Operation(summary = "The party reports the rectification (evidence files attached first)")
    Inspections.Order respond(@PathVariable long id, @RequestBody Note in, CurrentUser user) {
        return inspections.respond(id, in.note(), user);
    }

    @PostMapping("/rectification-orders/{id}/review")
    @Operation(summary = "Close the order on the evidence, or reopen it with a reason")
    Inspections.Order reviewOrder(@PathVariable long id, @RequestBody Review in, CurrentUser user) {
        return inspections.review(id, Boolean.TRUE.equals(in.accept()), in.note(), user);
    }

    // ---- party duties -------------------------------------------------------------------------------------------

    @GetMapping("/supervision/outfalls/{id}/patrols")
    List<PartyDuties.Patrol> patrols(@PathVariable long id, CurrentUser user) {
        return duties.patrols(id, user);
    }

    @PostMapping("/supervision/outfalls/{id}/patrols")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Log a patrol / maintenance of the outfall (the party's duty)")
    PartyDuties.Patrol logPatrol(@PathVariable long id, @RequestBody PartyDuties.PatrolInput in, CurrentUser user) {
        return duties.logPatrol(id, in, user);
    }

    @PostMapping(value = "/supervision/patrols/{id}/photos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "A photo of a patrol entry")
    StoredFiles.StoredFile patrolPhoto(@PathVariable long id, @RequestPart("file") MultipartFile file, CurrentUser user)
            throws IOException {
        return evidence.store(PartyDuties.PATROL_FILES, id, StoredFiles.Kind.PHOTO, file, user);
    }

    record Interval(Integer intervalDays) {
    }

    @PutMapping("/supervision/outfalls/{id}/patrol-interval")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set the required patrol frequency of one outfall (regulator)")
    void setInterval(@PathVariable long id, @RequestBody Interval in, CurrentUser user) {
        duties.setInterval(id, in.intervalDays() == null ? 0 : in.intervalDays(), user);
    }

    @GetMapping("/supervision/outfalls/{id}/standardization")
    @Operation(summary = "规范化建设 checklist of the outfall with the state of each item")
    List<PartyDuties.Standardization> standardization(@PathVariable long id, CurrentUser user) {
        return duties.standardization(id, user);
    }

    @PostMapping(value = "/supervision/outfalls/{id}/standardization/{item}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile standardizationFile(@PathVariable long id, @PathVariable PartyDuties.Item item,
                                               @RequestPart("file") MultipartFile file,
                                               @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind, CurrentUser user)
            throws IOException {
        return evidence.store(PartyDuties.STANDARD_FILES + ":" + item.name(), id, kind, file, user);
    }

    @PostMapping("/supervision/outfalls/{id}/standardization/{item}")
    @Operation(summary = "The party submits an item as built (evidence attached first)")
    PartyDuties.Standardization submit(@PathVariable long id, @PathVariable PartyDuties.Item item, @RequestBody Note in,
                                       CurrentUser user) {
        return duties.submit(id, item, in.note(), user);
    }

    @PostMapping("/supervision/outfalls/{id}/standardization/{item}/review")
    @Operation(summary = "The regulator accepts a submitted item or sends it back")
    PartyDuties.Standardization reviewItem(@PathVariable long id, @PathVariable PartyDuties.Item item, @RequestBody Review in,
                                           CurrentUser user) {
        return duties.review(id, item, Boolean.TRUE.equals(in.accept()), in.note(), user);
    }

    @GetMapping("/supervision/files/{fileId}")
    @Operation(summary = "A photo or document of a supervision record the caller can see")
    ResponseEntity<byte[]> file(@PathVariable long fileId, CurrentUser user) {
        Evidence.Content c = evidence.read(fileId, user);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(c.file().filename(),
                        StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .contentType(MediaType.parseMediaType(c.file().contentType()))
                .body(c.bytes());
    }
}
