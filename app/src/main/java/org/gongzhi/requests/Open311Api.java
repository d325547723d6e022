package org.gongzhi.requests;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gongzhi.disclosure.PublicLinks;
import org.gongzhi.platform.RateLimitedException;
import org.gongzhi.platform.RateLimiter;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.requests.Request.Rating;
import org.gongzhi.requests.ServiceCatalogue.ServiceType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open311 GeoReport v2 under {@code /open311/v2} (anchors-and-standards.md §4.1): discovery, services, service
 * definitions, POST requests (api_key), tokens, GET requests with filters and by id, in XML and JSON; plus the
 * FixMyStreet-style {@code servicerequestupdates} feed with extended statuses, and one Gongzhi extension,
 * {@code requests/{id}/feedback}, for the requester's rating and reopening. {@code status} is only open or closed; the
 * fine-grained state is in the update feed. The jurisdiction_id is {@code gongzhi.open311.jurisdiction-id}.
 *
 * <p>What is public: category, status, the bureau's answers, times, the outfall or the pin (a citizen's own pin
 * rounded to 3 decimals, about 100 m), and the description and photos only once moderation approved them. Contact
 * details never. A POST needs a valid api_key (403 otherwise), which is what protects it instead of a CSRF token.
 */
@RestController
class Open311Api {

    static final String BASE = "/open311/v2";
    static final int MAX_RESULTS = 1000;
    static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final PublicRequests requests;
    private final ServiceCatalogue catalogue;
    private final Open311Clients clients;
    private final Organizations organizations;
    private final PublicLinks links;
    private final StoredFiles files;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String jurisdictionId;
    private final RateLimiter reads;
    private final RateLimiter perKey;
    private final RateLimiter perDevice;

    Open311Api(PublicRequests requests, ServiceCatalogue catalogue, Open311Clients clients, Organizations organizations,
               PublicLinks links, StoredFiles files, JdbcClient jdbc, JsonMapper json,
               @Value("${gongzhi.open311.jurisdiction-id:gongzhi}") String jurisdictionId,
               @Value("${gongzhi.open311.reads-per-minute:120}") int readsPerMinute,
               @Value("${gongzhi.open311.posts-per-minute-per-key:60}") int postsPerKey,
               @Value("${gongzhi.requests.reports-per-hour-per-device:5}") int perDeviceHour) {
        this.requests = requests;
        this.catalogue = catalogue;
        this.clients = clients;
        this.organizations = organizations;
        this.links = links;
        this.files = files;
        this.jdbc = jdbc;
        this.json = json;
        this.jurisdictionId = jurisdictionId;
        this.reads = new RateLimiter(readsPerMinute, readsPerMinute);
        this.perKey = new RateLimiter(postsPerKey, postsPerKey);
        this.perDevice = new RateLimiter(perDeviceHour, perDeviceHour / 60.0);
    }

    /** An Open311 error: its HTTP status and the description the client shows. */
    static final class Open311Error extends RuntimeException {
        final HttpStatus status;

        Open311Error(HttpStatus status, String description) {
            super(description);
            this.status = status;
        }
    }

    // ------------------------------------------------------------------ discovery and services

