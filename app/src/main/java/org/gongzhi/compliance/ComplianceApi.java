package org.gongzhi.compliance;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST API of compliance under /api/v1: standard packs, limit assignments, effective limits, findings. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Compliance 达标判定", description = "Standard packs, limits, findings")
class ComplianceApi {

    private final Compliance compliance;
    private final EffluentCharts charts;
    private final Dashboard dashboard;
    private final MonthlyReports reports;
    private final LocalPacks localPacks;

    ComplianceApi(Compliance compliance, EffluentCharts charts, Dashboard dashboard, MonthlyReports reports,
                  LocalPacks localPacks) {
        this.localPacks = localPacks;
        this.compliance = compliance;
        this.charts = charts;
        this.dashboard = dashboard;
        this.reports = reports;
    }

    @GetMapping("/standard-packs")
    @Operation(summary = "National (and local) standard packs with their versions and grades")
    List<StandardPacks.Pack> packs() {
        return compliance.packs();
    }

    @PostMapping(value = "/standard-packs", consumes = org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE)
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    @Operation(summary = "Add a local standard as a new pack version (admins; a regional admin for their own province): "
            + "header fields and a CSV/XLSX file of limit rows, all or nothing (422 lists each row's problems)")
    StandardPacks.Pack addPackVersion(@RequestParam(required = false) String code, @RequestParam(required = false) String nameZh,
                                      @RequestParam(required = false) String nameEn, @RequestParam(required = false) String kind,
                                      @RequestParam(required = false) String grades,
                                      @RequestParam(required = false) String province,
                                      @RequestParam(required = false) String designation,
                                      @RequestParam(required = false) LocalDate validFrom,
                                      @RequestParam(required = false) String note,
                                      @RequestParam(value = "file", required = false)
                                      org.springframework.web.multipart.MultipartFile file, CurrentUser user)
            throws java.io.IOException {
        byte[] content = file == null || file.isEmpty() ? null
                : org.gongzhi.platform.Spreadsheets.readUpload(file, LocalPacks.MAX_BYTES);
        return localPacks.importVersion(new LocalPacks.Header(code, nameZh, nameEn, kind, grades, province, designation,
                validFrom, note), file == null ? null : file.getOriginalFilename(), content, user);
    }

    @GetMapping("/standard-packs/{code}/limits")
    @Operation(summary = "The limits of a pack (latest version unless ?version=), optionally of one ?grade=")
    Compliance.PackLimits limits(@PathVariable String code, @RequestParam(required = false) Integer version,
                                 @RequestParam(required = false) String grade) {
        return compliance.packLimits(code, version, grade);
    }

    /** Body of acknowledge. */
    record AcknowledgeInput(String reason) {
    }

    @PutMapping("/outfalls/{id}/limit-assignment")
    @Operation(summary = "Assign a standard pack and grade to an outfall from a date (regulators); re-evaluates stored data")
    StandardPacks.Assignment assign(@PathVariable long id, @RequestBody Compliance.AssignmentInput body, CurrentUser user) {
        return compliance.assign(id, body, user);
    }

    @PostMapping("/outfalls/{id}/outfall-limits")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    @Operation(summary = "Add a limit specific to this outfall (decision, permit, local rule); the unit must fit the factor")
    Limit addOutfallLimit(@PathVariable long id, @RequestBody Compliance.OutfallLimitInput body, CurrentUser user) {
        return compliance.addOutfallLimit(id, body, user);
    }

    @GetMapping("/outfalls/{id}/limits")
    @Operation(summary = "The limits in force for an outfall on a day (default today, China time)")
    Compliance.EffectiveLimits effective(@PathVariable long id, @RequestParam(required = false) LocalDate day,
                                         CurrentUser user) {
        return compliance.effective(id, day, user);
    }

    @GetMapping("/findings")
    @Operation(summary = "Findings of the outfalls the caller can see (?outfall=, ?status=OPEN|ACKNOWLEDGED|RESOLVED)")
    List<Findings.Finding> findings(@RequestParam(required = false) Long outfall,
                                    @RequestParam(required = false) Findings.Status status, CurrentUser user) {
        return compliance.findings(outfall, status, user);
    }

    @PostMapping("/findings/{id}/acknowledge")
    @Operation(summary = "Acknowledge an open finding (regulators and the responsible party)")
    Findings.Finding acknowledge(@PathVariable long id, @RequestBody(required = false) AcknowledgeInput body,
                                 CurrentUser user) {
        return compliance.acknowledge(id, body == null ? null : body.reason(), user);
    }

    @GetMapping("/compliance/outfalls/{id}/effluent")
    @Operation(summary = "Effluent charts: factor × month matrix of the worst status (?from=YYYY-MM&to=YYYY-MM, default last 12 months)")
    EffluentCharts.Matrix effluent(@PathVariable long id, @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to, CurrentUser user) {
        return charts.matrix(id, EffluentCharts.month(from, "from", null), EffluentCharts.month(to, "to", null), user);
    }

    @GetMapping("/compliance/outfalls/{id}/series")
    @Operation(summary = "One factor in one month: hourly values (excluded marked), daily statistic with the limit of each day, findings")
    EffluentCharts.Series series(@PathVariable long id, @RequestParam(required = false) String factor,
                                 @RequestParam(required = false) String month, CurrentUser user) {
        return charts.series(id, factor, EffluentCharts.month(month, "month", java.time.YearMonth.now(Evaluator.CHINA)), user);
    }

    @GetMapping("/compliance/dashboard")
    @Operation(summary = "Dashboard of the caller's jurisdiction: outfalls ranked by open findings, monthly trend, completeness")
    Dashboard.View dashboard(@RequestParam(defaultValue = "12") int months, @RequestParam(defaultValue = "50") int top,
                             CurrentUser user) {
        return dashboard.view(user, months, top);
    }

    @GetMapping("/compliance/outfalls/{id}/report")
    @Operation(summary = "Monthly compliance report (?month=YYYY-MM, default last month): generated, or the signed copy")
    MonthlyReports.Report report(@PathVariable long id, @RequestParam(required = false) String month, CurrentUser user) {
        return reports.report(id, ReportPages.month(month), user);
    }

    /** Body of PUT …/report: no-data codes per factor and comments. */
    record ReportInput(java.util.Map<String, String> codes, String comments) {
    }

    @PutMapping("/compliance/outfalls/{id}/report")
    @Operation(summary = "Save the party's no-data codes (NODI) and comments of a month not yet signed")
    MonthlyReports.Report saveReport(@PathVariable long id, @RequestParam(required = false) String month,
                                     @RequestBody ReportInput body, CurrentUser user) {
        return reports.save(id, ReportPages.month(month), body.codes(), body.comments(), user);
    }

    @PostMapping("/compliance/outfalls/{id}/report/sign")
    @Operation(summary = "Sign the month's report as the party's user: stores its canonical content, SHA-256 and PDF, immutably")
    MonthlyReports.Report sign(@PathVariable long id, @RequestParam(required = false) String month, CurrentUser user,
                               java.util.Locale locale) {
        return reports.sign(id, ReportPages.month(month), user, locale);
    }
}
