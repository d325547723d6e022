package org.gongzhi.approval;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.NotFoundException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * REST API of approval and registration cases. Every case is read through the caller's jurisdiction (404 outside
 * it); actions check that the caller is the applicant or belongs to the bureau that decides the case.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Approvals 审批与登记", description = "Approval and registration cases on statutory working-day deadlines")
class ApprovalApi {

    private final Approvals approvals;
    private final ApprovalDocuments documents;
    private final ApprovalCases cases;

    ApprovalApi(Approvals approvals, ApprovalDocuments documents, ApprovalCases cases) {
        this.approvals = approvals;
        this.documents = documents;
        this.cases = cases;
    }

    @PostMapping("/approval-cases")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Apply (a responsible party), or enter a paper application (bureau staff, with applicantOrgId)")
    ApprovalCase apply(@RequestBody Approvals.ApplicationInput body, CurrentUser user) {
        return approvals.apply(body, user);
    }

    @GetMapping("/approval-cases")
    @Operation(summary = "Cases of the jurisdiction by deadline; ?queue=true: only those the caller's bureau decides; ?open=true")
    List<Approvals.CaseFile> list(@RequestParam(defaultValue = "false") boolean queue,
                                  @RequestParam(defaultValue = "false") boolean open, CurrentUser user) {
        return queue ? approvals.queue(user, open) : approvals.list(user, open);
    }

    @GetMapping("/approval-cases/{id}")
    @Operation(summary = "The case file: state, clocks, pauses, materials, what is missing, documents")
    Approvals.CaseFile get(@PathVariable long id, CurrentUser user) {
        return approvals.file(id, user);
    }

