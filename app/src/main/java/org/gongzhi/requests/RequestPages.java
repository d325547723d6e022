package org.gongzhi.requests;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.StoredFiles;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The bureau's pages: the request list with deadline flags, one request with its timeline and actions, metrics. */
@Controller
class RequestPages {

    private final PublicRequests requests;
    private final ServiceCatalogue catalogue;
    private final RequestMetrics metrics;
    private final Organizations organizations;
    private final StoredFiles files;

    RequestPages(PublicRequests requests, ServiceCatalogue catalogue, RequestMetrics metrics, Organizations organizations,
                 StoredFiles files) {
        this.requests = requests;
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.organizations = organizations;
        this.files = files;
    }

    @GetMapping("/requests")
    String list(@RequestParam(required = false) Request.Status status, @RequestParam(required = false) String service,
                @RequestParam(required = false) Boolean overdue, @RequestParam(defaultValue = "false") boolean mine,
                @RequestParam(required = false) Request.Moderation moderation,
                @RequestParam(defaultValue = "0") int page, CurrentUser user, Model model) {
        List<Request> list = requests.list(new RequestStore.Filter(status, blank(service), overdue, mine, moderation,
                Math.max(0, page), 50), user);
        model.addAttribute("moderation", moderation);
        model.addAttribute("requests", list);
        model.addAttribute("services", servicesByCode());
        model.addAttribute("units", units(list.stream().map(Request::assignedOrgId).toList()));
        model.addAttribute("statuses", Request.Status.values());
        model.addAttribute("status", status);
        model.addAttribute("service", service);
        model.addAttribute("overdue", overdue);
        model.addAttribute("mine", mine);
        model.addAttribute("page", page);
        model.addAttribute("now", Instant.now());
        model.addAttribute("t", ChinaTime.INSTANCE);
        return "requests/list";
    }

    @GetMapping("/requests/{id}")
    String detail(@PathVariable long id, CurrentUser user, Model model) {
        Request r = requests.find(id, user);
        List<RequestEvent> events = requests.events(id, user);
        model.addAttribute("r", r);
        model.addAttribute("service", catalogue.find(r.serviceCode()).orElseThrow());
        model.addAttribute("events", events);
        model.addAttribute("photos", requests.photos(id));
        model.addAttribute("units", units(java.util.stream.Stream.concat(java.util.stream.Stream.of(r.assignedOrgId(), r.firstOrgId()),
                events.stream().map(RequestEvent::orgId).filter(java.util.Objects::nonNull)).toList()));
        model.addAttribute("regulators", organizations.visibleTo(CurrentUser.system(), Organization.Kind.REGULATOR).stream()
                .filter(o -> o.regionCode() != null && r.regionCode().startsWith(o.regionCode().substring(0, 2))).toList());
        model.addAttribute("duplicates", requests.duplicates(r.serviceCode(), r.outfallCode(), r.longitude(), r.latitude())
                .stream().filter(d -> d.id() != r.id()).toList());
        model.addAttribute("now", Instant.now());
        model.addAttribute("t", ChinaTime.INSTANCE);
        model.addAttribute("canAct", user.canEditLedger());
        return "requests/detail";
    }

    @PostMapping("/requests/{id}/{action}")
    String act(@PathVariable long id, @PathVariable String action, @RequestParam Map<String, String> form, CurrentUser user,
               RedirectAttributes redirect, Model model) {
        try {
            switch (action) {
                case "accept" -> requests.accept(id, user);
                case "reply" -> requests.reply(id, form.get("reply"), "true".equals(form.get("resolved")), user);
                case "transfer" -> requests.transfer(id, parseLong(form.get("toOrganization")), form.get("reason"), user);
                case "object" -> requests.object(id, form.get("reason"), user);
                case "close" -> requests.close(id, form.get("note"), user);
                case "merge" -> requests.merge(id, parseLong(form.get("into")), user);
                case "moderate" -> requests.moderate(id, parseModeration(form.get("decision")), user);
                case "inspect" -> requests.scheduleInspection(id, form.get("inspector"), parseDay(form.get("day")), user);
                default -> throw new NotFoundException("action " + action);
            }
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            return detail(id, user, model);
        }
        redirect.addFlashAttribute("saved", true);
        return "redirect:/requests/" + id;
    }

    @GetMapping("/requests/{id}/photos/{fileId}")
    ResponseEntity<byte[]> photo(@PathVariable long id, @PathVariable long fileId, CurrentUser user) {
        requests.find(id, user);
        StoredFiles.StoredFile f = files.find(fileId).filter(x -> x.ownerType().equals(PublicRequests.OWNER_TYPE) && x.ownerId() == id)
                .orElseThrow(() -> new NotFoundException("photo " + fileId));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(f.contentType()))
                .cacheControl(CacheControl.noStore()).body(files.content(fileId));
    }

    @GetMapping("/requests/metrics")
    String metrics(@RequestParam(defaultValue = "UNIT") RequestMetrics.By by, @RequestParam(required = false) LocalDate from,
                   @RequestParam(required = false) LocalDate to, CurrentUser user, Model model) {
        LocalDate today = LocalDate.now(Deadlines.CHINA);
        LocalDate f = from == null ? today.withDayOfMonth(1) : from;
        LocalDate tt = to == null ? today : to;
        model.addAttribute("rows", metrics.compute(by, f, tt, user));
        model.addAttribute("by", by);
        model.addAttribute("bys", RequestMetrics.By.values());
        model.addAttribute("from", f);
        model.addAttribute("to", tt);
        return "requests/metrics";
    }

    private Map<String, ServiceCatalogue.ServiceType> servicesByCode() {
        return catalogue.active().stream().collect(Collectors.toMap(ServiceCatalogue.ServiceType::code, Function.identity()));
    }

    private Map<Long, Organization> units(List<Long> ids) {
        return organizations.byIds(ids.stream().distinct().toList());
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s == null ? "" : s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(org.gongzhi.platform.FieldProblem.of("id", s, "请填写编号", "give a number"));
        }
    }

    static LocalDate parseDay(String s) {
        try {
            return s == null || s.isBlank() ? null : LocalDate.parse(s.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(org.gongzhi.platform.FieldProblem.of("day", s, "日期格式应为YYYY-MM-DD", "a date is YYYY-MM-DD"));
        }
    }

    static Request.Moderation parseModeration(String s) {
        try {
            return s == null ? null : Request.Moderation.valueOf(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
