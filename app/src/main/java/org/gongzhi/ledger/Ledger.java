package org.gongzhi.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ledger's public API: find, search, create and change outfalls, each change kept as a version with who,
 * when and why, and recorded in the audit log. Every call is scoped to the caller's jurisdiction.
 */
@Service
public class Ledger {

    /** China's extent (including the South China Sea islands), to catch swapped or mistyped coordinates. */
    static final double MIN_LON = 73.4, MAX_LON = 135.1, MIN_LAT = 3.8, MAX_LAT = 53.6;

    private final OutfallRepository repository;
    private final OutfallTypes types;
    private final NationalCodeRule codeRule;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final AuditLog audit;

    Ledger(OutfallRepository repository, OutfallTypes types, NationalCodeRule codeRule, Regions regions,
           WaterBodies waterBodies, Organizations organizations, AuditLog audit) {
        this.repository = repository;
        this.types = types;
        this.codeRule = codeRule;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.audit = audit;
    }

    /** One change in the timeline of an outfall: which version, when, by whom, why, and which fields changed. */
    public record Change(int version, Instant at, String by, String reason, List<String> fields, Outfall snapshot) {
    }

    public Outfall find(long id, CurrentUser user) {
        return repository.find(id, user.jurisdiction()).orElseThrow(() -> new NotFoundException("outfall " + id));
    }

    public Outfall findAsOf(long id, Instant at, CurrentUser user) {
        return repository.asOf(id, at, user.jurisdiction())
                .orElseThrow(() -> new NotFoundException("outfall " + id + " as of " + at));
    }

    public LedgerPage<Outfall> search(LedgerQuery query, CurrentUser user) {
        return repository.search(query, user.jurisdiction());
    }

    public void forEach(LedgerQuery query, CurrentUser user, Consumer<Outfall> sink) {
        repository.forEach(query, user.jurisdiction(), sink);
    }

    public List<Change> history(long id, CurrentUser user) {
        find(id, user);
        List<Change> changes = new ArrayList<>();
        Outfall previous = null;
        for (OutfallRepository.Version v : repository.versions(id)) {
            changes.add(new Change(v.version(), v.validFrom(), v.changedBy(), v.reason(),
                    changedFields(previous, v.snapshot()), v.snapshot()));
            previous = v.snapshot();
        }
        return changes;
    }

