package org.gongzhi.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Regulators and responsible parties. */
@Service
public class Organizations {

    private static final String COLUMNS = "id, kind, name, level, region_code, basin, party_type, uscc, contact_phone";

    private final JdbcClient jdbc;
    private final Regions regions;
    private final AuditLog audit;

    public Organizations(JdbcClient jdbc, Regions regions, AuditLog audit) {
        this.jdbc = jdbc;
        this.regions = regions;
        this.audit = audit;
    }

    public Optional<Organization> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE id = ?").param(id).query(Organizations::map)
                .optional();
    }

    public Optional<Organization> findByUscc(String uscc) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE uscc = ?").param(uscc)
                .query(Organizations::map).optional();
    }

    public java.util.Map<Long, Organization> byIds(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        java.util.Map<Long, Organization> result = new java.util.HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE id = ANY(?)").param(ids.toArray(Long[]::new))
                .query(Organizations::map).list().forEach(o -> result.put(o.id(), o));
        return result;
    }

    /** The organizations with these credit codes, by code (for imports, one query per chunk of rows). */
    public Map<String, Organization> byUsccs(java.util.Collection<String> usccs) {
        Map<String, Organization> result = new java.util.HashMap<>();
        if (!usccs.isEmpty()) {
            jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE uscc = ANY(?)").param(usccs.toArray(String[]::new))
                    .query(Organizations::map).list().forEach(o -> result.put(o.uscc(), o));
        }
        return result;
    }

    /** The responsible parties with these names, by name; of parties sharing a name, the first registered. */
    public Map<String, Organization> partiesByNames(java.util.Collection<String> names) {
        Map<String, Organization> result = new java.util.HashMap<>();
        if (!names.isEmpty()) {
            jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE kind = 'PARTY' AND name = ANY(?) ORDER BY id")
                    .param(names.toArray(String[]::new)).query(Organizations::map).list()
                    .forEach(o -> result.putIfAbsent(o.name(), o));
        }
        return result;
    }

    public Optional<Organization> findPartyByName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE kind = 'PARTY' AND name = ? ORDER BY id LIMIT 1")
                .param(name).query(Organizations::map).optional();
    }

    /**
     * The province, city and county regulators (生态环境部门) whose jurisdiction contains {@code regionCode}, lowest
     * level first: whom a finding at an outfall there concerns (compliance alerts escalate county → city → province).
     */
    public List<Organization> regulatorsOver(String regionCode) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE kind = 'REGULATOR' AND level IN ('PROVINCE', 'CITY', 'COUNTY') "
                        + "AND region_code IN (?, ?, ?) ORDER BY CASE level WHEN 'COUNTY' THEN 0 WHEN 'CITY' THEN 1 ELSE 2 END, id")
                .params(regionCode, regionCode.substring(0, 4) + "00", regionCode.substring(0, 2) + "0000")
                .query(Organizations::map).list();
    }

    /**
     * Organizations the user may see: NATIONAL all; REGION those seated in it; BASIN the regulators of its basin
     * and all parties (a basin's outfalls belong to parties seated anywhere); PARTY only its own organization.
     */
    public List<Organization> visibleTo(CurrentUser user, Organization.Kind kind) {
        return select(user, kind, false);
    }

    /**
     * Organizations whose users an administrator manages (creates, disables, resets passwords of): never one whose
     * jurisdiction reaches beyond the administrator's own. NATIONAL all; REGION the province, city and county
     * regulators and the parties seated in the region; BASIN the regulators of its basin only (a party is managed
     * where it is seated, not by every basin its outfalls drain to); PARTY its own organization.
     */
    public List<Organization> managedBy(CurrentUser admin, Organization.Kind kind) {
        return select(admin, kind, true);
    }

    private List<Organization> select(CurrentUser user, Organization.Kind kind, boolean managed) {
        Jurisdiction j = user.jurisdiction();
        String where = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> managed
                    ? "(region_code LIKE :prefix || '%' AND (kind = 'PARTY' OR level IN ('PROVINCE', 'CITY', 'COUNTY')))"
                    : "(region_code LIKE :prefix || '%')";
            case BASIN -> managed ? "(kind = 'REGULATOR' AND basin = :basin)" : "(kind = 'PARTY' OR basin = :basin)";
            case PARTY -> "id = :party";
        };
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM organization WHERE kind = :kind AND " + where
                + " ORDER BY kind DESC, level NULLS LAST, region_code NULLS FIRST, name LIMIT 2000")
                .param("kind", kind.name());
        switch (j.scope()) {
            case REGION -> spec = spec.param("prefix", j.regionPrefix());
            case BASIN -> spec = spec.param("basin", j.basin().name());
            case PARTY -> spec = spec.param("party", j.partyId());
            case NATIONAL -> { }
        }
        return spec.query(Organizations::map).list();
    }

    /** Creates a regulator or party after validating it; a user can only create organizations inside their own jurisdiction. */
    @Transactional
    public Organization create(Organization o, CurrentUser by) {
        List<FieldProblem> problems = new ArrayList<>();
        if (o.name() == null || o.name().isBlank()) {
            problems.add(FieldProblem.of("name", o.name(), "名称必填", "name is required"));
        }
        if (o.kind() == null) {
            problems.add(FieldProblem.of("kind", null, "类别必填", "kind is required"));
        } else if (o.kind() == Organization.Kind.REGULATOR) {
            if (o.level() == null) {
                problems.add(FieldProblem.of("level", null, "监管部门层级必填", "level is required for a regulator"));
            } else if (o.level() == Organization.Level.BASIN_BUREAU && o.basin() == null) {
                problems.add(FieldProblem.of("basin", null, "流域局须指定流域", "a basin bureau needs a basin"));
            } else if (o.level() != Organization.Level.MINISTRY && o.level() != Organization.Level.BASIN_BUREAU) {
                checkRegion(o.regionCode(), problems);
            }
        } else {
            if (o.partyType() == null) {
                problems.add(FieldProblem.of("partyType", null, "责任主体类型必填", "party type is required"));
            }
            if (o.uscc() != null && !o.uscc().isBlank()) {
                FieldProblem p = UnifiedSocialCreditCode.check("uscc", o.uscc());
                if (p != null) {
                    problems.add(p);
                } else if (findByUscc(o.uscc()).isPresent()) {
                    problems.add(FieldProblem.of("uscc", o.uscc(), "该统一社会信用代码已登记", "this credit code is already registered"));
                }
            }
            if (o.regionCode() != null && !o.regionCode().isBlank()) {
                checkRegion(o.regionCode(), problems);
            }
        }
        // A ministry or basin bureau sees beyond any region, so only a national user may create one: otherwise a
        // regional admin could create one "inside" their region and an admin user in it, and leave their jurisdiction.
        boolean beyondRegions = o.kind() == Organization.Kind.REGULATOR
                && (o.level() == Organization.Level.MINISTRY || o.level() == Organization.Level.BASIN_BUREAU);
        boolean national = by.jurisdiction().scope() == Jurisdiction.Scope.NATIONAL;
        if (problems.isEmpty() && beyondRegions && !national) {
            problems.add(FieldProblem.of("level", o.level(), "只有国家级管理员可以创建生态环境部或流域局",
                    "only a national administrator can create a ministry or a basin bureau"));
        }
        boolean inside = national || (o.regionCode() != null && by.jurisdiction().coversRegion(o.regionCode()));
        if (problems.isEmpty() && !inside) {
            problems.add(FieldProblem.of("regionCode", o.regionCode(), "只能在本辖区内创建单位",
                    "organizations can only be created inside your jurisdiction"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO organization (kind, name, level, region_code, basin, party_type, uscc, contact_phone)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(o.kind().name(), o.name().trim(), name(o.level()), beyondRegions ? null : blank(o.regionCode()),
                        name(o.basin()),
                        name(o.partyType()), blank(o.uscc()), blank(o.contactPhone()))
                .query(Long.class).single();
        Organization created = find(id).orElseThrow();
        audit.record("CREATE", "organization", String.valueOf(id), null, null, created);
        return created;
    }

    /**
     * Creates many responsible parties at once (an import naming parties the platform does not know yet),
     * validated like {@link #create}, written in one batch with one audit entry each.
     */
    @Transactional
    public List<Organization> createParties(List<Organization> parties, CurrentUser by) {
        if (parties.isEmpty()) {
            return List.of();
        }
        List<FieldProblem> problems = new ArrayList<>();
        java.util.Set<String> usccs = new java.util.HashSet<>();
        for (int i = 0; i < parties.size(); i++) {
            Organization o = parties.get(i);
            if (o.kind() != Organization.Kind.PARTY || o.partyType() == null || o.name() == null || o.name().isBlank()) {
                problems.add(FieldProblem.of("parties[" + i + "]", o.name(), "责任主体须有名称和类型", "a party needs a name and a type"));
            }
            if (o.uscc() != null && !o.uscc().isBlank()) {
                FieldProblem p = UnifiedSocialCreditCode.check("parties[" + i + "].uscc", o.uscc());
                if (p != null) {
                    problems.add(p);
                } else if (!usccs.add(o.uscc())) {
                    problems.add(FieldProblem.of("parties[" + i + "].uscc", o.uscc(), "统一社会信用代码重复", "credit code listed twice"));
                }
            }
            if (o.regionCode() != null && regions.find(o.regionCode()).isEmpty()) {
                checkRegion(o.regionCode(), problems);
            }
            boolean inside = by.jurisdiction().scope() == Jurisdiction.Scope.NATIONAL
                    || (o.regionCode() != null && by.jurisdiction().coversRegion(o.regionCode()));
            if (!inside) {
                problems.add(FieldProblem.of("parties[" + i + "].regionCode", o.regionCode(), "只能在本辖区内创建单位",
                        "organizations can only be created inside your jurisdiction"));
            }
        }
        if (!usccs.isEmpty()) {
            jdbc.sql("SELECT uscc FROM organization WHERE uscc = ANY(?)").param(usccs.toArray(String[]::new))
                    .query(String.class).list().forEach(u -> problems.add(FieldProblem.of("uscc", u,
                            "该统一社会信用代码已登记", "this credit code is already registered")));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        // Ids first, so that each new party is known by its place in the list, whatever order the rows land in.
        List<Long> ids = jdbc.sql("SELECT nextval(pg_get_serial_sequence('organization', 'id')) FROM generate_series(1, ?)")
                .param(parties.size()).query(Long.class).list();
        List<Organization> created = new ArrayList<>(parties.size());
        for (int i = 0; i < parties.size(); i++) {
            Organization o = parties.get(i);
            created.add(new Organization(ids.get(i), Organization.Kind.PARTY, o.name().trim(), null, blank(o.regionCode()),
                    null, o.partyType(), blank(o.uscc()), blank(o.contactPhone())));
        }
        jdbc.sql("""
                INSERT INTO organization (id, kind, name, region_code, party_type, uscc, contact_phone)
                SELECT id, 'PARTY', name, region_code, party_type, uscc, phone
                FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS t(id, name, region_code, party_type, uscc, phone)""")
                .params(created.stream().map(Organization::id).toArray(Long[]::new),
                        created.stream().map(Organization::name).toArray(String[]::new),
                        created.stream().map(Organization::regionCode).toArray(String[]::new),
                        created.stream().map(o -> o.partyType().name()).toArray(String[]::new),
                        created.stream().map(Organization::uscc).toArray(String[]::new),
                        created.stream().map(Organization::contactPhone).toArray(String[]::new))
                .update();
        audit.recordAll(by, "CREATE", "organization", null,
                created.stream().map(o -> new AuditLog.Change(String.valueOf(o.id()), null, o)).toList());
        return created;
    }

    private void checkRegion(String code, List<FieldProblem> problems) {
        if (code == null || regions.find(code).isEmpty()) {
            problems.add(FieldProblem.of("regionCode", code, "不是现行的GB/T 2260行政区划代码",
                    "not a current GB/T 2260 region code"));
        }
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static Organization map(ResultSet rs, int i) throws SQLException {
        return new Organization(rs.getLong(1), Organization.Kind.valueOf(rs.getString(2)), rs.getString(3),
                rs.getString(4) == null ? null : Organization.Level.valueOf(rs.getString(4)), rs.getString(5),
                rs.getString(6) == null ? null : Basin.valueOf(rs.getString(6)),
                rs.getString(7) == null ? null : Organization.PartyType.valueOf(rs.getString(7)), rs.getString(8),
                rs.getString(9));
    }
}
