package org.gongzhi.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.StoredFiles;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Photos and documents of an outfall (一口一档): upload, list, download; visible to whoever can see the outfall. */
@RestController
class OutfallFiles {

    static final String OWNER = "outfall";

    private final Ledger ledger;
    private final StoredFiles files;

    OutfallFiles(Ledger ledger, StoredFiles files) {
        this.ledger = ledger;
        this.files = files;
    }

    @GetMapping("/api/v1/outfalls/{id}/files")
    List<StoredFiles.StoredFile> list(@PathVariable long id, CurrentUser user) {
        ledger.find(id, user);
        return files.list(OWNER, id);
    }

    @PostMapping(path = "/api/v1/outfalls/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    StoredFiles.StoredFile upload(@PathVariable long id, @RequestParam(defaultValue = "PHOTO") StoredFiles.Kind kind,
                                  @RequestParam("file") MultipartFile file, CurrentUser user) throws IOException {
        return store(id, kind, file, user);
    }

    StoredFiles.StoredFile store(long id, StoredFiles.Kind kind, MultipartFile file, CurrentUser user) throws IOException {
        ledger.find(id, user);
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot attach files");
        }
        if (file == null || file.isEmpty()) {
            throw new InvalidInputException(FieldProblem.of("file", null, "请选择文件", "choose a file"));
        }
        return files.store(OWNER, id, kind, file.getOriginalFilename(), file.getBytes(), user);
    }

    @GetMapping("/api/v1/outfalls/{id}/files/{fileId}")
    ResponseEntity<byte[]> download(@PathVariable long id, @PathVariable long fileId, CurrentUser user) {
        ledger.find(id, user);
        StoredFiles.StoredFile f = files.find(fileId)
                .filter(x -> x.ownerType().equals(OWNER) && x.ownerId() == id)
                .orElseThrow(() -> new NotFoundException("file " + fileId));
        ContentDisposition disposition = (f.image() ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(f.filename(), StandardCharsets.UTF_8).build();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .contentType(MediaType.parseMediaType(f.contentType()))
                .body(files.content(fileId));
    }
}
