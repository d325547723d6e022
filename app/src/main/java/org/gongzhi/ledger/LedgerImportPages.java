package org.gongzhi.ledger;

import org.gongzhi.platform.Spreadsheets;
import java.io.IOException;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The import page: choose a file, read its report, accept the valid rows. */
@Controller
class LedgerImportPages {

    private final LedgerImports imports;

    LedgerImportPages(LedgerImports imports) {
        this.imports = imports;
    }

    private static void requireEditor(CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot import into the ledger");
        }
    }

    @GetMapping("/outfalls/import")
    String form(CurrentUser user, Model model) {
        requireEditor(user);
        model.addAttribute("maxMb", imports.maxBytes() >> 20);
        return "ledger/import";
    }

    @PostMapping("/outfalls/import")
    String upload(@RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user, Model model)
            throws IOException {
        requireEditor(user);
        model.addAttribute("maxMb", imports.maxBytes() >> 20);
        if (file == null || file.isEmpty()) {
            model.addAttribute("fileProblems", Spreadsheets.badFile(null, "请选择要上传的文件", "choose a file to upload").problems());
            return "ledger/import";
        }
        try {
            model.addAttribute("report", imports.check(file.getOriginalFilename(), Spreadsheets.readUpload(file, imports.maxBytes()), user));
        } catch (InvalidInputException e) {
            model.addAttribute("fileProblems", e.problems());
        }
        return "ledger/import";
    }

    /** A post that is not a file upload: the form again, with the reason. */
    @org.springframework.web.bind.annotation.ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    org.springframework.web.servlet.ModelAndView notAnUpload() {
        org.springframework.web.servlet.ModelAndView mav = new org.springframework.web.servlet.ModelAndView("ledger/import");
        mav.addObject("maxMb", imports.maxBytes() >> 20);
        mav.addObject("fileProblems", Spreadsheets.badFile(null, "请选择要上传的文件", "choose a file to upload").problems());
        mav.setStatus(org.springframework.http.HttpStatus.BAD_REQUEST);
        return mav;
    }

    @GetMapping("/outfalls/import/{id}")
    String report(@PathVariable long id, CurrentUser user, Model model) {
        requireEditor(user);
        model.addAttribute("maxMb", imports.maxBytes() >> 20);
        model.addAttribute("report", imports.find(id, user));
        return "ledger/import";
    }

    @PostMapping("/outfalls/import/{id}/accept")
    String accept(@PathVariable long id, CurrentUser user, Model model) {
        requireEditor(user);
        model.addAttribute("maxMb", imports.maxBytes() >> 20);
        try {
            model.addAttribute("report", imports.accept(id, user));
        } catch (InvalidInputException e) {
            model.addAttribute("fileProblems", e.problems());
            model.addAttribute("report", imports.find(id, user));
        }
        return "ledger/import";
    }
}
