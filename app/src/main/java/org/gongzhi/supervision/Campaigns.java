package org.gongzhi.supervision;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gongzhi.ledger.LedgerLookup;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallDraft;
import org.gongzhi.ledger.OutfallTypes;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.Basin;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 排查整治 campaigns (国办函〔2022〕17号; outfall-regulation.md §2.3): the area and period, the three-level survey
 * (level-1 points imported, level-2 field verification, level-3 gap filling), sampling tasks (测) and tracing (溯).
 * Remediation plans (治) are in {@link Remediation}. Each step moves the outfall in the ledger ({@link LedgerSteps}).
 */
@Service
class Campaigns {

    enum Level { SELF_CHECK, PROVINCIAL_CHECK, BASIN_SPOT_CHECK }

    enum PointStatus { SUSPECTED, CONFIRMED, REJECTED, MERGED }

    enum Decision { CONFIRM, REJECT, MERGE }

    record Campaign(long id, String name, Level level, String regionCode, Basin basin, List<Long> waterBodyIds,
                    LocalDate startsOn, LocalDate endsOn, long organizerId, List<Long> participantIds,
                    int duplicateRadiusM, String createdBy, Instant createdAt) {
    }

    record CampaignInput(String name, Level level, String regionCode, List<Long> waterBodyIds, LocalDate startsOn,
                         LocalDate endsOn, List<Long> participantIds, Integer duplicateRadiusM) {
    }

    record Point(long id, long campaignId, int surveyLevel, String source, String ref, double longitude, double latitude,
                 String regionCode, Long waterBodyId, String typeHint, String note, Long nearestOutfallId,
                 Double nearestDistanceM, PointStatus status, Long outfallId, String verifiedBy, Instant verifiedAt,
                 Double verifiedLongitude, Double verifiedLatitude, String verificationNote) {
        public boolean possibleDuplicate() {
            return nearestOutfallId != null;
        }
    }

    /** A level-3 point added in the field (查缺补漏), or one row of a level-1 import. */
    record PointInput(String ref, String source, Double longitude, Double latitude, String regionCode, Long waterBodyId,
                      String typeHint, String note) {
    }

    /**
     * Level-2 field verification of a point: CONFIRM adds it to the ledger as VERIFIED (name and type required),
     * MERGE links it to an outfall already in the ledger (default: the nearest one flagged at import), REJECT
     * records that it is not an outfall (a note is required).
     */
    record VerifyInput(Decision decision, String name, String typeCode, Double longitude, Double latitude,
                       Long waterBodyId, Long outfallId, String note) {
    }

    record SamplingTask(long id, Long campaignId, long outfallId, String regionCode, LocalDate dueOn, List<String> factors,
                        String status, Instant sampledAt, String sampler, String sampleNote, int resultCount,
                        Instant resultsAt, String createdBy) {
    }

    record SamplingInput(long outfallId, LocalDate dueOn, List<String> factors) {
    }

    record SampleInput(Instant sampledAt, String sampler, String note) {
    }

    record TraceInput(long outfallId, Long partyId, Boolean backstop, String method, String evidence) {
    }

    record Trace(long id, Long campaignId, long outfallId, long partyId, String partyName, boolean backstop, String method,
                 String evidence, String tracedBy, Instant tracedAt) {
    }

    private final JdbcClient jdbc;
    private final Scope scope;
    private final LedgerSteps steps;
    private final LedgerLookup lookup;
    private final OutfallTypes types;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final AuditLog audit;
    private final int defaultRadius;