    @Transactional
    public Outfall create(OutfallDraft input, String reason, CurrentUser user) {
        requireEditor(user);
        OutfallDraft draft = input.normalized();
        List<FieldProblem> problems = validate(draft, null, user);
        if (draft.nationalCode() != null && !draft.nationalCode().isBlank()
                && repository.nationalCodeExists(draft.nationalCode().trim())) {
            problems.add(FieldProblem.of("nationalCode", draft.nationalCode(), "该排污口编码已被使用（编码不可重复使用，包括已注销的）",
                    "this code is already used (codes are never reused, even after cancellation)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        OutfallType type = types.find(draft.typeCode()).orElseThrow();
        String code = blank(draft.nationalCode()) ? issueCode(draft.regionCode(), type) : draft.nationalCode();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Outfall o = build(0, code, draft, type, 1, now, now, user);
        long id = repository.insert(o);
        Outfall created = repository.find(id, Jurisdiction.national()).orElseThrow();
        repository.appendVersion(created, reason);
        audit.record(user, "CREATE", "outfall", String.valueOf(id), reason, null, created);
        return created;
    }

    /**
     * Changes an outfall if it is still at {@code expectedVersion}. The national code cannot change: it identifies
     * the outfall for life. A draft equal to the stored outfall changes nothing and writes no version.
     */
    @Transactional
    public Outfall update(long id, OutfallDraft input, int expectedVersion, String reason, CurrentUser user) {
        requireEditor(user);
        OutfallDraft draft = input.normalized();
        Outfall before = find(id, user);
        if (before.version() != expectedVersion) {
            throw new InvalidInputException(FieldProblem.of("version", expectedVersion,
                    "该排污口已被他人修改（当前版本 " + before.version() + "），请刷新后重试",
                    "someone else changed this outfall (now version " + before.version() + "); reload and try again"));
        }
        List<FieldProblem> problems = validate(draft, before, user);
        if (!blank(draft.nationalCode()) && !draft.nationalCode().trim().equals(before.nationalCode())) {
            problems.add(FieldProblem.of("nationalCode", draft.nationalCode(), "排污口编码一经赋予不可更改",
                    "the national code of an outfall cannot change"));
        }
        if (blank(reason)) {
            problems.add(FieldProblem.of("reason", reason, "修改须填写原因", "a reason for the change is required"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (unchanged(before, draft)) {
            return before;
        }
        OutfallType type = types.find(draft.typeCode()).orElseThrow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Outfall after = build(id, before.nationalCode(), draft, type, before.version() + 1, before.createdAt(), now, user);
        if (!repository.update(after, expectedVersion)) {
            throw new InvalidInputException(FieldProblem.of("version", expectedVersion, "该排污口已被他人修改，请刷新后重试",
                    "someone else changed this outfall; reload and try again"));
        }
        Outfall stored = repository.find(id, Jurisdiction.national()).orElseThrow();
        repository.appendVersion(stored, reason);
        audit.record(user, "UPDATE", "outfall", String.valueOf(id), reason, before, stored);
        return stored;
    }

    /**
     * Creates many outfalls at once for an import: the caller has validated every draft (with {@link #validate})
     * and checked that supplied national codes are unused, and runs this inside its transaction. Writes the outfall,
     * outfall_party and first outfall_version rows in batches, but no audit entry: the caller records one entry
     * for the whole import (who, which file, why, how many). National codes are issued in blocks per sequence key.
     */
    List<Outfall> createAll(List<OutfallDraft> input, String reason, CurrentUser user) {
        requireEditor(user);
        if (input.isEmpty()) {
            return List.of();
        }
        List<OutfallDraft> drafts = input.stream().map(OutfallDraft::normalized).toList();
        Map<Long, Organization> orgs = organizations.byIds(drafts.stream()
                .flatMap(d -> d.parties().stream()).map(OutfallDraft.PartyRef::organizationId).distinct().toList());
        // Issue the missing codes, one block of sequence numbers per key; skip numbers already taken by codes
        // imported from elsewhere, or supplied in this same batch.
        Set<String> supplied = new HashSet<>();
        Map<String, List<Integer>> needing = new java.util.LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            OutfallDraft d = drafts.get(i);
            if (blank(d.nationalCode())) {
                needing.computeIfAbsent(codeRule.sequenceKey(d.regionCode(), types.find(d.typeCode()).orElseThrow()),
                        k -> new ArrayList<>()).add(i);
            } else {
                supplied.add(d.nationalCode());
            }
        }
        String[] codes = new String[drafts.size()];
        Map<String, java.util.ArrayDeque<Integer>> waiting = new java.util.LinkedHashMap<>();
        needing.forEach((key, rows) -> waiting.put(key, new java.util.ArrayDeque<>(rows)));
        while (!waiting.isEmpty()) {
            // one block of numbers per key, then one query for all candidates of this round
            Map<String, String> candidates = new java.util.LinkedHashMap<>(); // code -> key
            Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
            waiting.forEach((key, rows) -> wanted.put(key, rows.size()));
            Map<String, Integer> lasts = repository.reserveSequences(wanted);
            for (var e : wanted.entrySet()) {
                int n = e.getValue();
                int last = lasts.get(e.getKey());
                for (int k = last - n + 1; k <= last; k++) {
                    candidates.put(codeRule.format(e.getKey(), k), e.getKey());
                }
            }
            Set<String> taken = repository.existingNationalCodes(candidates.keySet());
            for (var c : candidates.entrySet()) {
                if (!taken.contains(c.getKey()) && !supplied.contains(c.getKey())) {
                    codes[waiting.get(c.getValue()).poll()] = c.getKey();
                }
            }
            waiting.values().removeIf(java.util.ArrayDeque::isEmpty);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Outfall> outfalls = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            OutfallDraft d = drafts.get(i);
            OutfallType type = types.find(d.typeCode()).orElseThrow();
            outfalls.add(build(0, codes[i] == null ? d.nationalCode() : codes[i], d, type, 1, now, now, user, orgs));
        }
        return repository.insertAll(outfalls, reason);
    }

    /** Whether a draft would change nothing about an outfall (re-imports use this to be idempotent). */
    boolean unchanged(Outfall existing, OutfallDraft draft) {
        return OutfallDraft.of(existing).normalized().equals(withCode(draft.normalized(), existing.nationalCode()));
    }

    /** The outfall with this national code, if the caller may see it (public pages pass {@link CurrentUser#system()}). */
    public Optional<Outfall> findByNationalCode(String code, CurrentUser user) {
        return repository.findByNationalCode(code).filter(o -> repository.find(o.id(), user.jurisdiction()).isPresent());
    }

    Optional<Outfall> findForImport(String regionCode, String localCode, String name) {
        return repository.findByLocalCodeOrName(regionCode, localCode, name);
    }

    private static OutfallDraft withCode(OutfallDraft d, String code) {
        return new OutfallDraft(code, d.localCode(), d.name(), d.typeCode(),
                d.lifecycle(), d.regionCode(), d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(),
                d.dischargePattern(), d.designCapacity(), d.parties(), d.samplingPoints(), d.inspectionWells(),
                d.signboard());
    }

    private String issueCode(String regionCode, OutfallType type) {
        String key = codeRule.sequenceKey(regionCode, type);
        String code;
        do {
            code = codeRule.format(key, repository.nextSequence(key));
        } while (repository.nationalCodeExists(code)); // a code imported from elsewhere may already hold this number
        return code;
    }

    private Outfall build(long id, String code, OutfallDraft d, OutfallType type, int version, Instant created,
                          Instant now, CurrentUser user) {
        Map<Long, Organization> orgs = organizations.byIds(d.parties().stream().map(OutfallDraft.PartyRef::organizationId).toList());
        return build(id, code, d, type, version, created, now, user, orgs);
    }

    private Outfall build(long id, String code, OutfallDraft d, OutfallType type, int version, Instant created,
                          Instant now, CurrentUser user, Map<Long, Organization> orgs) {
        List<Outfall.Party> parties = d.parties().stream().map(p -> {
            Organization org = orgs.get(p.organizationId());
            boolean lead = p.lead() || d.parties().size() == 1;
            return new Outfall.Party(p.organizationId(), org.name(), org.uscc(), lead, p.sharePercent());
        }).toList();
        return new Outfall(id, code, blankToNull(d.localCode()), d.name().trim(), type.code(), type.regime(),
                d.lifecycle(), d.regionCode(), d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(),
                d.dischargePattern(), d.designCapacity(), parties, d.samplingPoints(), d.inspectionWells(),
                d.signboard(), version, created, now, user.username());
    }

    private static void requireEditor(CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot change the ledger");
        }
    }

    /**
     * Where {@link #validate} looks up water bodies and organizations. The default asks the database; an import
     * passes caches, so that validating half a million rows makes no round trip per row.
     */
    interface Lookups {
        Optional<WaterBody> waterBody(long id);

        Map<Long, Organization> organizations(java.util.Collection<Long> ids);
    }

    private final Lookups databaseLookups = new Lookups() {
        @Override
        public Optional<WaterBody> waterBody(long id) {
            return waterBodies.find(id);
        }

        @Override
        public Map<Long, Organization> organizations(java.util.Collection<Long> ids) {
            return organizations.byIds(ids);
        }
    };

    /** Every problem with a draft at once, so a form or an import row can show them all. */
    List<FieldProblem> validate(OutfallDraft d, Outfall before, CurrentUser user) {
        return validate(d, before, user, databaseLookups);
    }

    /** {@link #validate(OutfallDraft, Outfall, CurrentUser)} with the given lookups (imports pass caches). */
    List<FieldProblem> validate(OutfallDraft d, Outfall before, CurrentUser user, Lookups lookups) {
        List<FieldProblem> problems = new ArrayList<>();
        if (blank(d.name())) {
            problems.add(FieldProblem.of("name", d.name(), "排污口名称必填", "name is required"));
        } else if (d.name().trim().length() > 200) {
            problems.add(FieldProblem.of("name", d.name(), "名称不超过200字", "name is at most 200 characters"));
        }
        if (!blank(d.nationalCode()) && before == null) {
            codeRule.check("nationalCode", d.nationalCode().trim()).ifPresent(problems::add);
        }
        if (d.localCode() != null && d.localCode().length() > 64) {
            problems.add(FieldProblem.of("localCode", d.localCode(), "地方编码不超过64位", "local code is at most 64 characters"));
        }
        if (types.find(d.typeCode()).isEmpty()) {
            problems.add(FieldProblem.of("typeCode", d.typeCode(), "不是HJ 1312规定的排污口类型", "not an HJ 1312 outfall type"));
        }
        if (d.lifecycle() == null) {
            problems.add(FieldProblem.of("lifecycle", null, "状态必填", "lifecycle state is required"));
        } else if (before != null && !before.lifecycle().canMoveTo(d.lifecycle())) {
            problems.add(FieldProblem.of("lifecycle", d.lifecycle(),
                    "不能从“" + before.lifecycle().zh() + "”变为“" + d.lifecycle().zh() + "”",
                    "cannot move from " + before.lifecycle() + " to " + d.lifecycle()));
        }
        regions.checkOutfallRegion("regionCode", d.regionCode()).ifPresentOrElse(problems::add, () -> {
            Jurisdiction j = user.jurisdiction();
            if (j.scope() == Jurisdiction.Scope.REGION && !j.coversRegion(d.regionCode())) {
                problems.add(FieldProblem.of("regionCode", d.regionCode(), "该行政区不在您的辖区内",
                        "this region is outside your jurisdiction"));
            }
        });
        if (d.waterBodyId() != null) {
            Optional<WaterBody> wb = lookups.waterBody(d.waterBodyId());
            if (wb.isEmpty()) {
                problems.add(FieldProblem.of("waterBodyId", d.waterBodyId(), "受纳水体不存在", "no such water body"));
            } else if (user.jurisdiction().scope() == Jurisdiction.Scope.BASIN && wb.get().basin() != user.jurisdiction().basin()) {
                problems.add(FieldProblem.of("waterBodyId", d.waterBodyId(), "该水体不在本流域", "this water body is outside your basin"));
            }
        } else if (user.jurisdiction().scope() == Jurisdiction.Scope.BASIN) {
            problems.add(FieldProblem.of("waterBodyId", null, "流域局录入须指定受纳水体", "a basin bureau must name the receiving water body"));
        }
        checkCoordinates("", d.longitude(), d.latitude(), problems);
        if (d.designCapacity() != null && (d.designCapacity() < 0 || d.designCapacity() > 1e8)) {
            problems.add(FieldProblem.of("designCapacity", d.designCapacity(), "设计排放能力应在0到1亿立方米/日之间",
                    "design capacity must be between 0 and 100,000,000 m³/d"));
        }
        checkParties(d.parties(), problems, lookups);
        for (int i = 0; i < d.samplingPoints().size(); i++) {
            Outfall.SamplingPoint sp = d.samplingPoints().get(i);
            if (blank(sp.name())) {
                problems.add(FieldProblem.of("samplingPoints[" + i + "].name", null, "采样点名称必填", "sampling point name is required"));
            }
            checkCoordinates("samplingPoints[" + i + "].", sp.longitude(), sp.latitude(), problems);
        }
        for (int i = 0; i < d.inspectionWells().size(); i++) {
            Outfall.InspectionWell w = d.inspectionWells().get(i);
            if (blank(w.name())) {
                problems.add(FieldProblem.of("inspectionWells[" + i + "].name", null, "检查井名称必填", "inspection well name is required"));
            }
            checkCoordinates("inspectionWells[" + i + "].", w.longitude(), w.latitude(), problems);
        }
        return problems;
    }

    private void checkParties(List<OutfallDraft.PartyRef> parties, List<FieldProblem> problems, Lookups lookups) {
        Set<Long> seen = new HashSet<>();
        Map<Long, Organization> orgs = lookups.organizations(parties.stream().map(OutfallDraft.PartyRef::organizationId).toList());
        for (OutfallDraft.PartyRef p : parties) {
            Organization org = orgs.get(p.organizationId());
            if (org == null || org.kind() != Organization.Kind.PARTY) {
                problems.add(FieldProblem.of("parties", p.organizationId(), "责任主体不存在", "no such responsible party"));
            }
            if (!seen.add(p.organizationId())) {
                problems.add(FieldProblem.of("parties", p.organizationId(), "责任主体重复", "party listed twice"));
            }
            if (p.sharePercent() != null && (p.sharePercent() <= 0 || p.sharePercent() > 100)) {
                problems.add(FieldProblem.of("parties", p.sharePercent(), "分担比例应在0–100%之间", "share must be between 0 and 100%"));
            }
        }
        if (parties.size() > 1) {
            long leads = parties.stream().filter(OutfallDraft.PartyRef::lead).count();
            if (leads != 1) {
                problems.add(FieldProblem.of("parties", leads, "多个责任主体共用排污口时须指定且仅指定一个牵头责任主体（办法第十六条）",
                        "a shared outfall needs exactly one lead party (Art 16)"));
            }
            if (parties.stream().allMatch(p -> p.sharePercent() != null)) {
                double sum = parties.stream().mapToDouble(OutfallDraft.PartyRef::sharePercent).sum();
                if (Math.abs(sum - 100) > 0.01) {
                    problems.add(FieldProblem.of("parties", sum, "各责任主体分担比例之和应为100%", "party shares must add up to 100%"));
                }
            }
        }
    }

    static void checkCoordinates(String prefix, Double lon, Double lat, List<FieldProblem> problems) {
        if ((lon == null) != (lat == null)) {
            problems.add(FieldProblem.of(prefix + (lon == null ? "longitude" : "latitude"), null,
                    "经度和纬度须同时填写", "longitude and latitude go together"));
            return;
        }
        if (lon == null) {
            return;
        }
        if (lon < MIN_LON || lon > MAX_LON) {
            problems.add(FieldProblem.of(prefix + "longitude", lon, "经度超出中国范围（73.4–135.1），是否与纬度填反？",
                    "longitude outside China (73.4 to 135.1); swapped with latitude?"));
        }
        if (lat < MIN_LAT || lat > MAX_LAT) {
            problems.add(FieldProblem.of(prefix + "latitude", lat, "纬度超出中国范围（3.8–53.6）",
                    "latitude outside China (3.8 to 53.6)"));
        }
    }

    static List<String> changedFields(Outfall a, Outfall b) {
        if (a == null) {
            return List.of();
        }
        List<String> fields = new ArrayList<>();
        var components = Outfall.class.getRecordComponents();
        for (var c : components) {
            String n = c.getName();
            if (Set.of("version", "updatedAt", "updatedBy", "createdAt").contains(n)) {
                continue;
            }
            try {
                if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    fields.add(n);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return fields;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s.trim();
    }
}
