package org.gongzhi.requests;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gongzhi.disclosure.PublicLinks;
import org.gongzhi.disclosure.PublicOutfalls;
import org.gongzhi.platform.RateLimiter;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Regions;
import org.gongzhi.requests.Request.Rating;
import org.gongzhi.requests.ServiceCatalogue.ServiceType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The citizen's pages, without sign-in: the report form (from an outfall's page with the outfall filled in, or
 * general with a map pin), and the follow-up page behind the token link, where the requester reads the reply, rates
 * it and may send it back once. Abuse resistance: token buckets per IP and per device (a long-lived random cookie),
 * size limits, a honeypot field that people never see, CSRF tokens on every form, and nothing the citizen wrote is
 * public before moderation.
 */
@Controller
class CitizenPages {

    static final String DEVICE_COOKIE = "gz_device";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PublicRequests requests;
    private final ServiceCatalogue catalogue;
    private final PublicOutfalls outfalls;
    private final Regions regions;
    private final PublicLinks links;
    private final RateLimiter perIp;
    private final RateLimiter perDevice;
    private final RateLimiter follow;
    private final String tileUrl;
    private final String tileAttribution;

    CitizenPages(PublicRequests requests, ServiceCatalogue catalogue, PublicOutfalls outfalls, Regions regions, PublicLinks links,
                 @Value("${gongzhi.requests.reports-per-hour-per-ip:10}") int perIpHour,
                 @Value("${gongzhi.requests.reports-per-hour-per-device:5}") int perDeviceHour,
                 @Value("${gongzhi.map.tile-url:}") String tileUrl, @Value("${gongzhi.map.attribution:}") String tileAttribution) {
        this.requests = requests;
        this.catalogue = catalogue;
        this.outfalls = outfalls;
        this.regions = regions;
        this.links = links;
        this.perIp = new RateLimiter(perIpHour, perIpHour / 60.0);
        this.perDevice = new RateLimiter(perDeviceHour, perDeviceHour / 60.0);
        this.follow = new RateLimiter(30, 30);
        this.tileUrl = tileUrl;
        this.tileAttribution = tileAttribution;
    }

    @GetMapping("/report")
    String form(@RequestParam(required = false) String outfall, HttpServletRequest request, HttpServletResponse response,
                Model model) {
        device(request, response);
        model.addAttribute("form", Map.of());
        prepare(outfall, model);
        return "requests/report";
    }

    @PostMapping("/report")
    String submit(@RequestParam Map<String, String> params, @RequestParam(name = "photo", required = false) List<MultipartFile> photos,
                  HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
        String device = device(request, response);
        if (params.get("website") != null && !params.get("website").isBlank()) {
            // The honeypot: hidden from people, filled in by bots. Answer as if accepted, store nothing.
            return "redirect:/report/received";
        }
        perIp.checkAddress(request.getRemoteAddr());
        perDevice.check(device);
        String outfall = PublicRequests.trim(params.get("outfall"));
        String service = PublicRequests.trim(params.get("service"));
        Map<String, String> attributes = new LinkedHashMap<>();
        String prefix = "attr_" + service + "_";
        params.forEach((k, v) -> {
            if (service != null && k.startsWith(prefix)) {
                attributes.put(k.substring(prefix.length()), v);
            }
        });
        List<PublicRequests.Photo> uploaded = new ArrayList<>();
        if (photos != null) {
            for (MultipartFile p : photos) {
                if (!p.isEmpty()) {
                    uploaded.add(new PublicRequests.Photo(p.getOriginalFilename(), p.getBytes()));
                }
            }
        }
        try {
            Request r = requests.submit(new PublicRequests.Intake(service, outfall, number(params.get("lon")),
                    number(params.get("lat")), params.get("region"), params.get("address"), params.get("description"),
                    attributes, params.get("name"), params.get("phone"), params.get("email"), device,
                    outfall == null ? Request.Channel.WEB : Request.Channel.OUTFALL_PAGE, null, uploaded));
            return "redirect:/r/" + r.token() + "?new";
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            model.addAttribute("form", params);
            prepare(outfall, model);
            return "requests/report";
        }
    }

