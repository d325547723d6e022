package org.gongzhi.requests;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.gongzhi.disclosure.Bureaus;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.requests.Request.Moderation;
import org.gongzhi.requests.Request.Rating;
import org.gongzhi.requests.Request.Status;
import org.gongzhi.requests.RequestEvent.Kind;
import org.gongzhi.requests.ServiceCatalogue.Attribute;
import org.gongzhi.requests.ServiceCatalogue.ServiceType;
import org.gongzhi.supervision.Supervision;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens to a public request: intake (validated, routed and dispatched at once, 即时派单, Beijing Regulation
 * Art 11), the bureau's steps (accept, transfer with a reason, object to the dispatch, reply, close, merge, moderate),
 * the requester's steps through the follow-up token (rate, reopen once), and the deadline job (reminders, escalation).
 * Every change writes an event and an audit entry in the same transaction.
 */
@Service
public class PublicRequests {

    /** Who the audit log names for a citizen's own steps: no account, no jurisdiction. */
    static final CurrentUser PUBLIC = new CurrentUser(0, "public", "公众 Public", Role.PARTY, 0, "公众",
            Jurisdiction.party(-1));
    static final String OWNER_TYPE = "public_request";
    static final int MAX_PHOTOS = 3;
    static final int MAX_DESCRIPTION = 2000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RequestStore store;
    private final ServiceCatalogue catalogue;
    private final Deadlines deadlines;
    private final Ledger ledger;
    private final LedgerLookup lookup;
    private final Bureaus bureaus;
    private final Organizations organizations;
    private final Regions regions;
    private final StoredFiles files;
    private final AuditLog audit;
    private final Supervision supervision;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final String defaultRegion;
    private final double nearestOutfallKm;
    private final int maxReopens;
    private final long maxPhotoBytes;

    PublicRequests(RequestStore store, ServiceCatalogue catalogue, Deadlines deadlines, Ledger ledger, LedgerLookup lookup,
                   Bureaus bureaus, Organizations organizations, Regions regions, StoredFiles files, AuditLog audit,
                   Supervision supervision, org.springframework.context.ApplicationEventPublisher events,
                   @Value("${gongzhi.requests.default-region:}") String defaultRegion,
                   @Value("${gongzhi.requests.nearest-outfall-km:3}") double nearestOutfallKm,
                   @Value("${gongzhi.requests.max-reopens:1}") int maxReopens,
                   @Value("${gongzhi.requests.max-photo-bytes:5242880}") long maxPhotoBytes) {
        this.store = store;
        this.catalogue = catalogue;
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.lookup = lookup;
        this.bureaus = bureaus;
        this.organizations = organizations;
        this.regions = regions;
        this.files = files;
        this.audit = audit;
        this.supervision = supervision;
        this.events = events;
        this.defaultRegion = defaultRegion.isBlank() ? null : defaultRegion.trim();
        this.nearestOutfallKm = nearestOutfallKm;
        this.maxReopens = maxReopens;
        this.maxPhotoBytes = maxPhotoBytes;
    }

    /** A photo as uploaded. */
    public record Photo(String filename, byte[] content) {
    }

    /** A report as submitted, from any channel. */
    public record Intake(String serviceCode, String outfallCode, Double longitude, Double latitude, String regionCode,
                         String address, String description, Map<String, String> attributes, String contactName,
                         String contactPhone, String contactEmail, String deviceId, Request.Channel channel, String client,
                         List<Photo> photos) {
    }

    /** The region the general report form offers when no pin is set (the counties of the default region). */
    public String defaultRegion() {
        return defaultRegion;
    }

    public int maxReopens() {
        return maxReopens;
    }

    // ------------------------------------------------------------------ intake

