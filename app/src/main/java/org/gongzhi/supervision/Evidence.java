package org.gongzhi.supervision;

import java.io.IOException;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.StoredFiles;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.multipart.MultipartFile;

/**
 * Photos and documents of supervision records (field photos, evidence of completion, rectification evidence), kept by
 * the platform's {@link StoredFiles} (type by magic bytes, size caps, audit). A file is stored or served only after
 * its owner record has been found in the caller's jurisdiction; outside it, 404.
 */
@Component
class Evidence {

    static final long MAX_UPLOAD = 25L << 20;

    private final StoredFiles files;
    private final Campaigns campaigns;
    private final Remediation remediation;
    private final Inspections inspections;
    private final PartyDuties duties;

    Evidence(StoredFiles files, Campaigns campaigns, Remediation remediation, Inspections inspections, PartyDuties duties) {
        this.files = files;
        this.campaigns = campaigns;
        this.remediation = remediation;
        this.inspections = inspections;
        this.duties = duties;
    }

    /** Finds the owner in the caller's jurisdiction (404 otherwise). */
    void requireOwner(String ownerType, long ownerId, CurrentUser user) {
        switch (ownerType.contains(":") ? ownerType.substring(0, ownerType.indexOf(':')) : ownerType) {
            case "campaign_point" -> campaigns.point(ownerId, user);
            case Remediation.FILES -> remediation.find(ownerId, user);
            case Inspections.FILES -> inspections.find(ownerId, user);
            case Inspections.ORDER_FILES -> inspections.order(ownerId, user);
            case PartyDuties.PATROL_FILES -> duties.patrol(ownerId, user);
            case PartyDuties.STANDARD_FILES -> duties.standardization(ownerId, user);
            default -> throw new NotFoundException("file owner " + ownerType);
        }
    }

    @Transactional
    StoredFiles.StoredFile store(String ownerType, long ownerId, StoredFiles.Kind kind, MultipartFile file, CurrentUser user)
            throws IOException {
        requireOwner(ownerType, ownerId, user);
        byte[] bytes = org.gongzhi.platform.Spreadsheets.readUpload(file, MAX_UPLOAD);
        return files.store(ownerType, ownerId, kind == null ? StoredFiles.Kind.PHOTO : kind, file.getOriginalFilename(), bytes, user);
    }

    /**
     * What a report of work done lacks — a rectification answered, a plan's completion, a 规范化建设 item built: it
     * counts only with a description of what was done and at least one evidence file attached before (the regulator
     * decides on the evidence, not on the word of the party). Adds the problems to {@code problems}.
     */
    static void checkReport(StoredFiles files, String ownerType, long ownerId, String noteField, String note, String noteZh,
                            String noteEn, List<org.gongzhi.platform.FieldProblem> problems) {
        if (Campaigns.blank(note)) {
            problems.add(org.gongzhi.platform.FieldProblem.of(noteField, note, noteZh, noteEn));
        }
        if (files.list(ownerType, ownerId).isEmpty()) {
            problems.add(org.gongzhi.platform.FieldProblem.of("file", null, "须先上传佐证（照片或文件）",
                    "attach evidence (photos or documents) first"));
        }
    }

    /** A reviewer who sends a report back says why (the party must know what to do). */
    static void requireReason(boolean accept, String note, String noteField) {
        if (!accept && Campaigns.blank(note)) {
            throw new org.gongzhi.platform.InvalidInputException(org.gongzhi.platform.FieldProblem.of(noteField, note,
                    "退回须说明原因", "say why it is sent back"));
        }
    }

    List<StoredFiles.StoredFile> list(String ownerType, long ownerId) {
        return files.list(ownerType, ownerId);
    }

    /** A file of a supervision record the caller can see, with its content. */
    record Content(StoredFiles.StoredFile file, byte[] bytes) {
    }

    Content read(long fileId, CurrentUser user) {
        StoredFiles.StoredFile f = files.find(fileId).orElseThrow(() -> new NotFoundException("file " + fileId));
        requireOwner(f.ownerType(), f.ownerId(), user);
        return new Content(f, files.content(fileId));
    }
}