    @PostMapping(path = "/approval-cases/{id}/materials", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Upload a material (kind: FULL_REPORT, BRIEF_ANALYSIS, PROJECT_BASIS, REGISTRATION_FORM, SUPPLEMENT, …)")
    ApprovalCase.Material material(@PathVariable long id, @RequestParam(required = false) String kind,
                                   @RequestParam("file") MultipartFile file, CurrentUser user) {
        try {
            return approvals.addMaterial(id, kind, file.getOriginalFilename(), file.getBytes(), user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/approval-cases/{id}/files/{fileId}")
    @Operation(summary = "Download a material or a document of the case")
    ResponseEntity<byte[]> download(@PathVariable long id, @PathVariable long fileId, CurrentUser user) {
        Approvals.CaseFile f = approvals.file(id, user);
        String name;
        String type;
        var material = f.materials().stream().filter(m -> m.fileId() == fileId).findFirst();
        if (material.isPresent()) {
            name = material.get().filename();
            type = material.get().contentType();
        } else {
            ApprovalCase.Document d = f.documents().stream().filter(x -> x.fileId() == fileId).findFirst()
                    .orElseThrow(() -> new NotFoundException("file " + fileId));
            name = ApprovalDocuments.TITLES.get(d.kind())[0] + "-" + d.number() + ".pdf";
            type = "application/pdf";
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name, java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .body(documents.fileContent(fileId));
    }

    record Versioned(int version) {
    }

    record SupplementNotice(int version, String items) {
    }

    record PauseInput(int version, String reason, LocalDate startedOn, String note) {
    }

    record ResumeInput(int version, LocalDate endedOn) {
    }

    record ReasonInput(int version, String reason) {
    }

    record Refusal(int version, List<String> reasons, String text) {
    }

    record Decision(int version, Approvals.DecisionInput decision) {
    }

    @PostMapping("/approval-cases/{id}/supplement-notice")
    @Operation(summary = "Send the one supplement notice (补正通知书), listing everything, within the completeness check")
    ApprovalCase supplementNotice(@PathVariable long id, @RequestBody SupplementNotice body, CurrentUser user) {
        return approvals.requestSupplement(id, body.version(), body.items(), user);
    }

    @PostMapping("/approval-cases/{id}/supplied")
    @Operation(summary = "The applicant has uploaded the supplements: the completeness check runs again")
    ApprovalCase supplied(@PathVariable long id, @RequestBody Versioned body, CurrentUser user) {
        return approvals.supplied(id, body.version(), user);
    }

    @PostMapping("/approval-cases/{id}/accept")
    @Operation(summary = "Accept (受理): case number, acceptance notice, the decision deadline starts")
    ApprovalCase accept(@PathVariable long id, @RequestBody Versioned body, CurrentUser user) {
        return approvals.accept(id, body.version(), user);
    }

    @PostMapping("/approval-cases/{id}/pauses")
    @Operation(summary = "Pause the decision clock: EXPERT_REVIEW, HEARING, SITE_INSPECTION or SUPPLEMENT (Art 45)")
    ApprovalCase pause(@PathVariable long id, @RequestBody PauseInput body, CurrentUser user) {
        return approvals.pause(id, body.version(), body.reason(), body.startedOn(), body.note(), user);
    }

    @PostMapping("/approval-cases/{id}/resume")
    @Operation(summary = "End the pause: the stored deadline moves by the working days it covered")
    ApprovalCase resume(@PathVariable long id, @RequestBody ResumeInput body, CurrentUser user) {
        return approvals.resume(id, body.version(), body.endedOn(), user);
    }

    @PostMapping("/approval-cases/{id}/extension")
    @Operation(summary = "Extend the decision deadline once by 10 working days, with the reason told to the applicant")
    ApprovalCase extend(@PathVariable long id, @RequestBody ReasonInput body, CurrentUser user) {
        return approvals.extend(id, body.version(), body.reason(), user);
    }

    @PostMapping("/approval-cases/{id}/approve")
    @Operation(summary = "Approve with conditions (决定书): the outfall enters the ledger, its limits go to compliance")
    ApprovalCase approve(@PathVariable long id, @RequestBody Decision body, CurrentUser user) {
        return approvals.approve(id, body.version(), body.decision() == null
                ? new Approvals.DecisionInput(null, null, null, null, null, List.of(), null) : body.decision(), user);
    }

    @PostMapping("/approval-cases/{id}/refuse")
    @Operation(summary = "Refuse (不予许可决定书) with reasons from the catalogue and an explanation")
    ApprovalCase refuse(@PathVariable long id, @RequestBody Refusal body, CurrentUser user) {
        return approvals.refuse(id, body.version(), body.reasons(), body.text(), user);
    }

    @PostMapping("/approval-cases/{id}/confirm")
    @Operation(summary = "Confirm a registration (登记回执 with its number), a change or a cancellation; the ledger follows")
    ApprovalCase confirm(@PathVariable long id, @RequestBody Versioned body, CurrentUser user) {
        return approvals.confirm(id, body.version(), user);
    }

    @PostMapping("/approval-cases/{id}/return")
    @Operation(summary = "Return a registration, change or cancellation to the applicant with reasons")
    ApprovalCase returnCase(@PathVariable long id, @RequestBody ReasonInput body, CurrentUser user) {
        return approvals.returnToApplicant(id, body.version(), body.reason(), user);
    }

    @PostMapping("/approval-cases/{id}/resubmit")
    @Operation(summary = "The applicant resubmits a returned case")
    ApprovalCase resubmit(@PathVariable long id, @RequestBody Versioned body, CurrentUser user) {
        return approvals.resubmit(id, body.version(), user);
    }

    @PostMapping("/approval-cases/{id}/not-accepted")
    @Operation(summary = "Do not accept (不予受理) within the completeness check, with the reason (Art 32)")
    ApprovalCase notAccepted(@PathVariable long id, @RequestBody ReasonInput body, CurrentUser user) {
        return approvals.notAccept(id, body.version(), body.reason(), user);
    }

    @PostMapping("/approval-cases/{id}/withdraw")
    @Operation(summary = "The applicant withdraws a case that is not decided yet")
    ApprovalCase withdraw(@PathVariable long id, @RequestBody Versioned body, CurrentUser user) {
        return approvals.withdraw(id, body.version(), user);
    }

    @GetMapping("/approval-statistics")
    @Operation(summary = "Statistics of the caller's bureau (or jurisdiction): cases by state, average working days, share on time")
    Approvals.Statistics statistics(CurrentUser user) {
        return approvals.statistics(user);
    }

    @GetMapping("/approval-refusal-reasons")
    @Operation(summary = "The catalogue of refusal reasons")
    List<ApprovalCases.RefusalReason> refusalReasons() {
        return cases.refusalReasons();
    }

    /** What a verification code confirms: the document, its number and date, and the SHA-256 of the stored PDF. */
    record Verification(String kind, String title, String number, LocalDate issuedOn, String sha256) {
    }

    @GetMapping("/approval-documents/verify/{code}")
    @Operation(summary = "Check a document's verification code")
    Verification verify(@PathVariable String code) {
        ApprovalCase.Document d = documents.byCode(code).orElseThrow(() -> new NotFoundException("verification code " + code));
        return new Verification(d.kind(), ApprovalDocuments.TITLES.get(d.kind())[0], d.number(), d.issuedOn(), d.sha256());
    }
}