    @GetMapping(BASE + "/discovery.{format}")
    ResponseEntity<String> discovery(@PathVariable String format, HttpServletRequest request) {
        Format f = format(format);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("specification", "http://wiki.open311.org/GeoReport_v2");
        endpoint.put("url", links.base(request) + BASE);
        endpoint.put("changeset", "2026-11-29T00:00:00+08:00");
        endpoint.put("type", "production");
        endpoint.put("formats", List.of("text/xml", "application/json"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changeset", "2026-11-29T00:00:00+08:00");
        d.put("contact", "12369 / 共治 Gongzhi");
        d.put("key_service", "API keys are issued by the platform administrator (POST /api/v1/open311/clients)");
        d.put("endpoints", List.of(endpoint));
        return f == Format.JSON ? json(d) : xml(Xml.document("discovery", d));
    }

    @GetMapping(BASE + "/services.{format}")
    ResponseEntity<String> services(@PathVariable String format, @RequestParam(name = "jurisdiction_id", required = false) String jid,
                                    HttpServletRequest request) {
        Format f = format(format);
        read(request, jid);
        List<Map<String, Object>> list = catalogue.active().stream().map(Open311Api::service).toList();
        return f == Format.JSON ? json(list) : xml(Xml.document("services", "service", list));
    }

    @GetMapping(BASE + "/services/{code}.{format}")
    ResponseEntity<String> definition(@PathVariable String code, @PathVariable String format,
                                      @RequestParam(name = "jurisdiction_id", required = false) String jid,
                                      HttpServletRequest request) {
        Format f = format(format);
        read(request, jid);
        ServiceType s = catalogue.find(code).filter(ServiceType::active)
                .orElseThrow(() -> new Open311Error(HttpStatus.NOT_FOUND, "service_code " + code + " not found"));
        List<Map<String, Object>> attributes = new ArrayList<>();
        for (ServiceCatalogue.Attribute a : s.attributes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variable", true);
            m.put("code", a.code());
            m.put("datatype", a.datatype());
            m.put("required", a.required());
            m.put("datatype_description", a.datatypeDescription());
            m.put("order", a.order());
            m.put("description", a.description());
            if (a.values() != null && !a.values().isEmpty()) {
                m.put("values", a.values().stream().map(v -> Map.<String, Object>of("key", v.key(), "name", v.name())).toList());
            }
            attributes.add(m);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service_code", s.code());
        d.put("attributes", attributes);
        return f == Format.JSON ? json(d) : xml(Xml.document("service_definition", d));
    }

    private static Map<String, Object> service(ServiceType s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_code", s.code());
        m.put("service_name", s.nameZh() + " / " + s.nameEn());
        m.put("description", s.descriptionZh() + " / " + s.descriptionEn());
        m.put("metadata", !s.attributes().isEmpty());
        m.put("type", "realtime");
        m.put("keywords", s.keywords());
        m.put("group", s.group().equals("OUTFALL") ? "入河排污口 Outfalls" : "12345");
        return m;
    }

    // ------------------------------------------------------------------ requests

    @PostMapping(BASE + "/requests.{format}")
    ResponseEntity<String> create(@PathVariable String format, @RequestParam Map<String, String> p,
                                  @RequestParam(name = "media", required = false) MultipartFile media,
                                  HttpServletRequest request) throws IOException {
        // The key first: a POST without a valid key is refused before anything else is looked at.
        Open311Clients.Client client = clients.authenticate(p.get("api_key"))
                .orElseThrow(() -> new Open311Error(HttpStatus.FORBIDDEN, "api_key missing or not valid"));
        Format f = format(format);
        checkJurisdiction(p.get("jurisdiction_id"));
        perKey.check(client.name());
        String device = PublicRequests.trim(p.get("device_id"));
        if (device != null) {
            perDevice.check(client.name() + "/" + device);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("attribute[") && k.endsWith("]")) {
                attributes.put(k.substring(10, k.length() - 1), v);
            }
        });
        String name = (Objects.toString(p.get("first_name"), "") + " " + Objects.toString(p.get("last_name"), "")).trim();
        List<PublicRequests.Photo> photos = media == null || media.isEmpty() ? List.of()
                : List.of(new PublicRequests.Photo(media.getOriginalFilename(), media.getBytes()));
        Request r = requests.submit(new PublicRequests.Intake(p.get("service_code"), p.get("address_id"),
                number("long", p.get("long")), number("lat", p.get("lat")), null, p.get("address_string"),
                p.get("description"), attributes, name.isEmpty() ? null : name, p.get("phone"), p.get("email"), device,
                Request.Channel.OPEN311, client.name(), photos));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(r.id()));
        m.put("token", r.token());
        m.put("service_notice", "办理时限 due " + ISO.format(r.resolveDue().atOffset(CHINA).truncatedTo(ChronoUnit.SECONDS)));
        m.put("account_id", p.get("account_id"));
        return f == Format.JSON ? json(List.of(m)) : xml(Xml.document("service_requests", "request", List.of(m)));
    }