    Campaigns(JdbcClient jdbc, Scope scope, LedgerSteps steps, LedgerLookup lookup, OutfallTypes types, Regions regions,
              WaterBodies waterBodies, Organizations organizations, AuditLog audit,
              @Value("${gongzhi.supervision.duplicate-radius-metres:50}") int defaultRadius) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.steps = steps;
        this.lookup = lookup;
        this.types = types;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.audit = audit;
        this.defaultRadius = defaultRadius;
    }

    // ---- who may do what ----------------------------------------------------------------------------------------

    /** Organizing a campaign, planning and deciding: regulators and administrators of a bureau. */
    static void requireRegulator(CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("only a regulator can do this");
        }
    }

    /** Field work (verification, sampling, tracing, inspection): regulators and inspectors of a bureau. */
    static void requireFieldStaff(CurrentUser user) {
        if (user.jurisdiction().scope() == Jurisdiction.Scope.PARTY || user.role() == Role.PARTY) {
            throw new ForbiddenException("field work is done by regulators and inspectors");
        }
    }

    // ---- campaigns ----------------------------------------------------------------------------------------------

    @Transactional
    Campaign create(CampaignInput in, CurrentUser user) {
        requireRegulator(user);
        List<FieldProblem> problems = new ArrayList<>();
        if (blank(in.name())) {
            problems.add(FieldProblem.of("name", in.name(), "名称必填", "name is required"));
        } else if (in.name().length() > 200) {
            problems.add(FieldProblem.of("name", in.name(), "名称不超过200字", "name is at most 200 characters"));
        }
        if (in.level() == null) {
            problems.add(FieldProblem.of("level", null, "须选择排查类型（市县自查、省级核查、流域抽查）",
                    "choose the kind (SELF_CHECK, PROVINCIAL_CHECK, BASIN_SPOT_CHECK)"));
        }
        Jurisdiction j = user.jurisdiction();
        String region = blank(in.regionCode()) ? null : in.regionCode().trim();
        Basin basin = j.scope() == Jurisdiction.Scope.BASIN ? j.basin() : null;
        if (region == null && basin == null) {
            problems.add(FieldProblem.of("regionCode", null, "须指定排查区域（行政区）", "the campaign's region is required"));
        } else if (region != null) {
            if (regions.find(region).isEmpty()) {
                problems.add(FieldProblem.of("regionCode", region, "不是有效的行政区划代码", "not a valid region code"));
            } else if (j.scope() == Jurisdiction.Scope.REGION && !j.coversRegion(region)) {
                problems.add(FieldProblem.of("regionCode", region, "该行政区不在您的辖区内", "this region is outside your jurisdiction"));
            }
        }
        List<Long> waters = in.waterBodyIds() == null ? List.of() : in.waterBodyIds().stream().distinct().toList();
        for (Long w : waters) {
            if (w == null || waterBodies.find(w).isEmpty()) {
                problems.add(FieldProblem.of("waterBodyIds", w, "受纳水体不存在", "no such water body"));
            }
        }
        if (in.startsOn() == null) {
            problems.add(FieldProblem.of("startsOn", null, "开始日期必填", "start date is required"));
        }
        if (in.endsOn() == null) {
            problems.add(FieldProblem.of("endsOn", null, "结束日期必填", "end date is required"));
        } else if (in.startsOn() != null && in.endsOn().isBefore(in.startsOn())) {
            problems.add(FieldProblem.of("endsOn", in.endsOn(), "结束日期不能早于开始日期", "the end date is before the start date"));
        }
        List<Long> participants = in.participantIds() == null ? List.of() : in.participantIds().stream().distinct().toList();
        Map<Long, Organization> orgs = organizations.byIds(participants);
        for (Long p : participants) {
            Organization o = orgs.get(p);
            if (o == null || o.kind() != Organization.Kind.REGULATOR) {
                problems.add(FieldProblem.of("participantIds", p, "参与单位须为生态环境部门", "a participating bureau must be a regulator"));
            }
        }
        int radius = in.duplicateRadiusM() == null ? defaultRadius : in.duplicateRadiusM();
        if (radius < 1 || radius > 5000) {
            problems.add(FieldProblem.of("duplicateRadiusM", radius, "重复判定距离应在1–5000米之间",
                    "the duplicate radius must be between 1 and 5,000 metres"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO campaign (name, level, region_code, basin, water_body_ids, starts_on, ends_on, organizer_id,
                                      participant_ids, duplicate_radius_m, created_by)
                VALUES (:name, :level, :region, :basin, :waters, :starts, :ends, :org, :parts, :radius, :by) RETURNING id""")
                .param("name", in.name().trim()).param("level", in.level().name()).param("region", region)
                .param("basin", basin == null ? null : basin.name()).param("waters", waters.toArray(Long[]::new))
                .param("starts", in.startsOn()).param("ends", in.endsOn()).param("org", user.organizationId())
                .param("parts", participants.toArray(Long[]::new)).param("radius", radius).param("by", user.username())
                .query(Long.class).single();
        Campaign c = find(id, user);
        audit.record(user, "CREATE", "campaign", String.valueOf(id), null, null, c);
        return c;
    }

    List<Campaign> list(CurrentUser user) {
        Scope.Clause s = scope.campaign("c", user);
        return jdbc.sql(CAMPAIGN + " WHERE " + s.sql() + " ORDER BY c.starts_on DESC, c.id DESC LIMIT 500")
                .params(s.params()).query(this::campaign).list();
    }

    Campaign find(long id, CurrentUser user) {
        Scope.Clause s = scope.campaign("c", user);
        return jdbc.sql(CAMPAIGN + " WHERE c.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(this::campaign).optional().orElseThrow(() -> new NotFoundException("campaign " + id));
    }

    /** Whether an outfall's region lies in the campaign's area (its region subtree, or its listed water bodies). */
    private static boolean inArea(Campaign c, String regionCode, Long waterBodyId) {
        boolean region = c.regionCode() != null && regionCode != null && regionCode.startsWith(
                org.gongzhi.platform.Region.significantPrefix(c.regionCode()));
        boolean water = waterBodyId != null && c.waterBodyIds().contains(waterBodyId);
        return region || water || (c.regionCode() == null && c.waterBodyIds().isEmpty());
    }

    // ---- survey: points -----------------------------------------------------------------------------------------

    List<Point> points(long campaignId, CurrentUser user) {
        find(campaignId, user);
        Scope.Clause s = scope.of("p", user, false);
        return jdbc.sql(POINT + " WHERE p.campaign_id = :c AND " + s.sql() + " ORDER BY p.status = 'SUSPECTED' DESC, p.ref")
                .param("c", campaignId).params(s.params()).query(Campaigns::point).list();
    }

    Point point(long id, CurrentUser user) {
        Scope.Clause s = scope.of("p", user, false);
        Point p = jdbc.sql(POINT + " WHERE p.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(Campaigns::point).optional().orElseThrow(() -> new NotFoundException("campaign point " + id));
        find(p.campaignId(), user);
        return p;
    }

    /** The survey points verified as this outfall (confirmed or merged), in the caller's jurisdiction. */
    List<Point> pointsOfOutfall(long outfallId, CurrentUser user) {
        Scope.Clause s = scope.of("p", user, false);
        return jdbc.sql(POINT + " WHERE p.outfall_id = :o AND " + s.sql() + " ORDER BY p.id").param("o", outfallId)
                .params(s.params()).query(Campaigns::point).list();
    }

    /** Problems of one point; empty when it can be stored. */
    List<FieldProblem> checkPoint(Campaign c, PointInput in, CurrentUser user) {
        List<FieldProblem> problems = new ArrayList<>();
        if (blank(in.ref())) {
            problems.add(FieldProblem.of("ref", in.ref(), "点位编号必填", "the point's reference is required"));
        } else if (in.ref().length() > 64) {
            problems.add(FieldProblem.of("ref", in.ref(), "点位编号不超过64位", "reference is at most 64 characters"));
        }
        if (in.source() != null && !Set.of("UAV", "SATELLITE", "FIELD").contains(in.source())) {
            problems.add(FieldProblem.of("source", in.source(), "来源须为 UAV（无人机）、SATELLITE（卫星遥感）或 FIELD（现场）",
                    "source must be UAV, SATELLITE or FIELD"));
        }
        if (in.longitude() == null || in.latitude() == null) {
            problems.add(FieldProblem.of(in.longitude() == null ? "longitude" : "latitude", null, "经纬度必填",
                    "longitude and latitude are required"));
        } else {
            if (in.longitude() < 73.4 || in.longitude() > 135.1) {
                problems.add(FieldProblem.of("longitude", in.longitude(), "经度超出中国范围（73.4–135.1），是否与纬度填反？",
                        "longitude outside China (73.4 to 135.1); swapped with latitude?"));
            }
            if (in.latitude() < 3.8 || in.latitude() > 53.6) {
                problems.add(FieldProblem.of("latitude", in.latitude(), "纬度超出中国范围（3.8–53.6）", "latitude outside China (3.8 to 53.6)"));
            }
        }
        regions.checkOutfallRegion("regionCode", in.regionCode()).ifPresentOrElse(problems::add, () -> {
            if (!inArea(c, in.regionCode(), in.waterBodyId())) {
                problems.add(FieldProblem.of("regionCode", in.regionCode(), "不在本次排查区域内", "outside the campaign's area"));
            } else if (user.jurisdiction().scope() == Jurisdiction.Scope.REGION && !user.jurisdiction().coversRegion(in.regionCode())) {
                problems.add(FieldProblem.of("regionCode", in.regionCode(), "该行政区不在您的辖区内", "this region is outside your jurisdiction"));
            }
        });
        if (in.waterBodyId() != null && waterBodies.find(in.waterBodyId()).isEmpty()) {
            problems.add(FieldProblem.of("waterBodyId", in.waterBodyId(), "受纳水体不存在", "no such water body"));
        }
        if (in.typeHint() != null && !in.typeHint().isBlank() && types.parse(in.typeHint()).isEmpty()) {
            problems.add(FieldProblem.of("typeHint", in.typeHint(), "不是HJ 1312规定的排污口类型", "not an HJ 1312 outfall type"));
        }
        return problems;
    }

    /** Inserts a checked point, flagging the nearest ledger outfall within the campaign's radius as a possible duplicate. */
    Point insertPoint(Campaign c, int level, PointInput in, CurrentUser user) {
        LedgerLookup.Nearby nearest = lookup.nearest(List.of(new double[] {in.longitude(), in.latitude()}), c.duplicateRadiusM(), user)
                .get(0);
        long id = insertPoint(c, level, in, nearest, user);
        return jdbc.sql(POINT + " WHERE p.id = ?").param(id).query(Campaigns::point).single();
    }

    /**
     * Inserts checked points in bulk (an import): the nearest ledger outfalls found in one query per thousand points.
     * Returns how many were flagged as possible duplicates.
     */
    int insertPoints(Campaign c, int level, List<PointInput> points, CurrentUser user) {
        int duplicates = 0;
        for (int from = 0; from < points.size(); from += 1000) {
            List<PointInput> chunk = points.subList(from, Math.min(points.size(), from + 1000));
            Map<Integer, LedgerLookup.Nearby> nearest = lookup.nearest(
                    chunk.stream().map(p -> new double[] {p.longitude(), p.latitude()}).toList(), c.duplicateRadiusM(), user);
            for (int i = 0; i < chunk.size(); i++) {
                insertPoint(c, level, chunk.get(i), nearest.get(i), user);
            }
            duplicates += nearest.size();
        }
        return duplicates;
    }

    private long insertPoint(Campaign c, int level, PointInput in, LedgerLookup.Nearby nearest, CurrentUser user) {
        Long water = in.waterBodyId() != null ? in.waterBodyId() : c.waterBodyIds().size() == 1 ? c.waterBodyIds().get(0) : null;
        String typeHint = blank(in.typeHint()) ? null : types.parse(in.typeHint()).orElseThrow().code();
        return jdbc.sql("""
                INSERT INTO campaign_point (campaign_id, survey_level, source, ref, longitude, latitude, region_code,
                    water_body_id, type_hint, note, nearest_outfall_id, nearest_distance_m, created_by)
                VALUES (:c, :level, :source, :ref, :lon, :lat, :region, :water, :type, :note, :near, :dist, :by) RETURNING id""")
                .param("c", c.id()).param("level", level)
                .param("source", blank(in.source()) ? (level == 1 ? "UAV" : "FIELD") : in.source())
                .param("ref", in.ref().trim()).param("lon", in.longitude()).param("lat", in.latitude())
                .param("region", in.regionCode().trim()).param("water", water).param("type", typeHint)
                .param("note", blank(in.note()) ? null : in.note().trim())
                .param("near", nearest == null ? null : nearest.outfall().id())
                .param("dist", nearest == null ? null : BigDecimal.valueOf(nearest.distanceMetres()).setScale(1, java.math.RoundingMode.HALF_UP))
                .param("by", user.username()).query(Long.class).single();
    }

    Set<String> existingRefs(long campaignId) {
        return new HashSet<>(jdbc.sql("SELECT ref FROM campaign_point WHERE campaign_id = ?").param(campaignId)
                .query(String.class).list());
    }

    /** 查缺补漏 (level 3): a point found in the field that the remote survey missed. */
    @Transactional
    Point addGapPoint(long campaignId, PointInput in, CurrentUser user) {
        requireFieldStaff(user);
        Campaign c = find(campaignId, user);
        List<FieldProblem> problems = checkPoint(c, in, user);
        if (problems.isEmpty() && existingRefs(campaignId).contains(in.ref().trim())) {
            problems.add(FieldProblem.of("ref", in.ref(), "本次排查已有该编号的点位", "this campaign already has a point with this reference"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Point p = insertPoint(c, 3, in, user);
        audit.record(user, "ADD_POINT", "campaign_point", String.valueOf(p.id()), "查缺补漏 gap filling", null, p);
        return p;
    }

    /** Level-2 field verification (现场核实) of one point; see {@link VerifyInput}. */
    @Transactional
    Point verify(long pointId, VerifyInput in, CurrentUser user) {
        requireFieldStaff(user);
        Point p = point(pointId, user);
        Campaign c = find(p.campaignId(), user);
        List<FieldProblem> problems = new ArrayList<>();
        if (p.status() != PointStatus.SUSPECTED) {
            throw new InvalidInputException(FieldProblem.of("decision", in.decision(), "该点位已核实（" + p.status() + "）",
                    "this point has already been verified (" + p.status() + ")"));
        }
        if (in.decision() == null) {
            throw new InvalidInputException(FieldProblem.of("decision", null, "须选择核实结论：CONFIRM（确认为排污口）、MERGE（与台账已有排污口合并）或 REJECT（非排污口）",
                    "choose CONFIRM (an outfall), MERGE (same as one in the ledger) or REJECT (not an outfall)"));
        }
        Double lon = in.longitude() != null ? in.longitude() : p.longitude();
        Double lat = in.latitude() != null ? in.latitude() : p.latitude();
        String reason = "排查整治「" + c.name() + "」现场核实 field verification, point " + p.ref();
        Long outfallId = null;
        PointStatus status;
        switch (in.decision()) {
            case CONFIRM -> {
                if (blank(in.name())) {
                    problems.add(FieldProblem.of("name", in.name(), "确认为排污口须填写名称", "a confirmed outfall needs a name"));
                }
                String type = blank(in.typeCode()) ? p.typeHint() : in.typeCode().trim();
                if (type == null || types.find(type).isEmpty()) {
                    problems.add(FieldProblem.of("typeCode", type, "须选择HJ 1312排污口类型", "choose an HJ 1312 outfall type"));
                }
                if (!problems.isEmpty()) {
                    throw new InvalidInputException(problems);
                }
                Long water = in.waterBodyId() != null ? in.waterBodyId() : p.waterBodyId();
                Outfall o = steps.create(new OutfallDraft(null, null, in.name().trim(), type, Lifecycle.VERIFIED,
                        p.regionCode(), water, lon, lat, null, null, null, List.of(), List.of(), List.of(), null), reason, user);
                outfallId = o.id();
                status = PointStatus.CONFIRMED;
            }
            case MERGE -> {
                Long target = in.outfallId() != null ? in.outfallId() : p.nearestOutfallId();
                if (target == null) {
                    throw new InvalidInputException(FieldProblem.of("outfallId", null, "须指定台账中的同一排污口",
                            "name the outfall in the ledger that this point is"));
                }
                Outfall o;
                try {
                    o = steps.find(target, user);
                } catch (NotFoundException e) {
                    throw new InvalidInputException(FieldProblem.of("outfallId", target, "台账中没有该排污口（或不在您的辖区）",
                            "no such outfall in the ledger (or outside your jurisdiction)"));
                }
                if (o.lifecycle() == Lifecycle.CANCELLED || o.lifecycle() == Lifecycle.NOT_AN_OUTFALL) {
                    throw new InvalidInputException(FieldProblem.of("outfallId", target, "该排污口已注销或已判定非排污口",
                            "that outfall is cancelled or was found not to be an outfall"));
                }
                steps.advance(o.id(), Lifecycle.VERIFIED, reason, user);
                outfallId = o.id();
                status = PointStatus.MERGED;
            }
            default -> {
                if (blank(in.note())) {
                    throw new InvalidInputException(FieldProblem.of("note", in.note(), "判定非排污口须说明现场情况",
                            "say what was found on site when it is not an outfall"));
                }
                status = PointStatus.REJECTED;
            }
        }
        jdbc.sql("""
                UPDATE campaign_point SET status = :status, outfall_id = :outfall, verified_by = :by, verified_at = now(),
                    verified_longitude = :lon, verified_latitude = :lat, verification_note = :note
                WHERE id = :id AND status = 'SUSPECTED'""")
                .param("status", status.name()).param("outfall", outfallId).param("by", user.username())
                .param("lon", lon).param("lat", lat).param("note", blank(in.note()) ? null : in.note().trim()).param("id", p.id())
                .update();
        if (outfallId != null) {
            Outfall o = steps.find(outfallId, user);
            jdbc.sql("""
                    INSERT INTO campaign_outfall (campaign_id, outfall_id, region_code, water_body_id, point_id)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(c.id(), outfallId, o.regionCode(), o.waterBodyId(), p.id()).update();
        }
        Point after = point(p.id(), user);
        audit.record(user, "VERIFY", "campaign_point", String.valueOf(p.id()), in.decision().name(), p, after);
        return after;
    }

    /** An outfall already in the ledger joins the campaign's work list (新老衔接: known outfalls are remediated too). */
    @Transactional
    void addOutfall(long campaignId, long outfallId, CurrentUser user) {
        requireRegulator(user);
        Campaign c = find(campaignId, user);
        Outfall o = steps.find(outfallId, user);
        if (!inArea(c, o.regionCode(), o.waterBodyId())) {
            throw new InvalidInputException(FieldProblem.of("outfallId", outfallId, "该排污口不在本次排查区域内",
                    "this outfall is outside the campaign's area"));
        }
        int n = jdbc.sql("""
                INSERT INTO campaign_outfall (campaign_id, outfall_id, region_code, water_body_id)
                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(campaignId, outfallId, o.regionCode(), o.waterBodyId()).update();
        if (n > 0) {
            audit.record(user, "ADD_OUTFALL", "campaign", String.valueOf(campaignId), null, null, Map.of("outfallId", outfallId));
        }
    }

    /** The campaign's outfalls (ids) the caller can see. */
    List<Long> outfallIds(long campaignId, CurrentUser user) {
        find(campaignId, user);
        Scope.Clause s = scope.of("co", user, false);
        return jdbc.sql("SELECT co.outfall_id FROM campaign_outfall co WHERE co.campaign_id = :c AND " + s.sql()
                        + " ORDER BY co.outfall_id").param("c", campaignId).params(s.params()).query(Long.class).list();
    }

    private void requireInCampaign(long campaignId, long outfallId) {
        boolean in = jdbc.sql("SELECT EXISTS (SELECT 1 FROM campaign_outfall WHERE campaign_id = ? AND outfall_id = ?)")
                .params(campaignId, outfallId).query(Boolean.class).single();
        if (!in) {
            throw new InvalidInputException(FieldProblem.of("outfallId", outfallId, "该排污口不在本次排查的工作清单中（先核实点位或加入台账排污口）",
                    "this outfall is not on the campaign's list (verify a point or add the ledger outfall first)"));
        }
    }

    // ---- 测: sampling -------------------------------------------------------------------------------------------

    @Transactional
    SamplingTask planSampling(long campaignId, SamplingInput in, CurrentUser user) {
        requireFieldStaff(user);
        find(campaignId, user);
        Outfall o = steps.find(in.outfallId(), user);
        requireInCampaign(campaignId, o.id());
        if (in.dueOn() == null) {
            throw new InvalidInputException(FieldProblem.of("dueOn", null, "采样期限必填", "a due date is required"));
        }
        if (o.lifecycle() == Lifecycle.SUSPECTED || o.lifecycle() == Lifecycle.NOT_AN_OUTFALL || o.lifecycle() == Lifecycle.CANCELLED) {
            throw new InvalidInputException(FieldProblem.of("outfallId", o.id(), "只对已核实的排污口安排采样",
                    "only verified outfalls are sampled"));
        }
        List<String> factors = in.factors() == null ? List.of() : in.factors().stream().filter(f -> !blank(f)).map(String::trim).toList();
        long id = jdbc.sql("""
                INSERT INTO sampling_task (campaign_id, outfall_id, region_code, water_body_id, party_id, due_on, factors, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(campaignId, o.id(), o.regionCode(), o.waterBodyId(), leadParty(o), in.dueOn(),
                        factors.toArray(String[]::new), user.username())
                .query(Long.class).single();
        SamplingTask t = task(id, user);
        audit.record(user, "CREATE", "sampling_task", String.valueOf(id), null, null, t);
        return t;
    }

    SamplingTask task(long id, CurrentUser user) {
        Scope.Clause s = scope.of("t", user);
        return jdbc.sql(TASK + " WHERE t.id = :id AND " + s.sql()).param("id", id).params(s.params())
                .query(Campaigns::task).optional().orElseThrow(() -> new NotFoundException("sampling task " + id));
    }

    List<SamplingTask> tasks(long campaignId, CurrentUser user) {
        find(campaignId, user);
        Scope.Clause s = scope.of("t", user);
        return jdbc.sql(TASK + " WHERE t.campaign_id = :c AND " + s.sql() + " ORDER BY t.due_on, t.id")
                .param("c", campaignId).params(s.params()).query(Campaigns::task).list();
    }

    /** The sample was taken: when (the key that links the lab's results to this task) and by whom. */
    @Transactional
    SamplingTask recordSample(long taskId, SampleInput in, CurrentUser user) {
        requireFieldStaff(user);
        SamplingTask t = task(taskId, user);
        if (!t.status().equals("PLANNED")) {
            throw new InvalidInputException(FieldProblem.of("sampledAt", in.sampledAt(), "该任务已采样", "this task has already been sampled"));
        }
        if (in.sampledAt() == null || in.sampledAt().isAfter(Instant.now().plusSeconds(300))) {
            throw new InvalidInputException(FieldProblem.of("sampledAt", in.sampledAt(), "采样时间必填且不能晚于现在",
                    "the sampling time is required and cannot be in the future"));
        }
        if (blank(in.sampler())) {
            throw new InvalidInputException(FieldProblem.of("sampler", in.sampler(), "采样人必填", "the sampler is required"));
        }
        jdbc.sql("UPDATE sampling_task SET status = 'SAMPLED', sampled_at = ?, sampler = ?, sample_note = ? WHERE id = ?")
                .params(Timestamp.from(in.sampledAt()), in.sampler().trim(), blank(in.note()) ? null : in.note().trim(), taskId)
                .update();
        SamplingTask after = task(taskId, user);
        audit.record(user, "SAMPLED", "sampling_task", String.valueOf(taskId), null, t, after);
        return after;
    }

    /** Marks a task's results as in and moves the outfall to MONITORED; called by {@link SamplingResults}. */
    void resultsIn(long taskId, int count, CurrentUser by) {
        int n = jdbc.sql("UPDATE sampling_task SET status = 'RESULTS_IN', result_count = ?, results_at = now() WHERE id = ? AND status = 'SAMPLED'")
                .params(count, taskId).update();
        if (n == 0) {
            return;
        }
        long outfallId = jdbc.sql("SELECT outfall_id FROM sampling_task WHERE id = ?").param(taskId).query(Long.class).single();
        audit.record(by, "RESULTS_IN", "sampling_task", String.valueOf(taskId), "监测结果已导入 lab results imported", null,
                Map.of("results", count));
        steps.advance(outfallId, Lifecycle.MONITORED, "采样监测完成（监测结果已导入）sampling results in, task " + taskId, by);
    }

    // ---- 溯: tracing --------------------------------------------------------------------------------------------

    /**
     * Records who is responsible (谁污染、谁治理) or, when no polluter can be found, the local government as backstop
     * (属地政府兜底, 国办函〔2022〕17号), with the evidence; the ledger's parties and lifecycle follow.
     */
    @Transactional
    Trace trace(Long campaignId, TraceInput in, CurrentUser user) {
        requireFieldStaff(user);
        if (campaignId != null) {
            find(campaignId, user);
            requireInCampaign(campaignId, in.outfallId());
        }
        Outfall o = steps.find(in.outfallId(), user);
        List<FieldProblem> problems = new ArrayList<>();
        Organization party = in.partyId() == null ? null : organizations.find(in.partyId()).orElse(null);
        boolean backstop = Boolean.TRUE.equals(in.backstop());
        if (party == null || party.kind() != Organization.Kind.PARTY) {
            problems.add(FieldProblem.of("partyId", in.partyId(), "须指定责任主体（单位）", "name the responsible party (an organization)"));
        } else if (backstop && party.partyType() != Organization.PartyType.GOVERNMENT_BACKSTOP) {
            problems.add(FieldProblem.of("partyId", in.partyId(), "兜底责任主体须为属地人民政府", "a backstop party must be the local government"));
        }
        if (blank(in.method())) {
            problems.add(FieldProblem.of("method", in.method(), "须说明溯源方法（如管网排查、示踪、走访）",
                    "say how it was traced (network survey, tracer, interviews…)"));
        }
        if (blank(in.evidence())) {
            problems.add(FieldProblem.of("evidence", in.evidence(), "须记录溯源依据", "the evidence is required"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO trace_record (campaign_id, outfall_id, region_code, water_body_id, party_id, backstop, method,
                                          evidence, traced_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(campaignId, o.id(), o.regionCode(), o.waterBodyId(), party.id(), backstop, in.method().trim(),
                        in.evidence().trim(), user.username())
                .query(Long.class).single();
        steps.traced(o.id(), party.id(), "溯源：" + (backstop ? "属地政府兜底 " : "") + party.name() + " traced", user);
        Trace t = traces(o.id(), user).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
        audit.record(user, "CREATE", "trace_record", String.valueOf(id), null, null, t);
        return t;
    }

    List<Trace> traces(long outfallId, CurrentUser user) {
        Scope.Clause s = scope.of("r", user);
        List<Trace> raw = jdbc.sql("""
                SELECT r.id, r.campaign_id, r.outfall_id, r.party_id, r.backstop, r.method, r.evidence, r.traced_by, r.traced_at
                FROM trace_record r WHERE r.outfall_id = :o AND """ + s.sql() + " ORDER BY r.id")
                .param("o", outfallId).params(s.params())
                .query((rs, i) -> new Trace(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3), rs.getLong(4), null,
                        rs.getBoolean(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant()))
                .list();
        Map<Long, Organization> orgs = organizations.byIds(raw.stream().map(Trace::partyId).toList());
        return raw.stream().map(t -> new Trace(t.id(), t.campaignId(), t.outfallId(), t.partyId(),
                orgs.containsKey(t.partyId()) ? orgs.get(t.partyId()).name() : null, t.backstop(), t.method(), t.evidence(),
                t.tracedBy(), t.tracedAt())).toList();
    }

    Outfall outfall(long outfallId, CurrentUser user) {
        return steps.find(outfallId, user);
    }

    static Long leadParty(Outfall o) {
        Outfall.Party p = o.leadParty();
        return p == null ? null : p.organizationId();
    }

    // ---- mapping ------------------------------------------------------------------------------------------------

    private static final String CAMPAIGN = """
            SELECT c.id, c.name, c.level, c.region_code, c.basin, c.water_body_ids, c.starts_on, c.ends_on, c.organizer_id,
                   c.participant_ids, c.duplicate_radius_m, c.created_by, c.created_at FROM campaign c""";

    private Campaign campaign(ResultSet rs, int i) throws SQLException {
        return new Campaign(rs.getLong(1), rs.getString(2), Level.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5) == null ? null : Basin.valueOf(rs.getString(5)), longs(rs.getArray(6)),
                rs.getObject(7, LocalDate.class), rs.getObject(8, LocalDate.class), rs.getLong(9), longs(rs.getArray(10)),
                rs.getInt(11), rs.getString(12), rs.getTimestamp(13).toInstant());
    }

    static List<Long> longs(java.sql.Array a) throws SQLException {
        return a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(x -> ((Number) x).longValue()).toList();
    }

    static List<String> strings(java.sql.Array a) throws SQLException {
        return a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }

    private static final String POINT = """
            SELECT p.id, p.campaign_id, p.survey_level, p.source, p.ref, p.longitude, p.latitude, p.region_code,
                   p.water_body_id, p.type_hint, p.note, p.nearest_outfall_id, p.nearest_distance_m, p.status, p.outfall_id,
                   p.verified_by, p.verified_at, p.verified_longitude, p.verified_latitude, p.verification_note
            FROM campaign_point p""";

    private static Point point(ResultSet rs, int i) throws SQLException {
        return new Point(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getDouble(6), rs.getDouble(7), rs.getString(8), (Long) rs.getObject(9), rs.getString(10),
                rs.getString(11), (Long) rs.getObject(12), dbl(rs, 13), PointStatus.valueOf(rs.getString(14)),
                (Long) rs.getObject(15), rs.getString(16), instant(rs, 17), dbl(rs, 18), dbl(rs, 19), rs.getString(20));
    }

    private static final String TASK = """
            SELECT t.id, t.campaign_id, t.outfall_id, t.region_code, t.due_on, t.factors, t.status, t.sampled_at, t.sampler,
                   t.sample_note, t.result_count, t.results_at, t.created_by FROM sampling_task t""";

    private static SamplingTask task(ResultSet rs, int i) throws SQLException {
        return new SamplingTask(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3), rs.getString(4),
                rs.getObject(5, LocalDate.class), strings(rs.getArray(6)), rs.getString(7), instant(rs, 8), rs.getString(9),
                rs.getString(10), rs.getInt(11), instant(rs, 12), rs.getString(13));
    }

    static Double dbl(ResultSet rs, int col) throws SQLException {
        BigDecimal b = rs.getBigDecimal(col);
        return b == null ? null : b.doubleValue();
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static <K, V> Map<K, V> map(List<Map.Entry<K, V>> entries) {
        Map<K, V> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }
}
