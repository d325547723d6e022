package org.gongzhi.supervision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.gongzhi.compliance.OpenFindings;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallType;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.platform.UserAccounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * 现场检查 (办法: 生态环境主管部门依法开展现场检查): plans by random selection, ad-hoc inspections, the record an
 * inspector completes on a phone at the site, findings with their legal basis, rectification orders to the party,
 * and enforcement case records for serious findings.
 */
@Service
class Inspections {

    static final String FILES = "inspection";
    static final String ORDER_FILES = "rectification_order";
    /** The statutes for a serious finding (outfall-regulation.md §1.13): 水污染防治法 Art 84, 水法 Art 67. */
    static final String ENFORCEMENT_BASIS = "《中华人民共和国水污染防治法》第八十四条；《中华人民共和国水法》第六十七条";
    private static final Pattern QUARTER = Pattern.compile("^(\\d{4})Q([1-4])$");

    enum Origin { PLAN, FINDING, PUBLIC_REQUEST, AD_HOC }

    record Inspection(long id, Long planId, long outfallId, String regionCode, Origin origin, String originRef,
                      String inspector, LocalDate scheduledOn, String status, String checklistJson, Double longitude,
                      Double latitude, String samples, String summary, String inspectorSignature, String partySignature,
                      String contentHash, Instant completedAt) {
        public boolean completed() {
            return "COMPLETED".equals(status);
        }
    }

    record Finding(long id, long inspectionId, String item, String description, String legalBasis, boolean serious) {
    }

    /**
     * @param deadlineWorkingDays the number of working days the deadline was counted from (null: a date was given)
     * @param reviewDueOn         when the regulator should have reviewed the party's response (working days)
     * @param escalatedAt         when the order was escalated, open past its deadline
     */
    record Order(long id, long findingId, long inspectionId, long outfallId, String regionCode, long partyId,
                 String requirement, LocalDate deadline, String status, String response, String respondedBy,
                 Instant respondedAt, String closedBy, Instant closedAt, String reviewNote, Instant createdAt,
                 Integer deadlineWorkingDays, LocalDate reviewDueOn, Instant escalatedAt, String createdBy) {
        public boolean overdue(LocalDate today) {
            return !"CLOSED".equals(status) && deadline.isBefore(today);
        }
    }

    record EnforcementCase(long id, long findingId, long outfallId, String basis, String status, String openedBy, Instant openedAt) {
    }

    record Plan(long id, String name, String regionCode, String quarter, String rulesJson, long seed, String inspector,
                String createdBy, Instant createdAt) {
    }

    /**
     * @param shares      percent of the outfalls of each level-1 type (INDUSTRIAL, URBAN_WWTP, AGRICULTURAL, OTHER) to inspect
     * @param findingWeight how much each open compliance finding adds to an outfall's weight (base weight 1)
     */
    record PlanInput(String name, String regionCode, String quarter, Map<String, Integer> shares, Double findingWeight,
                     String inspector, Long seed) {
    }

    record AdHocInput(Long outfallId, Origin origin, String originRef, String inspector, LocalDate scheduledOn) {
    }

    /**
     * @param deadline    the date by which the party rectifies; or, when null,
     * @param workingDays the number of working days from today (default gongzhi.supervision.order-working-days)
     */
    record FindingInput(String item, String description, String legalBasis, Boolean serious, String requirement,
                        LocalDate deadline, Integer workingDays) {
    }

    /**
     * The record as the inspector completes it. Signatures are typed names: the inspector's and the party
     * representative's; the server adds the time and the SHA-256 of the record both signed.
     */
    record CompleteInput(Map<String, String> checklist, Map<String, String> notes, Double longitude, Double latitude,
                         String samples, String summary, List<FindingInput> findings, String inspectorName,
                         String partyRepresentative) {
    }

    private final JdbcClient jdbc;
    private final Scope scope;
    private final Ledger ledger;
    private final OutfallTypes types;
    private final OpenFindings openFindings;
    private final UserAccounts users;
    private final StoredFiles files;
    private final AuditLog audit;
    private final JsonMapper json;
    private final WorkingDays workingDays;
    private final PublicRequestReferences requests;