    @Transactional
    public Request submit(Intake in) {
        List<FieldProblem> problems = new ArrayList<>();
        ServiceType service = catalogue.find(trim(in.serviceCode())).filter(ServiceType::active).orElse(null);
        if (service == null) {
            problems.add(FieldProblem.of("service_code", in.serviceCode(), "请选择问题类别", "choose a category (service_code)"));
        }
        String description = trim(in.description());
        if (description == null || description.length() < 5) {
            problems.add(FieldProblem.of("description", description, "请描述问题（至少5个字）", "describe the problem (at least 5 characters)"));
        } else if (description.length() > MAX_DESCRIPTION) {
            problems.add(FieldProblem.of("description", description.length(), "描述不超过" + MAX_DESCRIPTION + "字",
                    "the description is at most " + MAX_DESCRIPTION + " characters"));
        }
        Map<String, String> attributes = service == null ? Map.of() : attributes(service, in.attributes(), problems);
        checkContact(in, problems);
        if ((in.longitude() == null) != (in.latitude() == null)) {
            problems.add(FieldProblem.of(in.longitude() == null ? "long" : "lat", null, "经度和纬度须同时提供",
                    "longitude and latitude go together"));
        } else if (in.longitude() != null && (in.longitude() < 73.4 || in.longitude() > 135.1 || in.latitude() < 3.8
                || in.latitude() > 53.6)) {
            problems.add(FieldProblem.of("lat", in.latitude() + "," + in.longitude(), "位置不在中国境内，请检查地图标记",
                    "the location is outside China; check the map pin"));
        }
        if (in.photos() != null && in.photos().size() > MAX_PHOTOS) {
            problems.add(FieldProblem.of("photo", in.photos().size(), "最多上传" + MAX_PHOTOS + "张照片",
                    "at most " + MAX_PHOTOS + " photos"));
        }
        if (in.address() != null && in.address().length() > 300) {
            problems.add(FieldProblem.of("address_string", in.address().length(), "地址不超过300字", "the address is at most 300 characters"));
        }
        Route route = problems.isEmpty() ? route(in, problems) : null;
        List<byte[]> photos = new ArrayList<>();
        if (in.photos() != null) {
            for (int i = 0; i < in.photos().size() && i < MAX_PHOTOS; i++) {
                Photo p = in.photos().get(i);
                try {
                    photos.add(RequestPhotos.stripped("photo", p.filename(), p.content(), maxPhotoBytes));
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String token = token();
        long id = store.insert(new RequestStore.NewRequest(token, service.code(), in.channel(), description, attributes,
                route.outfall() == null ? null : route.outfall().id(), route.outfall() == null ? null : route.outfall().nationalCode(),
                in.longitude(), in.latitude(), trim(in.address()), route.regionCode(), route.how(), route.bureau().id(),
                trim(in.contactName()), trim(in.contactPhone()), trim(in.contactEmail()), trim(in.deviceId()), in.client(),
                now, deadlines.responseDue(now, service), deadlines.resolveDue(now, service)));
        store.event(id, now, Kind.RECEIVED, Status.RECEIVED, PUBLIC.username(), null, null, true);
        for (int i = 0; i < photos.size(); i++) {
            files.store(OWNER_TYPE, id, StoredFiles.Kind.PHOTO, "photo-" + (i + 1) + (RequestPhotos.png(photos.get(i)) ? ".png" : ".jpg"),
                    photos.get(i), PUBLIC);
        }
        // 即时派单 (Art 11): straight to the bureau of the place.
        Request received = store.byId(id).orElseThrow();
        Request dispatched = change(received, r -> with(r, Status.DISPATCHED, now), Kind.DISPATCHED, PUBLIC,
                route.bureau().id(), route.bureau().name() + "（" + route.how() + "）", true);
        audit.record(PUBLIC, "CREATE", OWNER_TYPE, String.valueOf(id), "public request via " + in.channel(), null,
                withoutContact(dispatched));
        return dispatched;
    }

    /** Where a request goes and why (docs/requests.md "Routing"). */
    record Route(String regionCode, String how, Organization bureau, Outfall outfall) {
    }

    private Route route(Intake in, List<FieldProblem> problems) {
        Outfall outfall = null;
        String region = null;
        String how = null;
        String code = trim(in.outfallCode());
        if (code != null) {
            outfall = ledger.findByNationalCode(code.toUpperCase(java.util.Locale.ROOT), CurrentUser.system()).orElse(null);
            if (outfall == null) {
                problems.add(FieldProblem.of("outfall", code, "没有这个排污口编码", "no outfall has this code"));
                return null;
            }
            region = outfall.regionCode();
            how = "OUTFALL";
        } else if (in.longitude() != null) {
            // No region polygons on the platform: the pin belongs to the region of the nearest outfall (docs/requests.md).
            List<LedgerLookup.Nearby> near = lookup.near(in.longitude(), in.latitude(), nearestOutfallKm * 1000, CurrentUser.system());
            if (!near.isEmpty()) {
                region = near.get(0).outfall().regionCode();
                how = "NEAREST_OUTFALL";
            }
        }
        if (region == null && trim(in.regionCode()) != null) {
            String chosen = in.regionCode().trim();
            if (regions.find(chosen).isEmpty()) {
                problems.add(FieldProblem.of("region", chosen, "行政区划代码不存在", "no such region code"));
                return null;
            }
            region = chosen;
            how = "CHOSEN_REGION";
        }
        if (region == null && defaultRegion != null) {
            region = defaultRegion;
            how = "DEFAULT_REGION";
        }
        if (region == null) {
            problems.add(FieldProblem.of("lat", null, "请在地图上标出位置或选择所在区县",
                    "set a pin on the map or choose the county"));
            return null;
        }
        Optional<Organization> bureau = bureaus.responsibleFor(region);
        if (bureau.isEmpty()) {
            problems.add(FieldProblem.of("region", region, "该地区尚无受理诉求的生态环境部门", "no bureau serves this region yet"));
            return null;
        }
        return new Route(region, how, bureau.get(), outfall);
    }

    private static Map<String, String> attributes(ServiceType s, Map<String, String> given, List<FieldProblem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> in = given == null ? Map.of() : given;
        for (Attribute a : s.attributes()) {
            String v = trim(in.get(a.code()));
            String field = "attribute[" + a.code() + "]";
            if (v == null) {
                if (a.required()) {
                    problems.add(FieldProblem.of(field, null, "必填：" + a.description(), "required: " + a.description()));
                }
                continue;
            }
            switch (a.datatype()) {
                case "singlevaluelist" -> {
                    if (a.values().stream().noneMatch(x -> x.key().equals(v))) {
                        problems.add(FieldProblem.of(field, v, "不是可选的值", "not one of the listed values"));
                    }
                }
                case "number" -> {
                    try {
                        Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        problems.add(FieldProblem.of(field, v, "应为数字", "must be a number"));
                    }
                }
                case "datetime" -> {
                    try {
                        if (v.length() > 16) {
                            OffsetDateTime.parse(v);
                        } else {
                            java.time.LocalDateTime.parse(v);
                        }
                    } catch (DateTimeParseException e) {
                        problems.add(FieldProblem.of(field, v, "时间格式应为ISO 8601", "a time is ISO 8601"));
                    }
                }
                default -> {
                    if (v.length() > 500) {
                        problems.add(FieldProblem.of(field, v.length(), "不超过500字", "at most 500 characters"));
                    }
                }
            }
            out.put(a.code(), v);
        }
        return out;
    }

    private static void checkContact(Intake in, List<FieldProblem> problems) {
        String phone = trim(in.contactPhone());
        if (phone != null && !phone.matches("\\+?[0-9][0-9 \\-]{5,19}")) {
            problems.add(FieldProblem.of("phone", phone, "电话号码格式不正确", "not a phone number"));
        }
        String email = trim(in.contactEmail());
        if (email != null && (email.length() > 200 || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
            problems.add(FieldProblem.of("email", email, "电子邮箱格式不正确", "not an e-mail address"));
        }
        String name = trim(in.contactName());
        if (name != null && name.length() > 50) {
            problems.add(FieldProblem.of("name", name.length(), "姓名不超过50字", "the name is at most 50 characters"));
        }
        if (in.deviceId() != null && in.deviceId().length() > 100) {
            problems.add(FieldProblem.of("device_id", in.deviceId().length(), "设备标识不超过100字", "device_id is at most 100 characters"));
        }
    }

    /** Open requests of the same category at the same outfall or within 500 m, of the last 30 days. */
    public List<Request> duplicates(String serviceCode, String outfallCode, Double lon, Double lat) {
        if (serviceCode == null || (outfallCode == null && (lon == null || lat == null))) {
            return List.of();
        }
        return store.openNearby(serviceCode, outfallCode == null ? null : outfallCode.toUpperCase(java.util.Locale.ROOT),
                lon, lat, 500, Instant.now().minus(30, ChronoUnit.DAYS));
    }

    // ------------------------------------------------------------------ staff

    /** How many requests there are (demo data loads only into an empty channel). */
    public long count() {
        return store.count();
    }

    public Request find(long id, CurrentUser user) {
        return store.find(id, user).orElseThrow(() -> new NotFoundException("request " + id));
    }

    public List<Request> list(RequestStore.Filter filter, CurrentUser user) {
        return store.list(filter, user);
    }

    public List<RequestEvent> events(long id, CurrentUser user) {
        find(id, user);
        return store.events(id, false);
    }

    public List<StoredFiles.StoredFile> photos(long id) {
        return files.list(OWNER_TYPE, id);
    }

    /** 签收: the assigned bureau takes the request on; the first step that counts as a response. */
    @Transactional
    public Request accept(long id, CurrentUser user) {
        Request r = actionable(id, user);
        requireStatus(r, "status", Status.DISPATCHED);
        Instant now = now();
        return change(r, x -> with(with(x, Status.IN_PROGRESS, now), now, null, null), Kind.ACCEPTED, user,
                user.organizationId(), null, true);
    }

    /** Transfer to another bureau with a reason; the first bureau stays accountable (首接负责, Art 14). */
    @Transactional
    public Request transfer(long id, long toOrgId, String reason, CurrentUser user) {
        Request r = actionable(id, user);
        requireStatus(r, "status", Status.DISPATCHED, Status.IN_PROGRESS);
        requireReason(reason);
        Organization to = organizations.find(toOrgId).filter(o -> o.kind() == Organization.Kind.REGULATOR)
                .orElseThrow(() -> new InvalidInputException(FieldProblem.of("toOrganization", toOrgId,
                        "接收单位须为生态环境部门", "the receiving unit must be a regulator")));
        if (to.id() == r.assignedOrgId()) {
            throw new InvalidInputException(FieldProblem.of("toOrganization", toOrgId, "已在该单位办理", "it is already with this unit"));
        }
        Instant now = now();
        return change(r, x -> assigned(with(x, Status.DISPATCHED, now), to.id()), Kind.TRANSFERRED, user, to.id(),
                to.name() + "：" + reason.trim(), false);
    }

    /** Object to a dispatch (Art 12): it goes up to the bureau above, which decides where it belongs. */
    @Transactional
    public Request object(long id, String reason, CurrentUser user) {
        Request r = actionable(id, user);
        requireStatus(r, "status", Status.DISPATCHED);
        requireReason(reason);
        Organization own = organizations.find(r.assignedOrgId()).orElseThrow();
        Organization above = bureaus.above(own, r.regionCode()).orElseThrow(() -> new InvalidInputException(
                FieldProblem.of("reason", reason, "没有上级部门可以裁定，请直接转办或办理", "there is no bureau above to decide; transfer or handle it")));
        Instant now = now();
        return change(r, x -> assigned(with(x, Status.DISPATCHED, now), above.id()), Kind.OBJECTED, user, above.id(),
                reason.trim(), false);
    }

    /** The bureau's answer; {@code resolved} says whether the problem was solved (解决率). */
    @Transactional
    public Request reply(long id, String text, boolean resolved, CurrentUser user) {
        Request r = actionable(id, user);
        requireStatus(r, "status", Status.DISPATCHED, Status.IN_PROGRESS);
        String reply = trim(text);
        if (reply == null || reply.length() < 5) {
            throw new InvalidInputException(FieldProblem.of("reply", text, "请填写答复内容（至少5个字）", "write the reply (at least 5 characters)"));
        }
        if (reply.length() > 4000) {
            throw new InvalidInputException(FieldProblem.of("reply", reply.length(), "答复不超过4000字", "the reply is at most 4000 characters"));
        }
        Instant now = now();
        Request after = change(r, x -> with(with(x, Status.RESPONDED, now), x.respondedAt() == null ? now : x.respondedAt(),
                reply, resolved), resolved ? Kind.RESOLVED : Kind.RESPONDED, user, user.organizationId(), reply, true);
        events.publishEvent(new RequesterMail.Answered(id)); // e-mailed after commit, when configured
        return after;
    }

    /** Close a responded request (办结); rating it satisfied closes it too. */
    @Transactional
    public Request close(long id, String note, CurrentUser user) {
        Request r = actionable(id, user);
        requireStatus(r, "status", Status.RESPONDED);
        Instant now = now();
        return change(r, x -> closed(with(x, Status.CLOSED, now), now), Kind.CLOSED, user, user.organizationId(), trim(note), true);
    }

    /** Merge a duplicate into another open request the user may see: the duplicate closes, pointing at the original. */
    @Transactional
    public Request merge(long id, long intoId, CurrentUser user) {
        Request r = actionable(id, user);
        if (id == intoId) {
            throw new InvalidInputException(FieldProblem.of("into", intoId, "不能合并到自身", "cannot merge into itself"));
        }
        Request into = store.find(intoId, user).orElseThrow(() -> new InvalidInputException(
                FieldProblem.of("into", intoId, "目标诉求不存在或不在您的辖区", "no such request in your jurisdiction")));
        if (into.duplicateOf() != null) {
            throw new InvalidInputException(FieldProblem.of("into", intoId, "目标诉求本身已被合并", "that request was itself merged"));
        }
        requireStatus(r, "status", Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED);
        Instant now = now();
        return change(r, x -> closed(duplicate(with(x, Status.CLOSED, now), into.id()), now), Kind.MERGED, user,
                user.organizationId(), "#" + into.id(), true);
    }

    /**
     * A report about an outfall often needs someone on site: schedules an inspection of the request's outfall in the
     * supervision module (origin PUBLIC_REQUEST, this request's id as its reference) and notes it in the timeline.
     * Returns the inspection's id.
     */
    @Transactional
    public long scheduleInspection(long id, String inspector, java.time.LocalDate day, CurrentUser user) {
        Request r = actionable(id, user);
        if (r.outfallId() == null) {
            throw new InvalidInputException(FieldProblem.of("outfall", null, "该诉求未关联排污口，无法安排排污口检查",
                    "the request names no outfall, so no outfall inspection can be scheduled"));
        }
        requireStatus(r, "status", Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED);
        long inspection = supervision.scheduleInspection(r.outfallId(), Supervision.InspectionOrigin.PUBLIC_REQUEST,
                String.valueOf(id), trim(inspector), day, user);
        Instant now = now();
        change(r, x -> moderation(x, x.moderation(), now), Kind.INSPECTION_SCHEDULED, user, user.organizationId(),
                String.valueOf(inspection), false);
        return inspection;
    }

    /** Moderation: whether the description and photos may be shown publicly. */
    @Transactional
    public Request moderate(long id, Moderation decision, CurrentUser user) {
        Request r = actionable(id, user);
        if (decision == null || decision == Moderation.PENDING) {
            throw new InvalidInputException(FieldProblem.of("decision", decision, "请选择公开或不公开", "choose APPROVED or REJECTED"));
        }
        Instant now = now();
        return change(r, x -> moderation(x, decision, now), Kind.MODERATED, user, user.organizationId(), decision.name(), false);
    }

    // ------------------------------------------------------------------ the requester

    public Optional<Request> byToken(String token) {
        return token == null || token.length() > 64 ? Optional.empty() : store.byToken(token);
    }

    /** Public steps of all requests in a window, oldest first (the Open311 update feed). */
    public List<RequestEvent> publicEventsBetween(Instant from, Instant to, int limit) {
        return store.publicEvents(from, to, limit);
    }

    /** Requests by id in one query, in the order given, for the public views that choose what to show of them. */
    public List<Request> byIds(List<Long> ids) {
        return ids.isEmpty() ? List.of() : store.byIds(ids);
    }

    /** Any request by id, for the public views that choose what to show of it. */
    public Optional<Request> byId(long id) {
        return store.byId(id);
    }

    public List<RequestEvent> publicEvents(long id) {
        return store.events(id, true);
    }

    /** The requester's evaluation of a reply (Art 8); satisfied or basically satisfied closes the request. */
    @Transactional
    public Request rate(String token, Rating rating) {
        Request r = byToken(token).orElseThrow(() -> new NotFoundException("request"));
        if (rating == null) {
            throw new InvalidInputException(FieldProblem.of("rating", null, "请选择满意、基本满意或不满意",
                    "choose satisfied, basically satisfied or unsatisfied"));
        }
        if (!r.rateable()) {
            throw new InvalidInputException(FieldProblem.of("rating", rating, "收到答复后才能评价，每次答复评价一次",
                    "you can rate once per reply, after the reply"));
        }
        Instant now = now();
        boolean closes = rating != Rating.UNSATISFIED;
        return change(r, x -> {
            Request rated = rated(x, rating, now);
            return closes ? closed(with(rated, Status.CLOSED, now), now) : rated;
        }, Kind.RATED, PUBLIC, null, rating.name(), true);
    }

    /** 退回再办: an unsatisfied requester sends the request back once (济南 Art 27 practice; configurable). */
    @Transactional
    public Request reopen(String token, String reason) {
        Request r = byToken(token).orElseThrow(() -> new NotFoundException("request"));
        if (r.rating() != Rating.UNSATISFIED || r.ratedAt() == null || r.repliedAt() == null || r.ratedAt().isBefore(r.repliedAt())) {
            throw new InvalidInputException(FieldProblem.of("reopen", null, "评价“不满意”后才能退回再办",
                    "rate the reply unsatisfied before sending it back"));
        }
        if (r.reopenCount() >= maxReopens) {
            throw new InvalidInputException(FieldProblem.of("reopen", r.reopenCount(), "已退回再办过，不能再次退回",
                    "it was already sent back " + r.reopenCount() + " time(s), the most allowed"));
        }
        if (r.duplicateOf() != null) {
            throw new InvalidInputException(FieldProblem.of("reopen", null, "该诉求已并入其他诉求办理", "it was merged into another request"));
        }
        ServiceType s = catalogue.find(r.serviceCode()).orElseThrow();
        Instant now = now();
        Instant due = deadlines.reopenDue(now, s);
        return change(r, x -> reopened(x, now, due), Kind.REOPENED, PUBLIC, null, trim(reason), true);
    }

    // ------------------------------------------------------------------ deadlines

    /**
     * Every few minutes: a request past its deadline gets a reminder event for its bureau; one still open after a
     * second full window is escalated to the bureau above (it then shows in that bureau's list as escalated).
     */
    @Scheduled(fixedDelayString = "${gongzhi.requests.deadline-check-seconds:300}", initialDelay = 60, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    @Transactional
    public void checkDeadlines() {
        Instant now = now();
        for (Request r : store.overdueUnflagged(now)) {
            try {
                flagOverdue(r, now);
            } catch (InvalidInputException e) {
                // changed by someone in the meantime (answered, transferred): the next run sees it as it is now
            }
        }
    }

    private void flagOverdue(Request r, Instant now) {
        if (r.remindedAt() == null) {
            change(r, x -> flagged(x, now, x.escalatedAt()), Kind.REMINDED, CurrentUser.system(), r.assignedOrgId(),
                    "overdue since " + r.due(), false);
            return;
        }
        Duration window = Duration.between(r.receivedAt(), r.due());
        if (r.escalatedAt() == null && now.isAfter(r.due().plus(window))) {
            Organization own = organizations.find(r.assignedOrgId()).orElse(null);
            Long above = own == null ? null : bureaus.above(own, r.regionCode()).map(Organization::id).orElse(null);
            change(r, x -> flagged(x, x.remindedAt(), now), Kind.ESCALATED, CurrentUser.system(), above,
                    "overdue since " + r.due(), false);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Request actionable(long id, CurrentUser user) {
        Request r = find(id, user);
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot act on requests");
        }
        return r;
    }

    private static void requireStatus(Request r, String field, Status... allowed) {
        for (Status s : allowed) {
            if (r.status() == s) {
                return;
            }
        }
        throw new InvalidInputException(FieldProblem.of(field, r.status(), "当前状态“" + r.status().zh() + "”下不能进行此操作",
                "not possible while the request is " + r.status().en().toLowerCase()));
    }

    private static void requireReason(String reason) {
        if (trim(reason) == null) {
            throw new InvalidInputException(FieldProblem.of("reason", reason, "须说明理由", "a reason is required"));
        }
        if (reason.length() > 1000) {
            throw new InvalidInputException(FieldProblem.of("reason", reason.length(), "理由不超过1000字", "the reason is at most 1000 characters"));
        }
    }

    private Request change(Request before, UnaryOperator<Request> how, Kind kind, CurrentUser by, Long orgId, String note,
                           boolean isPublic) {
        Request after = how.apply(before);
        if (!store.update(after, before.version())) {
            throw new InvalidInputException(FieldProblem.of("version", before.version(), "该诉求已被他人处理，请刷新后重试",
                    "someone else changed this request; reload and try again"));
        }
        store.event(before.id(), after.updatedAt(), kind, after.status(), by.username(), orgId, note, isPublic);
        Request stored = store.byId(before.id()).orElseThrow();
        if (kind != Kind.DISPATCHED) {
            audit.record(by, kind.name(), OWNER_TYPE, String.valueOf(before.id()), note, withoutContact(before), withoutContact(stored));
        }
        return stored;
    }

    /** What the audit log keeps: no contact details (they are personal data kept only on the request itself). */
    private static Request withoutContact(Request r) {
        return new Request(r.id(), null, r.serviceCode(), r.channel(), r.status(), r.description(), r.attributes(),
                r.outfallId(), r.outfallCode(), r.longitude(), r.latitude(), r.address(), r.regionCode(), r.routedBy(),
                r.firstOrgId(), r.assignedOrgId(), null, null, null, null, r.client(), r.receivedAt(), r.responseDue(),
                r.resolveDue(), r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(), r.escalatedAt(), r.reply(),
                r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), r.moderation(), r.updatedAt(),
                r.version());
    }

    private static Request with(Request r, Status s, Instant now) {
        return copy(r, s, r.assignedOrgId(), r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(), r.escalatedAt(),
                r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), r.moderation(),
                r.resolveDue(), now);
    }

    private static Request with(Request r, Instant respondedAt, String reply, Boolean resolved) {
        return copy(r, r.status(), r.assignedOrgId(), respondedAt, reply == null ? r.repliedAt() : r.updatedAt(),
                r.closedAt(), r.remindedAt(), r.escalatedAt(), reply == null ? r.reply() : reply,
                resolved == null ? r.resolved() : resolved, r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(),
                r.moderation(), r.resolveDue(), r.updatedAt());
    }

    private static Request assigned(Request r, long org) {
        return copy(r, r.status(), org, r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(), r.escalatedAt(),
                r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), r.moderation(),
                r.resolveDue(), r.updatedAt());
    }

    private static Request closed(Request r, Instant at) {
        return copy(r, r.status(), r.assignedOrgId(), r.respondedAt(), r.repliedAt(), at, r.remindedAt(), r.escalatedAt(),
                r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), r.moderation(),
                r.resolveDue(), r.updatedAt());
    }

    private static Request duplicate(Request r, long of) {
        return copy(r, r.status(), r.assignedOrgId(), r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(),
                r.escalatedAt(), r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), of, r.moderation(),
                r.resolveDue(), r.updatedAt());
    }

    private static Request moderation(Request r, Moderation m, Instant now) {
        return copy(r, r.status(), r.assignedOrgId(), r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(),
                r.escalatedAt(), r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), m,
                r.resolveDue(), now);
    }