    @GetMapping("/report/received")
    String received() {
        return "requests/received";
    }

    /** Open reports of the same category nearby, shown while reporting so that a citizen can see it is known. */
    @GetMapping("/report/nearby")
    String nearby(@RequestParam(required = false) String service, @RequestParam(required = false) String outfall,
                  @RequestParam(required = false) Double lon, @RequestParam(required = false) Double lat,
                  HttpServletRequest request, Model model) {
        follow.checkAddress(request.getRemoteAddr());
        model.addAttribute("duplicates", requests.duplicates(service, outfall, lon, lat));
        model.addAttribute("t", ChinaTime.INSTANCE);
        return "requests/nearby :: list";
    }

    @GetMapping("/r/{token}")
    String follow(@PathVariable String token, HttpServletRequest request, Model model) {
        follow.checkAddress(request.getRemoteAddr());
        Request r = requests.byToken(token).orElseThrow(() -> new NotFoundException("request"));
        model.addAttribute("r", r);
        model.addAttribute("t", ChinaTime.INSTANCE);
        model.addAttribute("followUrl", links.base(request) + "/r/" + r.token());
        model.addAttribute("service", catalogue.find(r.serviceCode()).orElseThrow());
        model.addAttribute("events", requests.publicEvents(r.id()));
        model.addAttribute("ratings", Rating.values());
        model.addAttribute("canReopen", r.rating() == Rating.UNSATISFIED && r.status() == Request.Status.RESPONDED
                && r.reopenCount() < requests.maxReopens() && r.duplicateOf() == null);
        return "requests/follow";
    }

    @PostMapping("/r/{token}/rate")
    String rate(@PathVariable String token, @RequestParam(required = false) Rating rating, HttpServletRequest request,
                Model model) {
        follow.checkAddress(request.getRemoteAddr());
        try {
            requests.rate(token, rating);
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            return follow(token, request, model);
        }
        return "redirect:/r/" + token;
    }

    @PostMapping("/r/{token}/reopen")
    String reopen(@PathVariable String token, @RequestParam(required = false) String reason, HttpServletRequest request,
                  Model model) {
        follow.checkAddress(request.getRemoteAddr());
        try {
            requests.reopen(token, reason);
        } catch (InvalidInputException e) {
            model.addAttribute("problems", e.problems());
            return follow(token, request, model);
        }
        return "redirect:/r/" + token;
    }

    private void prepare(String outfall, Model model) {
        List<ServiceType> services = catalogue.active();
        model.addAttribute("services", outfall == null ? services
                : services.stream().filter(s -> s.group().equals("OUTFALL")).toList());
        model.addAttribute("outfall", outfall == null ? null : outfalls.find(outfall).orElse(null));
        String region = requests.defaultRegion();
        model.addAttribute("counties", region == null ? List.of() : regions.children(region));
        model.addAttribute("tileUrl", tileUrl);
        model.addAttribute("tileAttribution", tileAttribution);
        model.addAttribute("maxPhotos", PublicRequests.MAX_PHOTOS);
    }

    /** The device id: a random cookie, so that one phone is limited even when its IP changes (mobile networks). */
    private static String device(HttpServletRequest request, HttpServletResponse response) {
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (c.getName().equals(DEVICE_COOKIE) && c.getValue().matches("[0-9a-f]{32}")) {
                    return c.getValue();
                }
            }
        }
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        Cookie cookie = new Cookie(DEVICE_COOKIE, id);
        cookie.setHttpOnly(true);
        cookie.setPath("/");
        cookie.setMaxAge(365 * 24 * 3600);
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
        return id;
    }

    private static Double number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(FieldProblem.of("lat", s, "位置格式不正确", "not a coordinate"));
        }
    }
}