    @GetMapping(BASE + "/requests.{format}")
    ResponseEntity<String> search(@PathVariable String format, @RequestParam Map<String, String> p, HttpServletRequest request) {
        Format f = format(format);
        read(request, p.get("jurisdiction_id"));
        StringBuilder where = new StringBuilder("TRUE");
        Map<String, Object> params = new LinkedHashMap<>();
        String ids = PublicRequests.trim(p.get("service_request_id"));
        if (ids != null) {
            // service_request_id overrides every other filter (GeoReport v2)
            List<Long> list = new ArrayList<>();
            for (String s : ids.split(",")) {
                try {
                    list.add(Long.parseLong(s.trim()));
                } catch (NumberFormatException e) {
                    throw new Open311Error(HttpStatus.BAD_REQUEST, "service_request_id: not a number: " + s);
                }
            }
            where.append(" AND r.id = ANY(:ids)");
            params.put("ids", list.toArray(Long[]::new));
        } else {
            Instant end = p.get("end_date") == null ? Instant.now() : datetime("end_date", p.get("end_date"));
            Instant start = p.get("start_date") == null ? end.minus(90, ChronoUnit.DAYS) : datetime("start_date", p.get("start_date"));
            if (Duration.between(start, end).compareTo(Duration.ofDays(90)) > 0 || end.isBefore(start)) {
                throw new Open311Error(HttpStatus.BAD_REQUEST, "start_date..end_date spans at most 90 days and ends after it starts");
            }
            where.append(" AND r.received_at >= :start AND r.received_at <= :end");
            params.put("start", java.sql.Timestamp.from(start));
            params.put("end", java.sql.Timestamp.from(end));
            String codes = PublicRequests.trim(p.get("service_code"));
            if (codes != null) {
                where.append(" AND r.service_code = ANY(:codes)");
                params.put("codes", codes.split(","));
            }
            String status = PublicRequests.trim(p.get("status"));
            if (status != null) {
                List<String> st = List.of(status.toLowerCase().split(","));
                if (!List.of("open", "closed").containsAll(st)) {
                    throw new Open311Error(HttpStatus.BAD_REQUEST, "status is open or closed");
                }
                if (!(st.contains("open") && st.contains("closed"))) {
                    where.append(st.contains("open") ? " AND r.status <> 'CLOSED'" : " AND r.status = 'CLOSED'");
                }
            }
        }
        var spec = jdbc.sql("SELECT r.id FROM public_request r WHERE " + where + " ORDER BY r.received_at DESC LIMIT " + MAX_RESULTS);
        for (var e : params.entrySet()) {
            spec = spec.param(e.getKey(), e.getValue());
        }
        // One query for the requests, one for their bureaus, the catalogue once: a page of 1,000 is 3 queries, not 3,000.
        List<Request> found = requests.byIds(spec.query(Long.class).list());
        Map<Long, Organization> units = organizations.byIds(found.stream().map(Request::assignedOrgId).distinct().toList());
        Map<String, ServiceType> types = catalogue.active().stream().collect(Collectors.toMap(ServiceType::code, s -> s));
        List<Map<String, Object>> list = found.stream().map(r -> publicView(r, units, types, request)).toList();
        return f == Format.JSON ? json(list) : xml(Xml.document("service_requests", "request", list));
    }

    @GetMapping(BASE + "/requests/{id}.{format}")
    ResponseEntity<String> one(@PathVariable String id, @PathVariable String format,
                               @RequestParam(name = "jurisdiction_id", required = false) String jid, HttpServletRequest request) {
        Format f = format(format);
        read(request, jid);
        Request r = byId(id);
        List<Map<String, Object>> list = List.of(publicView(r, request));
        return f == Format.JSON ? json(list) : xml(Xml.document("service_requests", "request", list));
    }