    Inspections(JdbcClient jdbc, Scope scope, Ledger ledger, OutfallTypes types, OpenFindings openFindings,
                UserAccounts users, StoredFiles files, AuditLog audit, JsonMapper json, WorkingDays workingDays,
                PublicRequestReferences requests) {
        this.workingDays = workingDays;
        this.requests = requests;
        this.jdbc = jdbc;
        this.scope = scope;
        this.ledger = ledger;
        this.types = types;
        this.openFindings = openFindings;
        this.users = users;
        this.files = files;
        this.audit = audit;
        this.json = json;
    }

    // ---- plans: random selection --------------------------------------------------------------------------------

    /**
     * Draws the plan's outfalls: for each level-1 type, ceil(share × count) of the jurisdiction's outfalls of that
     * type in the region (those under supervision or in remediation; not suspected, cancelled or not outfalls),
     * without replacement, each with weight 1 + findingWeight × its open compliance findings (Efraimidis–Spirakis:
     * the smallest −ln(u)/w win). The seed is stored, so the draw can be reproduced and audited. Inspections are
     * spread over the quarter's days.
     */
    @Transactional
    Plan createPlan(PlanInput in, CurrentUser user) {
        Campaigns.requireRegulator(user);
        List<FieldProblem> problems = new ArrayList<>();
        if (Campaigns.blank(in.name())) {
            problems.add(FieldProblem.of("name", in.name(), "计划名称必填", "name is required"));
        }
        if (in.regionCode() == null || !user.jurisdiction().coversRegion(in.regionCode())) {
            problems.add(FieldProblem.of("regionCode", in.regionCode(), "须为您辖区内的行政区", "must be a region inside your jurisdiction"));
        }
        var q = in.quarter() == null ? null : QUARTER.matcher(in.quarter());
        if (q == null || !q.matches()) {
            problems.add(FieldProblem.of("quarter", in.quarter(), "季度格式为 2026Q1", "the quarter is written 2026Q1"));
        }
        Map<String, Integer> shares = in.shares() == null ? Map.of() : in.shares();
        if (shares.isEmpty()) {
            problems.add(FieldProblem.of("shares", null, "须至少为一类排污口设定抽查比例", "set a share for at least one type"));
        }
        shares.forEach((k, v) -> {
            boolean known = java.util.Arrays.stream(OutfallType.Level1.values()).anyMatch(l -> l.name().equals(k));
            if (!known) {
                problems.add(FieldProblem.of("shares", k, "类型须为 INDUSTRIAL、URBAN_WWTP、AGRICULTURAL 或 OTHER",
                        "the type must be INDUSTRIAL, URBAN_WWTP, AGRICULTURAL or OTHER"));
            } else if (v == null || v < 1 || v > 100) {
                problems.add(FieldProblem.of("shares", v, "抽查比例应在1–100%之间", "a share is between 1 and 100%"));
            }
        });
        double weight = in.findingWeight() == null ? 1.0 : in.findingWeight();
        if (weight < 0 || weight > 100) {
            problems.add(FieldProblem.of("findingWeight", weight, "权重应在0–100之间", "the weight is between 0 and 100"));
        }
        String inspector = checkInspector(in.inspector(), user, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long seed = in.seed() != null ? in.seed() : new java.security.SecureRandom().nextLong();
        int year = Integer.parseInt(q.group(1));
        LocalDate start = LocalDate.of(year, (Integer.parseInt(q.group(2)) - 1) * 3 + 1, 1);
        int days = (int) ChronoUnit.DAYS.between(start, start.plusMonths(3));

        Map<OutfallType.Level1, List<Outfall>> byType = new LinkedHashMap<>();
        LedgerQuery query = new LedgerQuery(in.regionCode(), null, null, null, null, null, null, null, LedgerQuery.Sort.CODE,
                false, 0, LedgerQuery.MAX_PAGE_SIZE);
        ledger.forEach(query, user, o -> {
            if (o.lifecycle() == Lifecycle.SUSPECTED || o.lifecycle() == Lifecycle.CANCELLED || o.lifecycle() == Lifecycle.NOT_AN_OUTFALL) {
                return;
            }
            types.find(o.typeCode()).ifPresent(t -> byType.computeIfAbsent(t.level1(), k -> new ArrayList<>()).add(o));
        });
        Map<Long, Integer> open = openFindings.countsByOutfall(byType.values().stream().flatMap(List::stream).map(Outfall::id).toList());
        Random random = new Random(seed);
        List<Outfall> chosen = new ArrayList<>();
        for (OutfallType.Level1 level : OutfallType.Level1.values()) {
            Integer share = shares.get(level.name());
            List<Outfall> pool = byType.getOrDefault(level, List.of());
            if (share == null || pool.isEmpty()) {
                continue;
            }
            int n = (int) Math.ceil(pool.size() * share / 100.0);
            record Keyed(Outfall o, double key) {
            }
            List<Keyed> keyed = new ArrayList<>();
            for (Outfall o : pool) {
                double w = 1.0 + weight * open.getOrDefault(o.id(), 0);
                keyed.add(new Keyed(o, -Math.log(1.0 - random.nextDouble()) / w));
            }
            keyed.sort(Comparator.comparingDouble(Keyed::key));
            keyed.stream().limit(n).forEach(k -> chosen.add(k.o()));
        }
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("shares", shares);
        rules.put("findingWeight", weight);
        rules.put("selected", chosen.size());
        long id = jdbc.sql("""
                INSERT INTO inspection_plan (name, region_code, quarter, rules, seed, inspector, created_by)
                VALUES (?, ?, ?, ?::jsonb, ?, ?, ?) RETURNING id""")
                .params(in.name().trim(), in.regionCode(), in.quarter(), json.writeValueAsString(rules), seed, inspector,
                        user.username())
                .query(Long.class).single();
        for (int i = 0; i < chosen.size(); i++) {
            LocalDate day = start.plusDays((long) i * days / Math.max(chosen.size(), 1));
            insert(id, chosen.get(i), Origin.PLAN, null, inspector, day, user);
        }
        Plan p = plan(id, user);
        audit.record(user, "CREATE", "inspection_plan", String.valueOf(id), null, null, Map.of("plan", p, "outfalls",
                chosen.stream().map(Outfall::id).toList()));
        return p;
    }

    private String checkInspector(String username, CurrentUser user, List<FieldProblem> problems) {
        String name = Campaigns.blank(username) ? user.username() : username.trim();
        var u = users.findUser(name);
        if (u.isEmpty() || u.get().jurisdiction().scope() == Jurisdiction.Scope.PARTY
                || !(u.get().role() == Role.INSPECTOR || u.get().role() == Role.REGULATOR)
                || u.get().organizationId() != user.organizationId() && !user.jurisdiction().equals(u.get().jurisdiction())) {
            problems.add(FieldProblem.of("inspector", name, "检查人员须为本单位的检查或监管人员",
                    "the inspector must be an inspector or regulator of your bureau"));
        }
        return name;
    }

    Plan plan(long id, CurrentUser user) {
        Scope.Clause s = scope.of("p", user, false);
        return jdbc.sql("SELECT p.id, p.name, p.region_code, p.quarter, p.rules::text, p.seed, p.inspector, p.created_by, p.created_at "
                        + "FROM inspection_plan p WHERE p.id = :id AND " + s.sql().replace("p.water_body_id", "NULL::bigint"))
                .param("id", id).params(s.params())
                .query((rs, i) -> new Plan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant()))
                .optional().orElseThrow(() -> new NotFoundException("inspection plan " + id));
    }