    private static Request rated(Request r, Rating rating, Instant now) {
        return copy(r, r.status(), r.assignedOrgId(), r.respondedAt(), r.repliedAt(), r.closedAt(), r.remindedAt(),
                r.escalatedAt(), r.reply(), r.resolved(), rating, now, r.reopenCount(), r.duplicateOf(), r.moderation(),
                r.resolveDue(), now);
    }

    private static Request reopened(Request r, Instant now, Instant due) {
        // A reopened request is due again and may be reminded and escalated again; it is no longer resolved.
        return copy(r, Status.IN_PROGRESS, r.assignedOrgId(), r.respondedAt(), r.repliedAt(), null, null, null,
                r.reply(), false, r.rating(), r.ratedAt(), r.reopenCount() + 1, r.duplicateOf(), r.moderation(), due, now);
    }

    private static Request flagged(Request r, Instant remindedAt, Instant escalatedAt) {
        return copy(r, r.status(), r.assignedOrgId(), r.respondedAt(), r.repliedAt(), r.closedAt(), remindedAt, escalatedAt,
                r.reply(), r.resolved(), r.rating(), r.ratedAt(), r.reopenCount(), r.duplicateOf(), r.moderation(),
                r.resolveDue(), r.updatedAt());
    }

    private static Request copy(Request r, Status status, long assigned, Instant respondedAt, Instant repliedAt,
                                Instant closedAt, Instant remindedAt, Instant escalatedAt, String reply, Boolean resolved,
                                Rating rating, Instant ratedAt, int reopenCount, Long duplicateOf, Moderation moderation,
                                Instant resolveDue, Instant updatedAt) {
        return new Request(r.id(), r.token(), r.serviceCode(), r.channel(), status, r.description(), r.attributes(),
                r.outfallId(), r.outfallCode(), r.longitude(), r.latitude(), r.address(), r.regionCode(), r.routedBy(),
                r.firstOrgId(), assigned, r.contactName(), r.contactPhone(), r.contactEmail(), r.deviceId(), r.client(),
                r.receivedAt(), r.responseDue(), resolveDue, respondedAt, repliedAt, closedAt, remindedAt, escalatedAt,
                reply, resolved, rating, ratedAt, reopenCount, duplicateOf, moderation, updatedAt, r.version());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** 128 random bits, URL-safe: the requester's only key to the request, so it must not be guessable. */
    private static String token() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