    @GetMapping(BASE + "/tokens/{token}.{format}")
    ResponseEntity<String> token(@PathVariable String token, @PathVariable String format,
                                 @RequestParam(name = "jurisdiction_id", required = false) String jid, HttpServletRequest request) {
        Format f = format(format);
        read(request, jid);
        Request r = requests.byToken(token).orElseThrow(() -> new Open311Error(HttpStatus.NOT_FOUND, "token not found"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(r.id()));
        m.put("token", token);
        return f == Format.JSON ? json(List.of(m)) : xml(Xml.document("service_requests", "request", List.of(m)));
    }

    /** Gongzhi extension: the requester (holding the token) rates the answer and may send it back once. */
    @PostMapping(BASE + "/requests/{id}/feedback.{format}")
    ResponseEntity<String> feedback(@PathVariable String id, @PathVariable String format, @RequestParam Map<String, String> p,
                                    HttpServletRequest request) {
        clients.authenticate(p.get("api_key")).orElseThrow(() -> new Open311Error(HttpStatus.FORBIDDEN, "api_key missing or not valid"));
        Format f = format(format);
        Request r = byId(id);
        String token = p.get("token");
        if (token == null || !token.equals(r.token())) {
            throw new Open311Error(HttpStatus.FORBIDDEN, "token does not belong to this request");
        }
        if (p.get("rating") != null) {
            Rating rating;
            try {
                rating = Rating.valueOf(p.get("rating").trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new Open311Error(HttpStatus.BAD_REQUEST, "rating is SATISFIED, BASICALLY_SATISFIED or UNSATISFIED");
            }
            r = requests.rate(token, rating);
        }
        if ("true".equalsIgnoreCase(p.get("reopen"))) {
            r = requests.reopen(token, p.get("reason"));
        }
        List<Map<String, Object>> list = List.of(publicView(r, request));
        return f == Format.JSON ? json(list) : xml(Xml.document("service_requests", "request", list));
    }

    /** FixMyStreet-style update feed: public steps in a window (both dates required, at most 7 days). */
    @GetMapping(BASE + "/servicerequestupdates.{format}")
    ResponseEntity<String> updates(@PathVariable String format, @RequestParam Map<String, String> p, HttpServletRequest request) {
        Format f = format(format);
        read(request, p.get("jurisdiction_id"));
        if (p.get("start_date") == null || p.get("end_date") == null) {
            throw new Open311Error(HttpStatus.BAD_REQUEST, "start_date and end_date are required");
        }
        Instant start = datetime("start_date", p.get("start_date"));
        Instant end = datetime("end_date", p.get("end_date"));
        if (end.isBefore(start) || Duration.between(start, end).compareTo(Duration.ofDays(7)) > 0) {
            throw new Open311Error(HttpStatus.BAD_REQUEST, "start_date..end_date spans at most 7 days and ends after it starts");
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (RequestEvent e : requestsEvents(start, end)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("update_id", String.valueOf(e.id()));
            m.put("service_request_id", String.valueOf(e.requestId()));
            m.put("status", extendedStatus(e));
            m.put("updated_datetime", time(e.at()));
            // Only the bureau's own words are public; a citizen's reason for sending back is not moderated.
            m.put("description", switch (e.kind()) {
                case RESPONDED, RESOLVED, CLOSED -> e.note();
                case RATED -> e.note();
                default -> null;
            });
            m.put("media_url", null);
            m.put("external_status_code", e.kind().name());
            list.add(m);
        }
        return f == Format.JSON ? json(list) : xml(Xml.document("service_request_updates", "request_update", list));
    }

    @GetMapping(BASE + "/requests/{id}/media/{fileId}")
    ResponseEntity<byte[]> media(@PathVariable long id, @PathVariable long fileId) {
        Request r = requests.byId(id).filter(x -> x.moderation() == Request.Moderation.APPROVED)
                .orElseThrow(() -> new NotFoundException("media"));
        StoredFiles.StoredFile file = files.find(fileId)
                .filter(x -> x.ownerType().equals(PublicRequests.OWNER_TYPE) && x.ownerId() == r.id())
                .orElseThrow(() -> new NotFoundException("media"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(file.contentType()))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(files.content(fileId));
    }

    // ------------------------------------------------------------------ helpers

    enum Format { JSON, XML }

    private static Format format(String f) {
        return switch (f == null ? "" : f.toLowerCase()) {
            case "json" -> Format.JSON;
            case "xml" -> Format.XML;
            default -> throw new Open311Error(HttpStatus.NOT_FOUND, "format is json or xml");
        };
    }

    private void read(HttpServletRequest request, String jid) {
        reads.checkAddress(request.getRemoteAddr());
        checkJurisdiction(jid);
    }

    private void checkJurisdiction(String jid) {
        if (jid != null && !jid.isBlank() && !jid.trim().equals(jurisdictionId)) {
            throw new Open311Error(HttpStatus.NOT_FOUND, "jurisdiction_id " + jid + " is not served here (this is " + jurisdictionId + ")");
        }
    }

    private Request byId(String id) {
        try {
            return requests.byId(Long.parseLong(id)).orElseThrow(() -> new Open311Error(HttpStatus.NOT_FOUND, "service_request_id " + id + " not found"));
        } catch (NumberFormatException e) {
            throw new Open311Error(HttpStatus.NOT_FOUND, "service_request_id " + id + " not found");
        }
    }

    private List<RequestEvent> requestsEvents(Instant start, Instant end) {
        return requests.publicEventsBetween(start, end, MAX_RESULTS);
    }

    /** FixMyStreet's extended statuses for a step. */
    static String extendedStatus(RequestEvent e) {
        return switch (e.kind()) {
            case RECEIVED, DISPATCHED, REOPENED -> "OPEN";
            case ACCEPTED -> "INVESTIGATING";
            case TRANSFERRED, OBJECTED -> "INTERNAL_REFERRAL";
            case RESPONDED -> "NO_FURTHER_ACTION";
            case RESOLVED -> "FIXED";
            case MERGED -> "DUPLICATE";
            case CLOSED -> "CLOSED";
            default -> e.status() == Request.Status.CLOSED ? "CLOSED" : "IN_PROGRESS";
        };
    }

    private Map<String, Object> publicView(Request r, HttpServletRequest request) {
        return publicView(r, organizations.byIds(List.of(r.assignedOrgId())),
                Map.of(r.serviceCode(), catalogue.find(r.serviceCode()).orElseThrow()), request);
    }

    private Map<String, Object> publicView(Request r, Map<Long, Organization> units, Map<String, ServiceType> types,
                                           HttpServletRequest request) {
        ServiceType s = types.containsKey(r.serviceCode()) ? types.get(r.serviceCode()) : catalogue.find(r.serviceCode()).orElseThrow();
        Optional<Organization> unit = Optional.ofNullable(units.get(r.assignedOrgId()));
        boolean approved = r.moderation() == Request.Moderation.APPROVED;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(r.id()));
        m.put("status", r.status() == Request.Status.CLOSED ? "closed" : "open");
        m.put("status_notes", r.reply());
        m.put("service_name", s.nameZh() + " / " + s.nameEn());
        m.put("service_code", s.code());
        m.put("description", approved ? r.description() : null);
        m.put("agency_responsible", unit.map(Organization::name).orElse(null));
        m.put("service_notice", r.duplicateOf() == null ? null : "duplicate of " + r.duplicateOf());
        m.put("requested_datetime", time(r.receivedAt()));
        m.put("updated_datetime", time(r.updatedAt()));
        m.put("expected_datetime", time(r.resolveDue()));
        m.put("address", r.address());
        m.put("address_id", r.outfallCode());
        m.put("zipcode", null);
        boolean pin = r.latitude() != null;
        m.put("lat", pin ? round3(r.latitude()) : null);
        m.put("long", pin ? round3(r.longitude()) : null);
        String media = null;
        if (approved) {
            media = requests.photos(r.id()).stream().findFirst()
                    .map(ph -> links.base(request) + BASE + "/requests/" + r.id() + "/media/" + ph.id()).orElse(null);
        }
        m.put("media_url", media);
        return m;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String time(Instant i) {
        return i == null ? null : ISO.format(i.atOffset(CHINA).truncatedTo(ChronoUnit.SECONDS));
    }

    private static Instant datetime(String field, String v) {
        try {
            return OffsetDateTime.parse(v.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(v.trim()).atStartOfDay(CHINA).toInstant();
            } catch (DateTimeParseException e2) {
                throw new Open311Error(HttpStatus.BAD_REQUEST, field + ": use ISO 8601 with a time zone, e.g. 2026-11-29T08:00:00+08:00");
            }
        }
    }

    private static Double number(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new Open311Error(HttpStatus.BAD_REQUEST, field + ": not a number");
        }
    }

    private ResponseEntity<String> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }

    private static ResponseEntity<String> xml(String body) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/xml;charset=UTF-8")).body(body);
    }

    // ------------------------------------------------------------------ errors, in the format asked for

    @ExceptionHandler(Open311Error.class)
    ResponseEntity<String> error(Open311Error e, HttpServletRequest request) {
        return errors(e.status, List.of(e.getMessage()), request);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<String> invalid(InvalidInputException e, HttpServletRequest request) {
        return errors(HttpStatus.BAD_REQUEST, e.problems().stream()
                .map(p -> p.field() + ": " + p.reasonZh() + " / " + p.reasonEn()).toList(), request);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<String> notFound(NotFoundException e, HttpServletRequest request) {
        return errors(HttpStatus.NOT_FOUND, List.of("not found"), request);
    }

    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<String> limited(RateLimitedException e, HttpServletRequest request) {
        ResponseEntity<String> r = errors(HttpStatus.TOO_MANY_REQUESTS, List.of("too many requests, try again later"), request);
        return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders()).headers(e.getHeaders()).body(r.getBody());
    }

    private ResponseEntity<String> errors(HttpStatus status, List<String> descriptions, HttpServletRequest request) {
        boolean xml = request.getRequestURI().endsWith(".xml");
        List<Map<String, Object>> list = descriptions.stream()
                .map(d -> Map.<String, Object>of("code", status.value(), "description", d)).collect(Collectors.toList());
        if (xml) {
            return ResponseEntity.status(status).contentType(MediaType.parseMediaType("text/xml;charset=UTF-8"))
                    .body(Xml.document("errors", "error", list.stream()
                            .map(m -> { Map<String, Object> o = new LinkedHashMap<>(); o.put("code", m.get("code")); o.put("description", m.get("description")); return o; })
                            .toList()));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(list));
    }
}