    // ---- ad-hoc inspections -------------------------------------------------------------------------------------

    /** An inspection outside the plan: after a compliance finding (its id), a public request (its id), or ad hoc. */
    @Transactional
    Inspection createAdHoc(AdHocInput in, CurrentUser user) {
        Campaigns.requireFieldStaff(user);
        List<FieldProblem> problems = new ArrayList<>();
        Origin origin = in.origin() == null ? Origin.AD_HOC : in.origin();
        Long outfallId = in.outfallId();
        String ref = Campaigns.blank(in.originRef()) ? null : in.originRef().trim();
        if (origin == Origin.PLAN) {
            problems.add(FieldProblem.of("origin", origin, "计划检查由检查计划生成", "planned inspections come from an inspection plan"));
        }
        if (origin == Origin.FINDING) {
            var f = ref == null || !ref.matches("\\d{1,18}") ? java.util.Optional.<OpenFindings.Ref>empty()
                    : openFindings.find(Long.parseLong(ref));
            if (f.isEmpty() || ledgerMissing(f.get().outfallId(), user)) {
                problems.add(FieldProblem.of("originRef", ref, "没有该超标发现（或不在您的辖区）", "no such finding (or outside your jurisdiction)"));
            } else {
                if (outfallId != null && outfallId != f.get().outfallId()) {
                    problems.add(FieldProblem.of("outfallId", outfallId, "与该发现的排污口不一致", "not the outfall of that finding"));
                }
                outfallId = f.get().outfallId();
            }
        } else if (origin == Origin.PUBLIC_REQUEST && ref == null) {
            problems.add(FieldProblem.of("originRef", null, "须填写公众诉求编号", "the public request's id is required"));
        } else if (origin == Origin.PUBLIC_REQUEST) {
            var r = ref.matches("\\d{1,18}") ? requests.find(Long.parseLong(ref), user) : java.util.Optional.<PublicRequestReferences.Reference>empty();
            if (r.isEmpty()) {
                problems.add(FieldProblem.of("originRef", ref, "没有该公众诉求（或不在您的辖区）", "no such public request (or outside your jurisdiction)"));
            } else if (r.get().outfallId() != null) {
                if (outfallId != null && !outfallId.equals(r.get().outfallId())) {
                    problems.add(FieldProblem.of("outfallId", outfallId, "与该诉求所涉排污口不一致", "not the outfall the request is about"));
                }
                outfallId = r.get().outfallId();
            }
        }
        if (outfallId == null) {
            problems.add(FieldProblem.of("outfallId", null, "须指定排污口", "choose the outfall"));
        }
        String inspector = checkInspector(in.inspector(), user, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Outfall o = ledger.find(outfallId, user);
        long id = insert(null, o, origin, ref, inspector, in.scheduledOn() == null ? LocalDate.now(Remediation.CHINA) : in.scheduledOn(), user);
        Inspection created = find(id, user);
        audit.record(user, "CREATE", "inspection", String.valueOf(id), origin.name(), null, created);
        return created;
    }

    private boolean ledgerMissing(long outfallId, CurrentUser user) {
        try {
            ledger.find(outfallId, user);
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private long insert(Long planId, Outfall o, Origin origin, String ref, String inspector, LocalDate day, CurrentUser user) {
        return jdbc.sql("""
                INSERT INTO inspection (plan_id, outfall_id, region_code, water_body_id, party_id, origin, origin_ref,
                                        inspector, scheduled_on, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(planId, o.id(), o.regionCode(), o.waterBodyId(), Campaigns.leadParty(o), origin.name(), ref, inspector,
                        day, user.username())
                .query(Long.class).single();
    }

    Inspection find(long id, CurrentUser user) {
        Scope.Clause s = scope.of("i", user);
        return jdbc.sql(SELECT + " WHERE i.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(Inspections::map).optional().orElseThrow(() -> new NotFoundException("inspection " + id));
    }

    /** The inspector's open inspections due by {@code day} (the day's task list), earliest first. */
    List<Inspection> dueFor(CurrentUser user, LocalDate day) {
        Scope.Clause s = scope.of("i", user);
        return jdbc.sql(SELECT + " WHERE i.inspector = :me AND i.status = 'SCHEDULED' AND i.scheduled_on <= :day AND " + s.sql()
                        + " ORDER BY i.scheduled_on, i.id LIMIT 200")
                .param("me", user.username()).param("day", day).params(s.params()).query(Inspections::map).list();
    }

    List<Inspection> recent(CurrentUser user, int limit) {
        Scope.Clause s = scope.of("i", user);
        return jdbc.sql(SELECT + " WHERE " + s.sql() + " ORDER BY i.scheduled_on DESC, i.id DESC LIMIT :n")
                .param("n", limit).params(s.params()).query(Inspections::map).list();
    }

    List<Inspection> forOutfall(long outfallId, CurrentUser user) {
        Scope.Clause s = scope.of("i", user);
        return jdbc.sql(SELECT + " WHERE i.outfall_id = :o AND " + s.sql() + " ORDER BY i.scheduled_on DESC, i.id DESC")
                .param("o", outfallId).params(s.params()).query(Inspections::map).list();
    }

    List<Finding> findings(long inspectionId) {
        return jdbc.sql("SELECT id, inspection_id, item, description, legal_basis, serious FROM inspection_finding WHERE inspection_id = ? ORDER BY id")
                .param(inspectionId)
                .query((rs, i) -> new Finding(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getBoolean(6))).list();
    }

    /** The checklist for the inspection's outfall. */
    List<Checklist> checklist(Outfall o) {
        return types.find(o.typeCode()).map(Checklist::forType).orElse(List.of(Checklist.values()));
    }

    // ---- completing the record ----------------------------------------------------------------------------------

    /**
     * Completes the inspection: every checklist item answered, a failed item explained, coordinates on site, each
     * finding with its legal basis, requirement and deadline, both signatures. Each finding becomes a rectification
     * order to the outfall's lead party; a serious one also opens an enforcement case record.
     */
    @Transactional
    Inspection complete(long id, CompleteInput in, CurrentUser user) {
        Campaigns.requireFieldStaff(user);
        Inspection i = find(id, user);
        if (!i.inspector().equals(user.username()) && !user.canEditLedger()) {
            throw new ForbiddenException("only the assigned inspector completes this inspection");
        }
        if (i.completed()) {
            throw new InvalidInputException(FieldProblem.of("status", i.status(), "检查记录已完成，不能修改", "the inspection is completed and cannot change"));
        }
        Outfall o = ledger.find(i.outfallId(), user);
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, String> answers = in.checklist() == null ? Map.of() : in.checklist();
        Map<String, String> notes = in.notes() == null ? Map.of() : in.notes();
        Map<String, Object> record = new LinkedHashMap<>();
        List<Map<String, String>> items = new ArrayList<>();
        for (Checklist item : checklist(o)) {
            String a = answers.get(item.name());
            Checklist.Result r = null;
            try {
                r = a == null ? null : Checklist.Result.valueOf(a);
            } catch (IllegalArgumentException e) {
                // reported below
            }
            String note = notes.getOrDefault(item.name(), "").trim();
            if (r == null) {
                problems.add(FieldProblem.of("checklist." + item.name(), a, "请检查并选择：" + item.zh(), "check and answer: " + item.en()));
            } else if (r == Checklist.Result.FAIL && note.isEmpty()) {
                problems.add(FieldProblem.of("notes." + item.name(), null, "不合格项须说明情况：" + item.zh(),
                        "describe what is wrong: " + item.en()));
            }
            items.add(Map.of("item", item.name(), "result", r == null ? "" : r.name(), "note", note));
        }
        if (in.longitude() == null || in.latitude() == null) {
            problems.add(FieldProblem.of("longitude", null, "须记录现场坐标（可用手机定位）", "record the coordinates on site (the phone can locate you)"));
        } else if (in.longitude() < 73.4 || in.longitude() > 135.1 || in.latitude() < 3.8 || in.latitude() > 53.6) {
            problems.add(FieldProblem.of("longitude", in.longitude() + "," + in.latitude(), "坐标超出中国范围", "coordinates outside China"));
        }
        List<FindingInput> findings = in.findings() == null ? List.of() : in.findings().stream()
                .filter(f -> f != null && !(Campaigns.blank(f.description()) && Campaigns.blank(f.legalBasis())
                        && Campaigns.blank(f.requirement()))).toList();
        LocalDate today = LocalDate.now(Remediation.CHINA);
        List<LocalDate> deadlines = new ArrayList<>();
        List<Integer> deadlineDays = new ArrayList<>();
        for (int k = 0; k < findings.size(); k++) {
            FindingInput f = findings.get(k);
            String p = "findings[" + k + "].";
            // A date wins; without one the deadline is counted in working days from today (WorkingDays).
            Integer days = f.deadline() != null ? null : f.workingDays() != null ? f.workingDays() : workingDays.orderDays;
            LocalDate deadline = f.deadline();
            if (days != null) {
                try {
                    deadline = workingDays.after(today, days, p + (f.workingDays() != null ? "workingDays" : "deadline"));
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            } else if (deadline.isBefore(today)) {
                problems.add(FieldProblem.of(p + "deadline", f.deadline(), "整改期限不能早于今天", "the deadline cannot be before today"));
            }
            deadlines.add(deadline);
            deadlineDays.add(days);
            if (Campaigns.blank(f.description())) {
                problems.add(FieldProblem.of(p + "description", null, "须描述问题", "describe the problem"));
            }
            if (Campaigns.blank(f.legalBasis())) {
                problems.add(FieldProblem.of(p + "legalBasis", null, "须写明法律依据（如《入河排污口监督管理办法》条款）",
                        "state the legal basis (e.g. the article of the Measures)"));
            }
            if (Campaigns.blank(f.requirement())) {
                problems.add(FieldProblem.of(p + "requirement", null, "须写明整改要求", "state what must be rectified"));
            }
        }
        boolean anyFail = items.stream().anyMatch(m -> "FAIL".equals(m.get("result")));
        if (anyFail && findings.isEmpty()) {
            problems.add(FieldProblem.of("findings", null, "有不合格项时须填写发现的问题并下达整改要求",
                    "a failed item needs a finding with its rectification requirement"));
        }
        Long party = Campaigns.leadParty(o);
        if (!findings.isEmpty() && party == null) {
            problems.add(FieldProblem.of("findings", null, "该排污口尚无责任主体，无法下达整改通知（先溯源）",
                    "the outfall has no responsible party to send an order to (trace it first)"));
        }
        if (Campaigns.blank(in.inspectorName())) {
            problems.add(FieldProblem.of("inspectorName", null, "检查人员须签名（输入姓名）", "the inspector signs (type the name)"));
        }
        if (Campaigns.blank(in.partyRepresentative())) {
            problems.add(FieldProblem.of("partyRepresentative", null, "责任主体现场代表须签名（输入姓名；拒签时写明“拒签”及见证人）",
                    "the party's representative signs (type the name; if they refuse, write so and name a witness)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        record.put("inspection", id);
        record.put("outfall", o.nationalCode());
        record.put("checklist", items);
        record.put("longitude", in.longitude());
        record.put("latitude", in.latitude());
        record.put("samples", trim(in.samples()));
        record.put("summary", trim(in.summary()));
        List<FindingInput> signed = new ArrayList<>();
        for (int k = 0; k < findings.size(); k++) { // what both sign: the deadline as computed
            FindingInput f = findings.get(k);
            signed.add(new FindingInput(f.item(), f.description(), f.legalBasis(), f.serious(), f.requirement(), deadlines.get(k),
                    deadlineDays.get(k)));
        }
        record.put("findings", signed);
        record.put("photos", files.list(FILES, id).stream().map(StoredFiles.StoredFile::sha256).toList());
        String hash = sha256(json.writeValueAsString(record));
        String inspectorSig = json.writeValueAsString(Map.of("name", in.inspectorName().trim(), "username", user.username(),
                "signedAt", now.toString(), "hash", hash));
        String partySig = json.writeValueAsString(Map.of("name", in.partyRepresentative().trim(), "signedAt", now.toString(),
                "hash", hash));
        jdbc.sql("""
                UPDATE inspection SET status = 'COMPLETED', checklist = ?::jsonb, longitude = ?, latitude = ?, samples = ?,
                    summary = ?, inspector_signature = ?::jsonb, party_signature = ?::jsonb, content_hash = ?, completed_at = ?
                WHERE id = ? AND status = 'SCHEDULED'""")
                .params(json.writeValueAsString(items), in.longitude(), in.latitude(), trim(in.samples()), trim(in.summary()),
                        inspectorSig, partySig, hash, java.sql.Timestamp.from(now), id)
                .update();
        for (int k = 0; k < findings.size(); k++) {
            FindingInput f = findings.get(k);
            boolean serious = Boolean.TRUE.equals(f.serious());
            long findingId = jdbc.sql("""
                    INSERT INTO inspection_finding (inspection_id, item, description, legal_basis, serious)
                    VALUES (?, ?, ?, ?, ?) RETURNING id""")
                    .params(id, Campaigns.blank(f.item()) ? "OTHER" : f.item().trim(), f.description().trim(),
                            f.legalBasis().trim(), serious)
                    .query(Long.class).single();
            long orderId = jdbc.sql("""
                    INSERT INTO rectification_order (finding_id, inspection_id, outfall_id, region_code, water_body_id,
                        party_id, requirement, deadline, deadline_working_days, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                    .params(findingId, id, o.id(), o.regionCode(), o.waterBodyId(), party, f.requirement().trim(),
                            deadlines.get(k), deadlineDays.get(k), user.username())
                    .query(Long.class).single();
            audit.record(user, "CREATE", "rectification_order", String.valueOf(orderId), f.description().trim(), null,
                    order(orderId, user));
            if (serious) {
                long caseId = jdbc.sql("""
                        INSERT INTO enforcement_case (finding_id, outfall_id, region_code, water_body_id, party_id, basis, opened_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                        .params(findingId, o.id(), o.regionCode(), o.waterBodyId(), party, ENFORCEMENT_BASIS, user.username())
                        .query(Long.class).single();
                audit.record(user, "OPEN_CASE", "enforcement_case", String.valueOf(caseId), ENFORCEMENT_BASIS, null,
                        Map.of("finding", findingId, "outfall", o.id()));
            }
        }
        Inspection after = find(id, user);
        audit.record(user, "COMPLETE", "inspection", String.valueOf(id), null, i, after);
        return after;
    }

    /** The inspection dashboard's figures for the caller's jurisdiction. */
    record Stats(long scheduled, long overdue, long completed, long completedThisQuarter, long findings, long serious,
                 long ordersOpen, long ordersOverdue, long ordersClosed, long ordersClosedOnTime) {
        /** Orders closed by their deadline ÷ orders due (closed, or open past the deadline), in percent; null when none. */
        public Double onTimeRate() {
            long due = ordersClosed + ordersOverdue;
            return due == 0 ? null : Math.round(1000.0 * ordersClosedOnTime / due) / 10.0;
        }
    }

    Stats stats(CurrentUser user, LocalDate today) {
        LocalDate quarter = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
        Scope.Clause si = scope.of("i", user);
        long[] i = jdbc.sql("""
                SELECT count(*) FILTER (WHERE i.status = 'SCHEDULED'),
                       count(*) FILTER (WHERE i.status = 'SCHEDULED' AND i.scheduled_on < :today),
                       count(*) FILTER (WHERE i.status = 'COMPLETED'),
                       count(*) FILTER (WHERE i.status = 'COMPLETED' AND (i.completed_at AT TIME ZONE 'Asia/Shanghai')::date >= :quarter),
                       (SELECT count(*) FROM inspection_finding f JOIN inspection x ON x.id = f.inspection_id WHERE x.id IN
                           (SELECT i2.id FROM inspection i2 WHERE """ + si.sql().replace("i.", "i2.") + """
                       )),
                       (SELECT count(*) FROM inspection_finding f JOIN inspection x ON x.id = f.inspection_id WHERE f.serious AND x.id IN
                           (SELECT i2.id FROM inspection i2 WHERE """ + si.sql().replace("i.", "i2.") + """
                       ))
                FROM inspection i WHERE """ + si.sql())
                .param("today", today).param("quarter", quarter).params(si.params())
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)})
                .single();
        Scope.Clause so = scope.of("r", user);
        long[] o = jdbc.sql("""
                SELECT count(*) FILTER (WHERE r.status <> 'CLOSED'),
                       count(*) FILTER (WHERE r.status <> 'CLOSED' AND r.deadline < :today),
                       count(*) FILTER (WHERE r.status = 'CLOSED'),
                       count(*) FILTER (WHERE r.status = 'CLOSED' AND (r.responded_at AT TIME ZONE 'Asia/Shanghai')::date <= r.deadline)
                FROM rectification_order r WHERE """ + so.sql())
                .param("today", today).params(so.params())
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).single();
        return new Stats(i[0], i[1], i[2], i[3], i[4], i[5], o[0], o[1], o[2], o[3]);
    }

    // ---- rectification orders -----------------------------------------------------------------------------------

    Order order(long id, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(ORDER + " WHERE r.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(Inspections::order).optional().orElseThrow(() -> new NotFoundException("rectification order " + id));
    }

    List<Order> openOrders(CurrentUser user, int limit) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(ORDER + " WHERE r.status <> 'CLOSED' AND " + s.sql() + " ORDER BY r.deadline, r.id LIMIT :n")
                .param("n", limit).params(s.params()).query(Inspections::order).list();
    }

    List<Order> ordersOf(long inspectionId, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        return jdbc.sql(ORDER + " WHERE r.inspection_id = :i AND " + s.sql() + " ORDER BY r.id")
                .param("i", inspectionId).params(s.params()).query(Inspections::order).list();
    }

    List<EnforcementCase> cases(long inspectionId, CurrentUser user) {
        Scope.Clause s = scope.of("c", user);
        return jdbc.sql("""
                SELECT c.id, c.finding_id, c.outfall_id, c.basis, c.status, c.opened_by, c.opened_at
                FROM enforcement_case c JOIN inspection_finding f ON f.id = c.finding_id
                WHERE f.inspection_id = :i AND """ + s.sql() + " ORDER BY c.id")
                .param("i", inspectionId).params(s.params())
                .query((rs, k) -> new EnforcementCase(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant())).list();
    }

    /** The party answers the order: what it did, with at least one evidence file attached before. */
    @Transactional
    Order respond(long id, String response, CurrentUser user) {
        Order o = order(id, user);
        if (user.jurisdiction().scope() != Jurisdiction.Scope.PARTY || user.organizationId() != o.partyId()) {
            throw new ForbiddenException("only the party the order is addressed to responds");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if ("CLOSED".equals(o.status())) {
            problems.add(FieldProblem.of("status", o.status(), "整改通知已关闭", "the order is closed"));
        }
        Evidence.checkReport(files, ORDER_FILES, id, "response", response, "须说明整改情况", "describe what was rectified", problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        LocalDate reviewDue = workingDays.dueOrNull(LocalDate.now(Remediation.CHINA), workingDays.reviewDays, "rectification order " + id);
        jdbc.sql("""
                UPDATE rectification_order SET status = 'RESPONDED', response = ?, responded_by = ?, responded_at = now(),
                    review_due_on = ? WHERE id = ?""")
                .params(response.trim(), user.username(), reviewDue, id).update();
        Order after = order(id, user);
        audit.record(user, "RESPOND", "rectification_order", String.valueOf(id), null, o, after);
        return after;
    }

    /** The regulator or inspector reviews the response: closed when the evidence shows the problem fixed, else reopened. */
    @Transactional
    Order review(long id, boolean accept, String note, CurrentUser user) {
        Campaigns.requireFieldStaff(user);
        Order o = order(id, user);
        if (!"RESPONDED".equals(o.status())) {
            throw new InvalidInputException(FieldProblem.of("status", o.status(), "只能审核已回复的整改通知", "only a responded order can be reviewed"));
        }
        Evidence.requireReason(accept, note, "reviewNote");
        if (accept) {
            jdbc.sql("UPDATE rectification_order SET status = 'CLOSED', closed_by = ?, closed_at = now(), review_note = ? WHERE id = ?")
                    .params(user.username(), trim(note), id).update();
        } else {
            jdbc.sql("UPDATE rectification_order SET status = 'OPEN', review_note = ? WHERE id = ?").params(note.trim(), id).update();
        }
        Order after = order(id, user);
        audit.record(user, accept ? "CLOSE" : "REOPEN", "rectification_order", String.valueOf(id), note, o, after);
        return after;
    }

    // ---- mapping ------------------------------------------------------------------------------------------------

    private static final String SELECT = """
            SELECT i.id, i.plan_id, i.outfall_id, i.region_code, i.origin, i.origin_ref, i.inspector, i.scheduled_on, i.status,
                   i.checklist::text, i.longitude, i.latitude, i.samples, i.summary, i.inspector_signature::text,
                   i.party_signature::text, i.content_hash, i.completed_at
            FROM inspection i""";

    private static Inspection map(ResultSet rs, int i) throws SQLException {
        return new Inspection(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3), rs.getString(4), Origin.valueOf(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getObject(8, LocalDate.class), rs.getString(9), rs.getString(10),
                Campaigns.dbl(rs, 11), Campaigns.dbl(rs, 12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getString(16), rs.getString(17), Campaigns.instant(rs, 18));
    }

    private static final String ORDER = """
            SELECT r.id, r.finding_id, r.inspection_id, r.outfall_id, r.region_code, r.party_id, r.requirement, r.deadline,
                   r.status, r.response, r.responded_by, r.responded_at, r.closed_by, r.closed_at, r.review_note, r.created_at,
                   r.deadline_working_days, r.review_due_on, r.escalated_at, r.created_by
            FROM rectification_order r""";

    private static Order order(ResultSet rs, int i) throws SQLException {
        return new Order(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getLong(6),
                rs.getString(7), rs.getObject(8, LocalDate.class), rs.getString(9), rs.getString(10), rs.getString(11),
                Campaigns.instant(rs, 12), rs.getString(13), Campaigns.instant(rs, 14), rs.getString(15),
                rs.getTimestamp(16).toInstant(), (Integer) rs.getObject(17), rs.getObject(18, LocalDate.class),
                Campaigns.instant(rs, 19), rs.getString(20));
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
