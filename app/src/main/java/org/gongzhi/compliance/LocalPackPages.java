package org.gongzhi.compliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.Spreadsheets;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;

/**
 * Standard packs for people: the list (reference data, every signed-in user), one version's rows, and for admins the
 * form that adds a local standard as a new pack version from a CSV/XLSX file (all or nothing, see {@link LocalPacks}).
 */
@Controller
class LocalPackPages {

    private final StandardPacks packs;
    private final LocalPacks local;

    LocalPackPages(StandardPacks packs, LocalPacks local) {
        this.packs = packs;
        this.local = local;
    }

    @GetMapping("/compliance/packs")
    String list(CurrentUser user, Model model) {
        model.addAttribute("packs", packs.packs());
        boolean admin = user.role() == Role.ADMIN;
        model.addAttribute("canAdd", admin && canAdd(user));
        if (admin && canAdd(user)) {
            model.addAttribute("ownProvince", LocalPacks.ownProvince(user));
        }
        return "compliance/packs";
    }

    private static boolean canAdd(CurrentUser user) {
        try {
            LocalPacks.ownProvince(user);
            return true;
        } catch (ForbiddenException e) {
            return false;
        }
    }

    @PostMapping("/compliance/packs")
    String add(@RequestParam(required = false) String code, @RequestParam(required = false) String nameZh,
               @RequestParam(required = false) String nameEn, @RequestParam(required = false) String kind,
               @RequestParam(required = false) String grades, @RequestParam(required = false) String province,
               @RequestParam(required = false) String designation,
               @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate validFrom,
               @RequestParam(required = false) String note,
               @RequestParam(value = "file", required = false) MultipartFile file, CurrentUser user, Model model)
            throws IOException {
        LocalPacks.Header h = new LocalPacks.Header(code, nameZh, nameEn, kind, grades, province, designation, validFrom, note);
        try {
            byte[] content = file == null || file.isEmpty() ? null : Spreadsheets.readUpload(file, LocalPacks.MAX_BYTES);
            StandardPacks.Pack p = local.importVersion(h, file == null ? null : file.getOriginalFilename(), content, user);
            return "redirect:/compliance/packs/" + p.code() + "?version=" + p.version() + "&added=true";
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            model.addAttribute("form", h);
            list(user, model);
            return "compliance/packs";
        }
    }

    @GetMapping("/compliance/packs/{code}")
    String pack(@PathVariable String code, @RequestParam(required = false) Integer version,
                @RequestParam(defaultValue = "false") boolean added, Model model) {
        StandardPacks.Pack p = (version == null ? packs.latest(code) : packs.pack(code, version))
                .orElseThrow(() -> new NotFoundException("standard pack " + code));
        model.addAttribute("pack", p);
        model.addAttribute("versions", packs.packs().stream().filter(x -> x.code().equals(p.code())).toList());
        model.addAttribute("limits", packs.limits(p.code(), p.version(), null));
        model.addAttribute("added", added);
        return "compliance/pack";
    }

    /** The import template: the header row (Chinese/English) and two example rows. */
    @GetMapping("/compliance/packs/template.csv")
    @ResponseBody
    ResponseEntity<byte[]> template() {
        String csv = "\uFEFF" + String.join(",", LocalPacks.TEMPLATE_HEADER) + "\r\n"
                + "A,w01018,DAILY_MEAN,LE,40,,,mg/L,,all,表1,\r\n"
                + "A,w01001,DAILY_MEAN,RANGE,,6,9,无量纲,,all,表1,\r\n";
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"local-standard-template.csv\"")
                .body(csv.getBytes(StandardCharsets.UTF_8));
    }
}
