package org.gongzhi.monitoring;

import org.gongzhi.platform.Spreadsheets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;

/** The results import page (监测结果导入): choose a file, read its report, accept the new rows. */
@Controller
class ManualResultPages {

    private final ManualResultImports imports;

    ManualResultPages(ManualResultImports imports) {
        this.imports = imports;
    }

    private void common(Model model) {
        model.addAttribute("maxMb", imports.maxBytes() >> 20);
        model.addAttribute("factorTable", WaterFactor.table());
    }

    @GetMapping("/monitoring/import")
    String form(CurrentUser user, Model model) {
        ManualResultImports.requireImporter(user);
        common(model);
        return "monitoring/import";
    }

    @GetMapping("/monitoring/import/template.csv")
    ResponseEntity<byte[]> template(CurrentUser user) {
        ManualResultImports.requireImporter(user);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"results-template.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(ManualResultImports.template(ManualResultImports.party(user)).getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/monitoring/import")
    String upload(@RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user, Model model)
            throws IOException {
        ManualResultImports.requireImporter(user);
        common(model);
        if (file == null || file.isEmpty()) {
            model.addAttribute("fileProblems", Spreadsheets.badFile(null, "请选择要上传的文件", "choose a file to upload").problems());
            return "monitoring/import";
        }
        try {
            model.addAttribute("report", imports.check(file.getOriginalFilename(),
                    Spreadsheets.readUpload(file, imports.maxBytes()), user));
        } catch (InvalidInputException e) {
            model.addAttribute("fileProblems", e.problems());
        }
        return "monitoring/import";
    }

    @GetMapping("/monitoring/import/{id}")
    String report(@PathVariable long id, CurrentUser user, Model model) {
        ManualResultImports.requireImporter(user);
        common(model);
        model.addAttribute("report", imports.find(id, user));
        return "monitoring/import";
    }

    @PostMapping("/monitoring/import/{id}/accept")
    String accept(@PathVariable long id, CurrentUser user, Model model) {
        ManualResultImports.requireImporter(user);
        common(model);
        try {
            model.addAttribute("report", imports.accept(id, user));
        } catch (InvalidInputException e) {
            model.addAttribute("fileProblems", e.problems());
            model.addAttribute("report", imports.find(id, user));
        }
        return "monitoring/import";
    }

    /** A post that is not a file upload: the form again, with the reason. */
    @ExceptionHandler(MultipartException.class)
    ModelAndView notAnUpload() {
        ModelAndView mav = new ModelAndView("monitoring/import");
        mav.addObject("maxMb", imports.maxBytes() >> 20);
        mav.addObject("factorTable", WaterFactor.table());
        mav.addObject("fileProblems", Spreadsheets.badFile(null, "请选择要上传的文件", "choose a file to upload").problems());
        mav.setStatus(HttpStatus.BAD_REQUEST);
        return mav;
    }
}
