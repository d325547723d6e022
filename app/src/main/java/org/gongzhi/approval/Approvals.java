package org.gongzhi.approval;

import static org.gongzhi.approval.ApprovalCases.cols;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gongzhi.calendar.WorkingCalendar;
import org.gongzhi.ledger.DischargeMode;
import org.gongzhi.ledger.DischargePattern;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallDraft;
import org.gongzhi.ledger.OutfallType;
import org.gongzhi.ledger.OutfallTypes;
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
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The approval and registration procedures and their clocks.
 *
 * <ul>
 * <li>Receipt starts the completeness check: within {@code completeness-days} (5) working days the bureau accepts
 * (受理, case number and receipt) or sends <em>one</em> notice listing everything to supplement (补正); with no notice
 * in time the application counts as accepted from receipt (《行政许可法》 Art 32), which {@link #deemAcceptances}
 * records.</li>
 * <li>Acceptance starts the decision clock: {@code decision-days} (20) working days (Art 42; 办法 Art 13), stored as
 * a date. Expert review, hearing, site inspection and waiting for supplements are not counted (Art 45; 办法 Art 13):
 * each pause is an interval, and when it ends the stored deadline moves by the working days it covered. One
 * extension of {@code extension-days} (10) working days with its reason told to the applicant (Art 42).</li>
 * <li>Approval (准予设置决定书) puts the outfall in the ledger and publishes {@link ApprovalDecided}; refusal
 * (不予许可决定书) names reasons from the catalogue. Registration, change and cancellation are confirmed or returned.</li>
 * </ul>
 * Every transition is in the audit log with the case before and after.
 */
@Service
public class Approvals {

    private static final Logger log = LoggerFactory.getLogger(Approvals.class);
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final Pattern FACTOR = Pattern.compile("[a-z]\\d{5}");
    static final Set<String> PAUSE_REASONS = Set.of("EXPERT_REVIEW", "HEARING", "SITE_INSPECTION", "SUPPLEMENT");
    static final Set<String> MATERIAL_KINDS = Set.of("APPLICATION_FORM", "FULL_REPORT", "BRIEF_ANALYSIS", "PROJECT_BASIS",
            "REGISTRATION_FORM", "SUPPLEMENT", "OTHER");
    static final Set<String> STATISTICS = Set.of("INSTANT", "HOURLY_MEAN", "DAILY_MEAN", "MONTHLY_MEAN", "DAILY_MAX", "DAILY_MIN");

    private final ApprovalCases cases;
    private final AuthorityRouting routing;
    private final ApprovalDocuments documents;
    private final WorkingCalendar calendar;
    private final Ledger ledger;
    private final OutfallTypes types;
    private final Organizations organizations;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final TransactionTemplate newTx;
    private final Settings settings;
    private volatile Clock clock = Clock.system(CHINA);

    /** The configurable rules, with their documented defaults (docs/approval.md). */
    record Settings(int completenessDays, int decisionDays, int extensionDays, int registrationDays, int dueSoonDays,
                    List<String> fullReportIndustries, boolean fullReportForToxic, BigDecimal fullReportMinCapacity) {
    }

    Approvals(ApprovalCases cases, AuthorityRouting routing, ApprovalDocuments documents, WorkingCalendar calendar,
              Ledger ledger, OutfallTypes types, Organizations organizations, Regions regions, WaterBodies waterBodies,
              AuditLog audit, ApplicationEventPublisher events, TransactionTemplate tx,
              @Value("${gongzhi.approval.completeness-days:5}") int completenessDays,
              @Value("${gongzhi.approval.decision-days:20}") int decisionDays,
              @Value("${gongzhi.approval.extension-days:10}") int extensionDays,
              @Value("${gongzhi.approval.registration-days:20}") int registrationDays,
              @Value("${gongzhi.approval.due-soon-days:3}") int dueSoonDays,
              @Value("${gongzhi.approval.full-report.industries:造纸,焦化,氮肥,化工,印染,农副食品加工,制革,电镀,冶金,有色金属,原料药制造,农药}")
              List<String> industries,
              @Value("${gongzhi.approval.full-report.toxic:true}") boolean toxic,
              @Value("${gongzhi.approval.full-report.min-capacity-m3-per-day:1000}") BigDecimal minCapacity) {
        this.cases = cases;
        this.routing = routing;
        this.documents = documents;
        this.calendar = calendar;
        this.ledger = ledger;
        this.types = types;
        this.organizations = organizations;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.audit = audit;
        this.events = events;
        this.tx = tx;
        this.newTx = new TransactionTemplate(tx.getTransactionManager());
        this.newTx.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = new Settings(completenessDays, decisionDays, extensionDays, registrationDays, dueSoonDays,
                List.copyOf(industries), toxic, minCapacity);
    }

    Settings settings() {
        return settings;
    }

    /** For tests: the day the procedures take as today. */
    void clock(Clock clock) {
        this.clock = clock;
    }

    LocalDate today() {
        return LocalDate.now(clock);
    }

    // ================================================================== reads

    /** A case with everything on file, as its reader may see it. */
    public record CaseFile(ApprovalCase c, List<ApprovalCase.Pause> pauses, List<ApprovalCase.Material> materials,
                           List<ApprovalCase.Document> documents, List<String> missing, Clocks clocks,
                           boolean canAct, boolean canSupply) {
    }

    /** Where the running clock stands: which deadline, how many working days are left (negative: overdue). */
    public record Clocks(String running, LocalDate deadline, Integer workingDaysLeft, boolean overdue, boolean dueSoon,
                         int pausedDays) {
    }

    public ApprovalCase find(long id, CurrentUser user) {
        return cases.find(id, user.jurisdiction()).orElseThrow(() -> new NotFoundException("approval case " + id));
    }

    public CaseFile file(long id, CurrentUser user) {
        ApprovalCase c = find(id, user);
        List<ApprovalCase.Pause> pauses = cases.pauses(id);
        List<ApprovalCase.Material> materials = cases.materials(id);
        return new CaseFile(c, pauses, materials, cases.documents(id), missing(c, materials), clocks(c, pauses),
                isAuthority(user, c), isApplicant(user, c));
    }

    /** The cases a user sees: a bureau's own queue (by deadline) or, for a party, its applications. */
    public List<CaseFile> queue(CurrentUser user, boolean openOnly) {
        ApprovalCase.Authority mine = authorityOf(user);
        List<ApprovalCase> list = cases.list(user.jurisdiction(), mine, openOnly, 500);
        return list.stream().map(c -> new CaseFile(c, List.of(), List.of(), List.of(), List.of(),
                clocks(c, cases.pauses(c.id())), mine != null, isApplicant(user, c))).toList();
    }

    public List<CaseFile> list(CurrentUser user, boolean openOnly) {
        return cases.list(user.jurisdiction(), null, openOnly, 500).stream().map(c -> new CaseFile(c, List.of(), List.of(),
                List.of(), List.of(), clocks(c, cases.pauses(c.id())), isAuthority(user, c), isApplicant(user, c))).toList();
    }

    Clocks clocks(ApprovalCase c, List<ApprovalCase.Pause> pauses) {
        int paused = pauses.stream().map(ApprovalCase.Pause::pausedDays).filter(Objects::nonNull).mapToInt(i -> i).sum();
        String running;
        LocalDate deadline;
        switch (c.state()) {
            case SUBMITTED -> {
                running = c.kind() == ApprovalCase.Kind.APPROVAL ? "COMPLETENESS" : "PROCESSING";
                deadline = c.kind() == ApprovalCase.Kind.APPROVAL ? c.completenessDeadline() : c.decisionDeadline();
            }
            case ACCEPTED -> {
                running = "DECISION";
                deadline = c.decisionDeadline();
            }
            case PAUSED -> {
                running = "PAUSED";
                deadline = c.decisionDeadline();
            }
            case SUPPLEMENT_REQUESTED -> {
                running = "APPLICANT";
                deadline = null;
            }
            default -> {
                running = "NONE";
                deadline = c.decisionDeadline();
            }
        }
        Integer left = null;
        boolean overdue = false;
        boolean dueSoon = false;
        if (deadline != null && !"NONE".equals(running) && !"PAUSED".equals(running)) {
            try {
                left = calendar.workingDaysBetween(today(), deadline);
                overdue = today().isAfter(deadline);
                dueSoon = !overdue && left <= settings.dueSoonDays();
            } catch (InvalidInputException e) {
                left = null; // a year without its notice: the page shows the deadline without a count
            }
        }
        return new Clocks(running, deadline, left, overdue, dueSoon, paused);
    }

    /** The materials still missing before the case can be accepted (办法 Art 14; full report per Art 15). */
    List<String> missing(ApprovalCase c, List<ApprovalCase.Material> materials) {
        Set<String> have = materials.stream().map(ApprovalCase.Material::kind).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        switch (c.kind()) {
            case APPROVAL -> {
                if (c.needsFullReport() && !have.contains("FULL_REPORT")) {
                    missing.add("FULL_REPORT");
                } else if (!have.contains("FULL_REPORT") && !have.contains("BRIEF_ANALYSIS")) {
                    missing.add("BRIEF_ANALYSIS");
                }
                if (!have.contains("PROJECT_BASIS")) {
                    missing.add("PROJECT_BASIS");
                }
            }
            case REGISTRATION -> {
                if (!have.contains("REGISTRATION_FORM")) {
                    missing.add("REGISTRATION_FORM");
                }
            }
            default -> { }
        }
        return missing;
    }

    // ================================================================== application

    /** What an applicant (or staff entering a paper application) submits. */
    public record ApplicationInput(String kind, String settingType, Long applicantOrgId, LocalDate receivedOn,
                                   Long outfallId, String name, String typeCode, String regionCode, Long waterBodyId,
                                   Double longitude, Double latitude, String dischargeMode, String dischargePattern,
                                   String destination, BigDecimal designCapacity, String projectName,
                                   String projectBasis, String industry, Boolean toxicDischarge, String eiaLevel,
                                   List<ApprovalCase.Pollutant> pollutants, List<ApprovalCase.PartyShare> shares,
                                   String description) {
    }

    @Transactional
    public ApprovalCase apply(ApplicationInput in, CurrentUser user) {
        List<FieldProblem> problems = new ArrayList<>();
        ApprovalCase.Kind kind = parse(ApprovalCase.Kind.class, "kind", in.kind(), true, problems);
        boolean party = user.jurisdiction().scope() == Jurisdiction.Scope.PARTY;
        long applicant;
        boolean paper;
        LocalDate received = today();
        if (party) {
            applicant = user.jurisdiction().partyId();
            paper = false;
        } else {
            if (!user.canEditLedger()) {
                throw new ForbiddenException("only responsible parties and bureau staff submit applications");
            }
            paper = true; // staff enter what came on paper
            applicant = in.applicantOrgId() == null ? 0 : in.applicantOrgId();
            Organization org = applicant == 0 ? null : organizations.find(applicant).orElse(null);
            if (org == null || org.kind() != Organization.Kind.PARTY) {
                problems.add(FieldProblem.of("applicantOrgId", in.applicantOrgId(), "请选择申请单位（责任主体）",
                        "choose the applicant (a responsible party)"));
            }
            if (in.receivedOn() != null) {
                if (in.receivedOn().isAfter(received)) {
                    problems.add(FieldProblem.of("receivedOn", in.receivedOn(), "收件日期不能晚于今天",
                            "the date of receipt cannot be in the future"));
                } else {
                    received = in.receivedOn();
                }
            }
        }
        if (kind == null) {
            throw new InvalidInputException(problems);
        }
        ApprovalCase.SettingType setting = kind == ApprovalCase.Kind.APPROVAL
                ? parse(ApprovalCase.SettingType.class, "settingType", in.settingType(), true, problems) : null;

        // The outfall: as applied for, or taken from the ledger for a change of an existing one.
        Outfall existing = null;
        boolean needsExisting = kind == ApprovalCase.Kind.CHANGE || kind == ApprovalCase.Kind.CANCELLATION
                || setting == ApprovalCase.SettingType.MODIFY || setting == ApprovalCase.SettingType.EXPAND;
        if (needsExisting) {
            if (in.outfallId() == null) {
                problems.add(FieldProblem.of("outfallId", null, "请选择台账中的排污口", "choose the outfall in the ledger"));
            } else {
                try {
                    existing = ledger.find(in.outfallId(), user);
                } catch (NotFoundException e) {
                    problems.add(FieldProblem.of("outfallId", in.outfallId(), "台账中没有该排污口或不在您的范围内",
                            "no such outfall in the ledger within your reach"));
                }
            }
        } else if (in.outfallId() != null) {
            problems.add(FieldProblem.of("outfallId", in.outfallId(), "新设排污口或登记不应选择已有排污口",
                    "a new outfall or a registration does not refer to an existing one"));
        }
        if (existing != null && !party && !user.jurisdiction().coversRegion(existing.regionCode())
                && user.jurisdiction().scope() != Jurisdiction.Scope.BASIN) {
            problems.add(FieldProblem.of("outfallId", in.outfallId(), "排污口不在您的辖区内", "the outfall is outside your jurisdiction"));
        }
        if (existing != null && party && existing.parties().stream().noneMatch(p -> p.organizationId() == applicant)) {
            problems.add(FieldProblem.of("outfallId", in.outfallId(), "您不是该排污口的责任主体",
                    "you are not a responsible party of this outfall"));
        }

        ApprovalCase.Proposed proposed = proposed(in, existing, kind, problems);
        OutfallType type = proposed.typeCode() == null ? null : types.find(proposed.typeCode()).orElse(null);
        if (type != null && kind == ApprovalCase.Kind.APPROVAL && !type.requiresApproval()) {
            problems.add(FieldProblem.of("typeCode", proposed.typeCode(), "该类型排污口实行登记管理，请提交登记表",
                    "this type of outfall is registered, not approved: submit a registration"));
        }
        if (type != null && kind == ApprovalCase.Kind.REGISTRATION && type.requiresApproval()) {
            problems.add(FieldProblem.of("typeCode", proposed.typeCode(), "该类型排污口须经审批（办法：工矿企业、园区及城镇污水处理厂排污口）",
                    "this type of outfall needs an approval (industrial, park and municipal WWTP outfalls)"));
        }
        if (!party && proposed.regionCode() != null && user.jurisdiction().scope() == Jurisdiction.Scope.REGION
                && !user.jurisdiction().coversRegion(proposed.regionCode())) {
            problems.add(FieldProblem.of("regionCode", proposed.regionCode(), "不在您的辖区内", "outside your jurisdiction"));
        }

        String eiaLevel = blank(in.eiaLevel()) ? null : in.eiaLevel().trim();
        if (eiaLevel != null && !AuthorityRouting.EIA_LEVELS.contains(eiaLevel)) {
            problems.add(FieldProblem.of("eiaLevel", eiaLevel, "环评审批级别应为 BASIN_BUREAU、PROVINCE、CITY 或 COUNTY",
                    "the EIA approval level must be BASIN_BUREAU, PROVINCE, CITY or COUNTY"));
            eiaLevel = null;
        }
        if (kind == ApprovalCase.Kind.APPROVAL && blank(in.projectName())) {
            problems.add(FieldProblem.of("projectName", in.projectName(), "请填写建设项目名称", "give the project's name"));
        }
        List<ApprovalCase.Pollutant> pollutants = in.pollutants() == null ? List.of() : in.pollutants();
        for (int i = 0; i < pollutants.size(); i++) {
            ApprovalCase.Pollutant p = pollutants.get(i);
            if (p == null || p.factor() == null || !FACTOR.matcher(p.factor()).matches()) {
                problems.add(FieldProblem.of("pollutants[" + i + "].factor", p == null ? null : p.factor(),
                        "污染物应为 HJ 212 因子编码，如 w01018", "a pollutant is an HJ 212 factor code such as w01018"));
            }
            if (p != null && ((p.concentration() != null && p.concentration().signum() < 0)
                    || (p.tonsPerYear() != null && p.tonsPerYear().signum() < 0))) {
                problems.add(FieldProblem.of("pollutants[" + i + "]", p.factor(), "浓度和排放量不能为负", "amounts cannot be negative"));
            }
        }
        List<ApprovalCase.PartyShare> shares = in.shares() == null ? List.of() : in.shares();
        checkShares(shares, applicant, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }

        ApprovalCase.Application application = new ApprovalCase.Application(trim(in.projectName()), trim(in.projectBasis()),
                trim(in.industry()), Boolean.TRUE.equals(in.toxicDischarge()), eiaLevel, pollutants, shares,
                trim(in.description()));
        List<String> reasons = kind == ApprovalCase.Kind.APPROVAL ? fullReportReasons(application, proposed.designCapacity())
                : List.of();
        ApprovalCase.Authority authority = routing.route(proposed.regionCode(), proposed.waterBodyId(), eiaLevel);
        LocalDate completeness = kind == ApprovalCase.Kind.APPROVAL ? calendar.deadline(received, settings.completenessDays()) : null;
        LocalDate processing = kind == ApprovalCase.Kind.APPROVAL ? null : calendar.deadline(received, settings.registrationDays());
        Instant now = Instant.now();
        ApprovalCase draft = new ApprovalCase(0, kind, setting, ApprovalCase.State.SUBMITTED, null, applicant, null,
                user.username(), paper, existing == null ? null : existing.id(), proposed, application, !reasons.isEmpty(),
                reasons, authority, received, completeness, null, null, null, null, false, processing, false, null, null,
                null, null, List.of(), null, null, 1, now, now);
        long id = cases.insert(draft);
        ApprovalCase created = cases.find(id, Jurisdiction.national()).orElseThrow();
        audit.record(user, "APPROVAL_SUBMITTED", "approval_case", String.valueOf(id),
                (paper ? "纸质申请录入 paper application entered" : "网上申请 online application") + ", received " + received,
                null, created);
        return created;
    }

    private ApprovalCase.Proposed proposed(ApplicationInput in, Outfall existing, ApprovalCase.Kind kind,
                                           List<FieldProblem> problems) {
        if (existing != null && kind == ApprovalCase.Kind.CANCELLATION) {
            return fromLedger(existing, null);
        }
        String name = trim(in.name());
        if (existing != null && name == null) {
            name = existing.name();
        }
        String typeCode = existing != null ? existing.typeCode() : trim(in.typeCode());
        String region = existing != null && kind == ApprovalCase.Kind.CHANGE ? existing.regionCode()
                : trim(in.regionCode()) != null ? trim(in.regionCode()) : existing == null ? null : existing.regionCode();
        if (name == null || name.length() > 200) {
            problems.add(FieldProblem.of("name", in.name(), "请填写排污口名称（最多 200 字）", "give the outfall's name (200 characters at most)"));
        }
        if (typeCode == null || types.find(typeCode).isEmpty()) {
            problems.add(FieldProblem.of("typeCode", in.typeCode(), "请选择排污口类型（HJ 1312）", "choose the outfall type (HJ 1312)"));
        }
        regions.checkOutfallRegion("regionCode", region).ifPresent(problems::add);
        Long waterBodyId = in.waterBodyId() != null ? in.waterBodyId() : existing == null ? null : existing.waterBodyId();
        if (waterBodyId != null && waterBodies.find(waterBodyId).isEmpty()) {
            problems.add(FieldProblem.of("waterBodyId", waterBodyId, "没有该受纳水体", "no such water body"));
        }
        if (waterBodyId == null && kind != ApprovalCase.Kind.CHANGE) {
            problems.add(FieldProblem.of("waterBodyId", null, "请选择受纳水体", "choose the receiving water body"));
        }
        Double lon = in.longitude() != null ? in.longitude() : existing == null ? null : existing.longitude();
        Double lat = in.latitude() != null ? in.latitude() : existing == null ? null : existing.latitude();
        if ((lon == null) != (lat == null) || (lon != null && (lon < 73.4 || lon > 135.1 || lat < 3.8 || lat > 53.6))) {
            problems.add(FieldProblem.of("longitude", lon + "," + lat, "经纬度应同时填写且位于中国境内",
                    "give both coordinates, inside China"));
        }
        String mode = trim(in.dischargeMode()) != null ? trim(in.dischargeMode())
                : existing == null || existing.dischargeMode() == null ? null : existing.dischargeMode().name();
        if (mode != null && Arrays.stream(DischargeMode.values()).noneMatch(m -> m.name().equals(mode))) {
            problems.add(FieldProblem.of("dischargeMode", mode, "排放方式不在列表中", "unknown discharge mode"));
        }
        String pattern = trim(in.dischargePattern()) != null ? trim(in.dischargePattern())
                : existing == null || existing.dischargePattern() == null ? null : existing.dischargePattern().name();
        if (pattern != null && Arrays.stream(DischargePattern.values()).noneMatch(m -> m.name().equals(pattern))) {
            problems.add(FieldProblem.of("dischargePattern", pattern, "排放规律不在列表中", "unknown discharge pattern"));
        }
        BigDecimal capacity = in.designCapacity() != null ? in.designCapacity()
                : existing == null || existing.designCapacity() == null ? null : BigDecimal.valueOf(existing.designCapacity());
        if (capacity != null && capacity.signum() < 0) {
            problems.add(FieldProblem.of("designCapacity", capacity, "排放量不能为负", "the volume cannot be negative"));
        }
        if (capacity == null && kind == ApprovalCase.Kind.APPROVAL) {
            problems.add(FieldProblem.of("designCapacity", null, "请填写设计排放量（m³/d）", "give the design discharge volume (m³/d)"));
        }
        return new ApprovalCase.Proposed(name, typeCode, region, waterBodyId, lon, lat, mode, pattern,
                trim(in.destination()), capacity);
    }

    private static ApprovalCase.Proposed fromLedger(Outfall o, String destination) {
        return new ApprovalCase.Proposed(o.name(), o.typeCode(), o.regionCode(), o.waterBodyId(), o.longitude(),
                o.latitude(), o.dischargeMode() == null ? null : o.dischargeMode().name(),
                o.dischargePattern() == null ? null : o.dischargePattern().name(), destination,
                o.designCapacity() == null ? null : BigDecimal.valueOf(o.designCapacity()));
    }

    /** A shared outfall states each party's volume and pollutants (办法 Art 16); the applicant is one of them. */
    private void checkShares(List<ApprovalCase.PartyShare> shares, long applicant, List<FieldProblem> problems) {
        if (shares.isEmpty()) {
            return;
        }
        if (shares.size() < 2) {
            problems.add(FieldProblem.of("shares", shares.size(), "共用排污口应列出至少两个责任主体的分担情况",
                    "a shared outfall lists the shares of at least two parties"));
        }
        if (shares.stream().noneMatch(s -> s != null && s.organizationId() == applicant)) {
            problems.add(FieldProblem.of("shares", applicant, "共用排污口的分担情况应包括申请单位本身",
                    "the shares of a shared outfall include the applicant itself"));
        }
        Map<Long, Organization> orgs = organizations.byIds(shares.stream().filter(Objects::nonNull)
                .map(ApprovalCase.PartyShare::organizationId).toList());
        for (int i = 0; i < shares.size(); i++) {
            ApprovalCase.PartyShare s = shares.get(i);
            if (s == null || orgs.get(s.organizationId()) == null || orgs.get(s.organizationId()).kind() != Organization.Kind.PARTY) {
                problems.add(FieldProblem.of("shares[" + i + "].organizationId", s == null ? null : s.organizationId(),
                        "不是登记的责任主体", "not a registered responsible party"));
                continue;
            }
            if (s.volume() == null || s.volume().signum() <= 0) {
                problems.add(FieldProblem.of("shares[" + i + "].volume", s.volume(), "请填写该单位的排放量（m³/d，办法第十六条）",
                        "give this party's discharge volume (m³/d, Art 16)"));
            }
            if (blank(s.pollutants())) {
                problems.add(FieldProblem.of("shares[" + i + "].pollutants", s.pollutants(),
                        "请填写该单位重点污染物的种类、浓度和排放量（办法第十六条）",
                        "give this party's key pollutants with concentration and quantity (Art 16)"));
            }
        }
    }

    /**
     * Whether the full 论证报告 is required instead of the 简要分析材料 (办法 Art 15, outfall-regulation.md §1.7), and why:
     * a listed industry, radioactive/heavy-metal/toxic discharge, or a volume at or above the configured size.
     */
    List<String> fullReportReasons(ApprovalCase.Application a, BigDecimal capacity) {
        List<String> reasons = new ArrayList<>();
        if (a.industry() != null && settings.fullReportIndustries().contains(a.industry())) {
            reasons.add("行业：" + a.industry() + " / listed industry");
        }
        if (settings.fullReportForToxic() && a.toxicDischarge()) {
            reasons.add("排放放射性物质、重金属或其他有毒有害水污染物 / radioactive, heavy-metal or toxic discharge");
        }
        if (capacity != null && settings.fullReportMinCapacity() != null
                && capacity.compareTo(settings.fullReportMinCapacity()) >= 0) {
            reasons.add("规模：设计排放量 ≥ " + settings.fullReportMinCapacity().stripTrailingZeros().toPlainString()
                    + " m³/d / volume at or above the size threshold");
        }
        return reasons;
    }

    // ================================================================== materials

    @Transactional
    public ApprovalCase.Material addMaterial(long id, String kind, String filename, byte[] content, CurrentUser user) {
        ApprovalCase c = find(id, user);
        if (!isApplicant(user, c) && !isAuthority(user, c)) {
            throw new ForbiddenException("only the applicant and the deciding bureau add materials");
        }
        if (kind == null || !MATERIAL_KINDS.contains(kind)) {
            throw new InvalidInputException(FieldProblem.of("kind", kind, "请选择材料类型", "choose what the material is"));
        }
        if (!c.open() || c.state() == ApprovalCase.State.RETURNED && !isApplicant(user, c)) {
            throw new InvalidInputException(FieldProblem.of("state", c.state(), "案件已办结，不能再添加材料",
                    "the case is closed; no more materials"));
        }
        var stored = documents.storeUpload(id, filename, content, user);
        cases.insertMaterial(id, kind, stored.id(), today());
        return cases.materials(id).stream().filter(m -> m.fileId() == stored.id()).findFirst().orElseThrow();
    }

    // ================================================================== completeness check

    @Transactional
    public ApprovalCase requestSupplement(long id, int version, String items, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireKind(c, ApprovalCase.Kind.APPROVAL);
        if (c.supplementRequestedOn() != null) {
            // Art 32: one notice listing everything; a second round would restart the clock at the applicant's cost.
            throw problem("state", c.state(), "补正通知只能发出一次，且应一次性告知全部需补正的内容",
                    "only one supplement notice may be sent, listing everything at once");
        }
        if (c.deemedAccepted() || today().isAfter(c.completenessDeadline())) {
            throw problem("completenessDeadline", c.completenessDeadline(),
                    "已超过5个工作日的补正告知期限，依《行政许可法》第三十二条视为受理",
                    "the 5 working days for a supplement notice have passed: the application counts as accepted (Art 32)");
        }
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.SUBMITTED);
        if (blank(items)) {
            throw problem("items", items, "请列出需要补正的全部内容", "list everything to be supplemented");
        }
        LocalDate today = today();
        ApprovalCase after = change(c, user, "APPROVAL_SUPPLEMENT_REQUESTED", "补正通知 supplement notice",
                cols("state", ApprovalCase.State.SUPPLEMENT_REQUESTED, "supplement_requested_on", today,
                        "supplement_items", items.trim()));
        documents.issue(after, "SUPPLEMENT", today, user);
        return after;
    }

    /** The applicant says the supplements are in: the completeness check runs again from this day. */
    @Transactional
    public ApprovalCase supplied(long id, int version, CurrentUser user) {
        ApprovalCase c = find(id, user);
        if (!isApplicant(user, c)) {
            throw new ForbiddenException("only the applicant hands in supplements");
        }
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.SUPPLEMENT_REQUESTED);
        List<ApprovalCase.Material> materials = cases.materials(id);
        boolean added = materials.stream().anyMatch(m -> !m.uploadedOn().isBefore(c.supplementRequestedOn())
                && !"OTHER".equals(m.kind()));
        if (!added) {
            throw problem("materials", "", "请先上传补正材料", "upload the supplementary materials first");
        }
        LocalDate today = today();
        return change(c, user, "APPROVAL_SUPPLEMENTED", "补正材料已提交 supplements handed in",
                cols("state", ApprovalCase.State.SUBMITTED, "supplemented_on", today,
                        "completeness_deadline", calendar.deadline(today, settings.completenessDays())));
    }

    @Transactional
    public ApprovalCase accept(long id, int version, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        requireKind(c, ApprovalCase.Kind.APPROVAL);
        requireState(c, ApprovalCase.State.SUBMITTED);
        List<String> missing = missing(c, cases.materials(id));
        if (!missing.isEmpty()) {
            throw problem("materials", String.join(",", missing), "材料不全，请发出补正通知或待申请人补齐：" + String.join("、", missing),
                    "materials are missing; send a supplement notice or wait for them: " + String.join(", ", missing));
        }
        LocalDate today = today();
        return acceptOn(c, today, false, user, "受理 accepted");
    }

    private ApprovalCase acceptOn(ApprovalCase c, LocalDate acceptedOn, boolean deemed, CurrentUser user, String reason) {
        LocalDate deadline = calendar.deadline(acceptedOn, settings.decisionDays());
        String number = number("受", c.authority(), acceptedOn.getYear());
        ApprovalCase after = change(c, user, deemed ? "APPROVAL_DEEMED_ACCEPTED" : "APPROVAL_ACCEPTED", reason,
                cols("state", ApprovalCase.State.ACCEPTED, "accepted_on", acceptedOn, "deemed_accepted", deemed,
                        "case_number", number, "decision_deadline", deadline));
        documents.issue(after, "ACCEPTANCE", today(), user);
        return after;
    }

    /**
     * 《行政许可法》 Art 32: an application whose completeness check passed without a supplement notice counts as
     * accepted from the day the materials were received (after a supplement, from the day it came in). Runs every
     * few minutes and before staff act on a case.
     */
    @Scheduled(fixedDelayString = "${gongzhi.approval.deemed-acceptance-check:PT10M}", initialDelayString = "${gongzhi.approval.deemed-acceptance-check:PT10M}")
    public void deemAcceptancesNow() {
        deemAcceptances();
    }

    int deemAcceptances() {
        int n = 0;
        for (long id : cases.overdueCompletenessChecks(today())) {
            try {
                Boolean done = tx.execute(s -> {
                    ApprovalCase c = cases.find(id, Jurisdiction.national()).orElseThrow();
                    if (c.state() != ApprovalCase.State.SUBMITTED || !today().isAfter(c.completenessDeadline())) {
                        return false;
                    }
                    LocalDate from = c.supplementedOn() != null ? c.supplementedOn() : c.receivedOn();
                    acceptOn(c, from, true, CurrentUser.system(),
                            "《行政许可法》第三十二条：逾期未告知补正，自收到申请材料之日起即为受理 / no supplement notice within "
                                    + settings.completenessDays() + " working days: accepted from receipt (Art 32)");
                    return true;
                });
                n += Boolean.TRUE.equals(done) ? 1 : 0;
            } catch (RuntimeException e) {
                log.warn("deemed acceptance of approval case {} failed: {}", id, e.getMessage());
            }
        }
        return n;
    }

    /**
     * 不予受理 (Art 32): the application is not for this procedure (e.g. not licensable, or belongs to another body),
     * decided within the completeness check, with the reason and where to turn told to the applicant.
     */
    @Transactional
    public ApprovalCase notAccept(long id, int version, String reason, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireKind(c, ApprovalCase.Kind.APPROVAL);
        if (c.deemedAccepted()) {
            throw problem("completenessDeadline", c.completenessDeadline(),
                    "已超过5个工作日的审查期限，依《行政许可法》第三十二条视为受理，只能作出许可或不予许可决定",
                    "the completeness check has passed: the application counts as accepted (Art 32); decide on it instead");
        }
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.SUBMITTED);
        if (blank(reason)) {
            throw problem("reason", reason, "不予受理须说明理由，并告知向有关机关申请",
                    "give the reason, and where the applicant should turn");
        }
        ApprovalCase after = change(c, user, "APPROVAL_NOT_ACCEPTED", "不予受理 not accepted: " + reason.trim(),
                cols("state", ApprovalCase.State.NOT_ACCEPTED, "return_reasons", reason.trim(), "decided_on", today()));
        documents.issue(after, "NOT_ACCEPTED", today(), user);
        return after;
    }

    /** The applicant withdraws an application that is not decided yet (撤回); the clock stops for good. */
    @Transactional
    public ApprovalCase withdraw(long id, int version, CurrentUser user) {
        ApprovalCase c = find(id, user);
        if (!isApplicant(user, c)) {
            throw new ForbiddenException("only the applicant withdraws");
        }
        requireVersion(c, version);
        if (!c.open()) {
            throw wrongState(c);
        }
        cases.openPause(id).ifPresent(p -> cases.endPause(p.id(), today(), 0, user.username()));
        return change(c, user, "CASE_WITHDRAWN", "申请人撤回 withdrawn by the applicant",
                cols("state", ApprovalCase.State.WITHDRAWN, "decided_on", today()));
    }

    // ================================================================== review clock

    @Transactional
    public ApprovalCase pause(long id, int version, String reason, LocalDate startedOn, String note, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.ACCEPTED);
        if (reason == null || !PAUSE_REASONS.contains(reason)) {
            throw problem("reason", reason, "暂停原因应为专家评审、听证、现场查勘或等待补充材料",
                    "the reason must be expert review, hearing, site inspection or waiting for supplements");
        }
        LocalDate start = startedOn == null ? today() : startedOn;
        if (start.isAfter(today()) || start.isBefore(c.acceptedOn())) {
            throw problem("startedOn", start, "开始日期应在受理之后且不晚于今天", "the start must be after acceptance and not in the future");
        }
        cases.insertPause(id, reason, trim(note), start, user.username());
        return change(c, user, "APPROVAL_PAUSED", "暂停计时 clock paused: " + reason + (blank(note) ? "" : " — " + note.trim()),
                cols("state", ApprovalCase.State.PAUSED));
    }

    /**
     * Ends the open pause: the working days after its start up to and including its end are not counted (Art 45),
     * so the stored decision deadline moves by that many working days.
     */
    @Transactional
    public ApprovalCase resume(long id, int version, LocalDate endedOn, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.PAUSED);
        ApprovalCase.Pause open = cases.openPause(id).orElseThrow();
        LocalDate end = endedOn == null ? today() : endedOn;
        if (end.isBefore(open.startedOn()) || end.isAfter(today())) {
            throw problem("endedOn", end, "结束日期应不早于开始日期且不晚于今天", "the end must be on or after the start and not in the future");
        }
        int paused = calendar.workingDaysBetween(open.startedOn(), end);
        LocalDate deadline = calendar.addWorkingDays(c.decisionDeadline(), paused);
        cases.endPause(open.id(), end, paused, user.username());
        return change(c, user, "APPROVAL_RESUMED", "恢复计时 clock resumed after " + open.reason() + ": " + paused
                        + " 个工作日不计入 working days not counted; deadline " + c.decisionDeadline() + " → " + deadline,
                cols("state", ApprovalCase.State.ACCEPTED, "decision_deadline", deadline));
    }

    @Transactional
    public ApprovalCase extend(long id, int version, String reason, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        if (c.state() != ApprovalCase.State.ACCEPTED && c.state() != ApprovalCase.State.PAUSED) {
            throw wrongState(c);
        }
        if (c.extended()) {
            throw problem("extended", true, "审批期限只能延长一次", "the time limit can be extended only once");
        }
        if (blank(reason)) {
            throw problem("reason", reason, "延期须说明理由并告知申请人（《行政许可法》第四十二条）",
                    "an extension needs its reason, which the applicant is told (Art 42)");
        }
        LocalDate deadline = calendar.addWorkingDays(c.decisionDeadline(), settings.extensionDays());
        ApprovalCase after = change(c, user, "APPROVAL_EXTENDED", "延期 extended: " + reason.trim(),
                cols("extended", true, "extension_reason", reason.trim(), "decision_deadline", deadline));
        documents.issue(after, "EXTENSION", today(), user);
        return after;
    }

    // ================================================================== decisions

    /** What an approval decision permits; location and water body default to the application. */
    public record DecisionInput(String location, String dischargeMode, String destination, BigDecimal permittedVolume,
                                LocalDate validFrom, List<ApprovalDecided.DecidedLimit> limits, String conditions) {
    }

    @Transactional
    public ApprovalCase approve(long id, int version, DecisionInput in, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        requireKind(c, ApprovalCase.Kind.APPROVAL);
        requireState(c, ApprovalCase.State.ACCEPTED);
        List<FieldProblem> problems = new ArrayList<>();
        if (in.permittedVolume() == null || in.permittedVolume().signum() <= 0) {
            problems.add(FieldProblem.of("permittedVolume", in.permittedVolume(), "请填写许可排放量（m³/d）",
                    "give the permitted volume (m³/d)"));
        }
        String mode = blank(in.dischargeMode()) ? c.outfall().dischargeMode() : in.dischargeMode().trim();
        if (mode == null || Arrays.stream(DischargeMode.values()).noneMatch(m -> m.name().equals(mode))) {
            problems.add(FieldProblem.of("dischargeMode", mode, "请选择排放方式", "choose the discharge mode"));
        }
        String destination = blank(in.destination()) ? c.outfall().destination() : in.destination().trim();
        if (blank(destination)) {
            problems.add(FieldProblem.of("destination", destination, "请填写排放去向", "give the discharge destination"));
        }
        List<ApprovalDecided.DecidedLimit> limits = in.limits() == null ? List.of() : in.limits();
        if (limits.isEmpty()) {
            problems.add(FieldProblem.of("limits", "", "决定书应载明各污染物的排放限值", "the decision states a limit for each pollutant"));
        }
        for (int i = 0; i < limits.size(); i++) {
            checkLimit(limits.get(i), "limits[" + i + "]", problems);
        }
        LocalDate today = today();
        LocalDate validFrom = in.validFrom() == null ? today : in.validFrom();
        if (validFrom.isBefore(today)) {
            problems.add(FieldProblem.of("validFrom", validFrom, "生效日期不能早于决定日期", "limits cannot apply before the decision"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        WaterBody wb = c.outfall().waterBodyId() == null ? null : waterBodies.find(c.outfall().waterBodyId()).orElse(null);
        String location = blank(in.location()) ? defaultLocation(c) : in.location().trim();
        ApprovalCase.Decision decision = new ApprovalCase.Decision(location, wb == null ? null : wb.name(), mode, destination,
                in.permittedVolume(), validFrom, limits, trim(in.conditions()));
        String number = number("审", c.authority(), today.getYear());

        // The ledger follows the decision: a new outfall enters it, a modified or enlarged one is updated.
        String reason = "准予设置决定书 " + number + "（案件 " + c.caseNumber() + "）";
        Outfall outfall = toLedger(c, mode, in.permittedVolume(), reason, user);
        ApprovalCase after = change(c, user, "APPROVAL_APPROVED", reason,
                cols("state", ApprovalCase.State.APPROVED, "decided_on", today, "decision_number", number,
                        "decision", decision, "outfall_id", outfall.id()));
        documents.issue(after, "DECISION", today, user);
        // Listeners (the compliance engine) act after commit: the decision's limits become outfall limits.
        events.publishEvent(new ApprovalDecided(c.id(), outfall.id(), number, today, validFrom, limits, user.username()));
        return after;
    }

    private Outfall toLedger(ApprovalCase c, String mode, BigDecimal volume, String reason, CurrentUser user) {
        ApprovalCase.Proposed p = c.outfall();
        if (c.outfallId() == null) {
            return ledger.create(newOutfall(c, mode, volume), reason, user);
        }
        Outfall o = ledger.find(c.outfallId(), user);
        Lifecycle lifecycle = o.lifecycle().canMoveTo(Lifecycle.UNDER_SUPERVISION) ? Lifecycle.UNDER_SUPERVISION : o.lifecycle();
        OutfallDraft draft = new OutfallDraft(o.nationalCode(), o.localCode(), p.name(), o.typeCode(), lifecycle,
                p.regionCode(), p.waterBodyId(), p.longitude(), p.latitude(),
                mode == null ? o.dischargeMode() : DischargeMode.valueOf(mode),
                p.dischargePattern() == null ? o.dischargePattern() : DischargePattern.valueOf(p.dischargePattern()),
                volume == null ? o.designCapacity() : volume.doubleValue(),
                c.application().shares().isEmpty() ? OutfallDraft.of(o).parties() : parties(c),
                o.samplingPoints(), o.inspectionWells(), o.signboard());
        return ledger.update(o.id(), draft, o.version(), reason, user);
    }

    /**
     * A new outfall as the ledger takes it, under supervision from the decision or registration on: the applicant
     * is its responsible party (with the others of a shared outfall and their shares).
     */
    private static OutfallDraft newOutfall(ApprovalCase c, String mode, BigDecimal volume) {
        ApprovalCase.Proposed p = c.outfall();
        return new OutfallDraft(null, null, p.name(), p.typeCode(), Lifecycle.UNDER_SUPERVISION, p.regionCode(),
                p.waterBodyId(), p.longitude(), p.latitude(), mode == null ? null : DischargeMode.valueOf(mode),
                p.dischargePattern() == null ? null : DischargePattern.valueOf(p.dischargePattern()),
                volume == null ? null : volume.doubleValue(), parties(c), List.of(), List.of(), null);
    }

    private static List<OutfallDraft.PartyRef> parties(ApprovalCase c) {
        return c.application().shares().isEmpty() ? List.of(new OutfallDraft.PartyRef(c.applicantOrgId(), true, null))
                : shareRefs(c);
    }

    /** A shared outfall's parties in the ledger: the applicant leads, each with its share of the total volume. */
    private static List<OutfallDraft.PartyRef> shareRefs(ApprovalCase c) {
        BigDecimal total = c.application().shares().stream().map(ApprovalCase.PartyShare::volume)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return c.application().shares().stream().map(s -> new OutfallDraft.PartyRef(s.organizationId(),
                s.organizationId() == c.applicantOrgId(),
                total.signum() == 0 ? null : s.volume().multiply(BigDecimal.valueOf(100))
                        .divide(total, 2, java.math.RoundingMode.HALF_UP).doubleValue())).toList();
    }

    private String defaultLocation(ApprovalCase c) {
        String place = regions.fullName(c.outfall().regionCode());
        return c.outfall().longitude() == null ? place
                : place + "（东经 " + c.outfall().longitude() + "°，北纬 " + c.outfall().latitude() + "°）";
    }

    static void checkLimit(ApprovalDecided.DecidedLimit l, String field, List<FieldProblem> problems) {
        if (l == null || l.factor() == null || !FACTOR.matcher(l.factor()).matches()) {
            problems.add(FieldProblem.of(field + ".factor", l == null ? null : l.factor(),
                    "因子应为 HJ 212 编码，如 w01018（化学需氧量）", "the factor is an HJ 212 code such as w01018 (COD)"));
            return;
        }
        if (l.statistic() == null || !STATISTICS.contains(l.statistic())) {
            problems.add(FieldProblem.of(field + ".statistic", l.statistic(), "统计方式应为 " + STATISTICS,
                    "the statistic must be one of " + STATISTICS));
        }
        if (blank(l.unit())) {
            problems.add(FieldProblem.of(field + ".unit", l.unit(), "请填写单位，如 mg/L", "give the unit, e.g. mg/L"));
        }
        switch (l.comparison() == null ? "" : l.comparison()) {
            case "LE", "GE" -> {
                if (l.value() == null || l.value().signum() < 0) {
                    problems.add(FieldProblem.of(field + ".value", l.value(), "请填写非负的限值", "give a limit that is not negative"));
                }
            }
            case "RANGE" -> {
                if (l.low() == null || l.high() == null || l.low().compareTo(l.high()) > 0) {
                    problems.add(FieldProblem.of(field + ".low", l.low() + "–" + l.high(), "范围限值应为下限 ≤ 上限",
                            "a range needs low ≤ high"));
                }
            }
            default -> problems.add(FieldProblem.of(field + ".comparison", l.comparison(), "比较方式应为 LE、GE 或 RANGE",
                    "the comparison must be LE, GE or RANGE"));
        }
    }

    @Transactional
    public ApprovalCase refuse(long id, int version, List<String> codes, String text, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        requireKind(c, ApprovalCase.Kind.APPROVAL);
        requireState(c, ApprovalCase.State.ACCEPTED);
        Set<String> catalogue = cases.refusalReasons().stream().filter(ApprovalCases.RefusalReason::active)
                .map(ApprovalCases.RefusalReason::code).collect(Collectors.toSet());
        List<String> chosen = codes == null ? List.of() : codes.stream().filter(Objects::nonNull).distinct().toList();
        List<FieldProblem> problems = new ArrayList<>();
        if (chosen.isEmpty()) {
            problems.add(FieldProblem.of("reasons", "", "请至少选择一项不予许可的理由", "choose at least one reason for the refusal"));
        }
        chosen.stream().filter(code -> !catalogue.contains(code)).forEach(code -> problems.add(
                FieldProblem.of("reasons", code, "不在理由目录中或已停用", "not in the catalogue of reasons, or retired")));
        if (blank(text)) {
            problems.add(FieldProblem.of("text", text, "请说明不予许可的具体理由（《行政许可法》第三十八条）",
                    "explain the refusal (Administrative Licensing Law Art 38)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        LocalDate today = today();
        String number = number("不许", c.authority(), today.getYear());
        ApprovalCase after = change(c, user, "APPROVAL_REFUSED", "不予许可 " + number + ": " + String.join(",", chosen),
                cols("state", ApprovalCase.State.REFUSED, "decided_on", today, "decision_number", number,
                        "refusal_codes", chosen, "refusal_text", text.trim()));
        documents.issue(after, "REFUSAL", today, user);
        return after;
    }

    // ================================================================== registration, change, cancellation

    /** Confirms a registration (登记, with its number and receipt), a change (变更) or a cancellation (注销). */
    @Transactional
    public ApprovalCase confirm(long id, int version, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        if (c.kind() == ApprovalCase.Kind.APPROVAL) {
            throw wrongState(c);
        }
        requireState(c, ApprovalCase.State.SUBMITTED);
        List<String> missing = missing(c, cases.materials(id));
        if (!missing.isEmpty()) {
            throw problem("materials", String.join(",", missing), "材料不全：" + String.join("、", missing),
                    "materials are missing: " + String.join(", ", missing));
        }
        LocalDate today = today();
        ApprovalCase.Proposed p = c.outfall();
        switch (c.kind()) {
            case REGISTRATION -> {
                String number = number("登", c.authority(), today.getYear());
                String reason = "入河排污口登记 " + number;
                Outfall o = ledger.create(newOutfall(c, p.dischargeMode(), p.designCapacity()), reason, user);
                ApprovalCase after = change(c, user, "REGISTRATION_CONFIRMED", reason,
                        cols("state", ApprovalCase.State.REGISTERED, "case_number", number, "decided_on", today,
                                "outfall_id", o.id()));
                documents.issue(after, "REGISTRATION_RECEIPT", today, user);
                return after;
            }
            case CHANGE -> {
                Outfall o = ledger.find(c.outfallId(), user);
                OutfallDraft d = OutfallDraft.of(o);
                OutfallDraft changed = new OutfallDraft(d.nationalCode(), d.localCode(), p.name(), d.typeCode(), d.lifecycle(),
                        d.regionCode(), d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(),
                        p.dischargePattern() == null ? d.dischargePattern() : DischargePattern.valueOf(p.dischargePattern()),
                        d.designCapacity(), d.parties(), d.samplingPoints(), d.inspectionWells(), d.signboard());
                String number = number("变", c.authority(), today.getYear());
                ledger.update(o.id(), changed, o.version(), "入河排污口变更 " + number, user);
                return change(c, user, "CHANGE_CONFIRMED", "变更 " + number,
                        cols("state", ApprovalCase.State.CONFIRMED, "case_number", number, "decided_on", today));
            }
            case CANCELLATION -> {
                Outfall o = ledger.find(c.outfallId(), user);
                OutfallDraft d = OutfallDraft.of(o);
                OutfallDraft cancelled = new OutfallDraft(d.nationalCode(), d.localCode(), d.name(), d.typeCode(),
                        Lifecycle.CANCELLED, d.regionCode(), d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(),
                        d.dischargePattern(), d.designCapacity(), d.parties(), d.samplingPoints(), d.inspectionWells(),
                        d.signboard());
                String number = number("注", c.authority(), today.getYear());
                ledger.update(o.id(), cancelled, o.version(), "入河排污口注销 " + number
                        + (c.application().description() == null ? "" : "：" + c.application().description()), user);
                return change(c, user, "CANCELLATION_CONFIRMED", "注销 " + number,
                        cols("state", ApprovalCase.State.CONFIRMED, "case_number", number, "decided_on", today));
            }
            default -> throw wrongState(c);
        }
    }

    /** Returns a registration, change or cancellation to the applicant with reasons (they may correct and resubmit). */
    @Transactional
    public ApprovalCase returnToApplicant(long id, int version, String reasons, CurrentUser user) {
        ApprovalCase c = forAuthority(id, user);
        requireVersion(c, version);
        if (c.kind() == ApprovalCase.Kind.APPROVAL) {
            throw wrongState(c);
        }
        requireState(c, ApprovalCase.State.SUBMITTED);
        if (blank(reasons)) {
            throw problem("reasons", reasons, "退回须说明理由", "a return needs its reasons");
        }
        ApprovalCase after = change(c, user, "CASE_RETURNED", "退回 returned: " + reasons.trim(),
                cols("state", ApprovalCase.State.RETURNED, "return_reasons", reasons.trim()));
        documents.issue(after, "RETURN", today(), user);
        return after;
    }

    @Transactional
    public ApprovalCase resubmit(long id, int version, CurrentUser user) {
        ApprovalCase c = find(id, user);
        if (!isApplicant(user, c)) {
            throw new ForbiddenException("only the applicant resubmits");
        }
        requireVersion(c, version);
        requireState(c, ApprovalCase.State.RETURNED);
        LocalDate today = today();
        return change(c, user, "CASE_RESUBMITTED", "重新提交 resubmitted",
                cols("state", ApprovalCase.State.SUBMITTED, "received_on", today,
                        "decision_deadline", calendar.deadline(today, settings.registrationDays())));
    }

    // ================================================================== statistics

    /** Per bureau: cases by state, average working days from acceptance to decision (pauses excluded), share on time. */
    public record Statistics(List<ApprovalCases.StateCount> byState, long decided, Double averageWorkingDays,
                             Double shareOnTime) {
    }

    public Statistics statistics(CurrentUser user) {
        ApprovalCase.Authority mine = authorityOf(user);
        List<ApprovalCases.Decided> decided = cases.decided(user.jurisdiction(), mine);
        double sum = 0;
        int counted = 0;
        int onTime = 0;
        for (ApprovalCases.Decided d : decided) {
            try {
                sum += calendar.workingDaysBetween(d.acceptedOn(), d.decidedOn()) - d.pausedDays();
                counted++;
            } catch (InvalidInputException e) {
                // a year without its notice: left out of the average
            }
            if (!d.decidedOn().isAfter(d.deadline())) {
                onTime++;
            }
        }
        return new Statistics(cases.countByState(user.jurisdiction(), mine), decided.size(),
                counted == 0 ? null : sum / counted, decided.isEmpty() ? null : (double) onTime / decided.size());
    }

    List<ApprovalCases.RefusalReason> refusalReasons() {
        return cases.refusalReasons();
    }

    // ================================================================== helpers

    /** The bureau a staff user belongs to, as an authority (level and region or basin); null for parties and others. */
    ApprovalCase.Authority authorityOf(CurrentUser user) {
        if (user.role() == Role.PARTY || user.role() == Role.INSPECTOR || user.organizationId() == 0) {
            return null;
        }
        Organization org = organizations.find(user.organizationId()).orElse(null);
        if (org == null || org.kind() != Organization.Kind.REGULATOR || org.level() == null
                || org.level() == Organization.Level.MINISTRY) {
            return null;
        }
        return org.level() == Organization.Level.BASIN_BUREAU
                ? new ApprovalCase.Authority("BASIN_BUREAU", null, org.basin().name(), null, null)
                : new ApprovalCase.Authority(org.level().name(), org.regionCode(), null, null, null);
    }

    boolean isAuthority(CurrentUser user, ApprovalCase c) {
        ApprovalCase.Authority mine = authorityOf(user);
        return mine != null && mine.level().equals(c.authority().level())
                && Objects.equals(mine.regionCode(), c.authority().regionCode())
                && Objects.equals(mine.basin(), c.authority().basin());
    }

    boolean isApplicant(CurrentUser user, ApprovalCase c) {
        return (user.jurisdiction().scope() == Jurisdiction.Scope.PARTY && user.jurisdiction().partyId() == c.applicantOrgId())
                || (c.paper() && isAuthority(user, c));
    }

    /** The case, visible to the user and decided by their bureau; an overdue completeness check is settled first. */
    private ApprovalCase forAuthority(long id, CurrentUser user) {
        ApprovalCase c = find(id, user);
        if (!isAuthority(user, c)) {
            throw new ForbiddenException("this case is decided by another bureau / 该案件由其他部门办理");
        }
        if (c.kind() == ApprovalCase.Kind.APPROVAL && c.state() == ApprovalCase.State.SUBMITTED
                && today().isAfter(c.completenessDeadline())) {
            // In a transaction of its own: it stands even if the action that found it is then refused.
            ApprovalCase overdue = c;
            LocalDate from = c.supplementedOn() != null ? c.supplementedOn() : c.receivedOn();
            newTx.executeWithoutResult(s -> acceptOn(overdue, from, true, CurrentUser.system(),
                    "《行政许可法》第三十二条：逾期未告知补正，自收到申请材料之日起即为受理 / accepted from receipt (Art 32)"));
            c = find(id, user);
        }
        return c;
    }

    private ApprovalCase change(ApprovalCase before, CurrentUser user, String action, String reason, Map<String, Object> columns) {
        if (!cases.update(before.id(), before.version(), columns)) {
            throw problem("version", before.version(), "案件已被他人处理，请刷新后重试", "someone else acted on this case; reload and try again");
        }
        ApprovalCase after = cases.find(before.id(), Jurisdiction.national()).orElseThrow();
        audit.record(user, action, "approval_case", String.valueOf(before.id()), reason, before, after);
        return after;
    }

    /** e.g. 320500审〔2026〕3号: the bureau's region (or basin), the series, the year, the next number. */
    private String number(String series, ApprovalCase.Authority a, int year) {
        String bureau = a.regionCode() != null ? a.regionCode() : a.basin();
        int n = cases.nextNumber(bureau + series, year);
        return bureau + series + "〔" + year + "〕" + n + "号";
    }

    private static void requireVersion(ApprovalCase c, int version) {
        if (c.version() != version) {
            throw problem("version", version, "案件已更新（当前版本 " + c.version() + "），请刷新后重试",
                    "the case has changed (now version " + c.version() + "); reload and try again");
        }
    }

    private static void requireState(ApprovalCase c, ApprovalCase.State state) {
        if (c.state() != state) {
            throw wrongState(c);
        }
    }

    private static void requireKind(ApprovalCase c, ApprovalCase.Kind kind) {
        if (c.kind() != kind) {
            throw wrongState(c);
        }
    }

    private static InvalidInputException wrongState(ApprovalCase c) {
        return problem("state", c.state(), "案件当前状态（" + c.state().zh() + "）不能进行此操作",
                "not possible while the case is " + c.state().en());
    }

    static InvalidInputException problem(String field, Object value, String zh, String en) {
        return new InvalidInputException(FieldProblem.of(field, value, zh, en));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, boolean required,
                                               List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(FieldProblem.of(field, value, "必须选择", "required"));
            }
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException e) {
            problems.add(FieldProblem.of(field, value, "取值无效，应为 " + Arrays.toString(type.getEnumConstants()),
                    "invalid; one of " + Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String trim(String s) {
        return blank(s) ? null : s.trim();
    }
}
