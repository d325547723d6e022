package org.gongzhi.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Region;
import org.gongzhi.platform.WaterBodies;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain SQL over the ledger's own tables (outfall, outfall_party, outfall_version, code_sequence). Every read
 * takes a {@link Jurisdiction} and adds it to the WHERE clause, so nothing outside it is ever loaded.
 */
@Repository
class OutfallRepository {

    private static final String COLUMNS = """
            o.id, o.national_code, o.local_code, o.name, o.type_code, o.regime, o.lifecycle, o.region_code,
            o.water_body_id, o.longitude, o.latitude, o.discharge_mode, o.discharge_pattern, o.design_capacity,
            o.sampling_points::text, o.inspection_wells::text, o.signboard::text, o.version, o.created_at,
            o.updated_at, o.updated_by""";

    /** The columns a filter needs, for the current table and for the JSON snapshots of past versions. */
    private record Source(String from, String id, String regionCode, String typeCode, String regime, String lifecycle,
                          String waterBodyId, String name, String nationalCode, String codeOrder, String localCode,
                          String updatedAt, boolean snapshots) {
    }

    /** regionCode and codeOrder say COLLATE "C" to match the index (region_code, national_code) of V7. */
    private static final Source CURRENT = new Source("outfall o", "o.id", "(o.region_code COLLATE \"C\")", "o.type_code",
            "o.regime", "o.lifecycle", "o.water_body_id", "o.name", "o.national_code", "(o.national_code COLLATE \"C\")",
            "o.local_code", "o.updated_at", false);
    private static final Source AS_OF = new Source("outfall_version v", "v.outfall_id", "(v.snapshot->>'regionCode')",
            "(v.snapshot->>'typeCode')", "(v.snapshot->>'regime')", "(v.snapshot->>'lifecycle')",
            "((v.snapshot->>'waterBodyId')::bigint)", "(v.snapshot->>'name')", "(v.snapshot->>'nationalCode')",
            "(v.snapshot->>'nationalCode')", "(v.snapshot->>'localCode')", "v.valid_from", true);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Organizations organizations;
    private final WaterBodies waterBodies;
    private final OutfallTypes types;

    OutfallRepository(JdbcClient jdbc, JsonMapper json, Organizations organizations, WaterBodies waterBodies,
                      OutfallTypes types) {
        this.jdbc = jdbc;
        this.json = json;
        this.organizations = organizations;
        this.waterBodies = waterBodies;
        this.types = types;
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    Optional<Outfall> find(long id, Jurisdiction j) {
        Where w = new Where(CURRENT).eq("o.id", "id", id).jurisdiction(j);
        return withParties(w.bind(jdbc.sql("SELECT " + COLUMNS + " FROM outfall o WHERE " + w))
                .query(this::mapRow).list()).stream().findFirst();
    }

    Optional<Outfall> findByNationalCode(String code) {
        return withParties(jdbc.sql("SELECT " + COLUMNS + " FROM outfall o WHERE o.national_code = ?").param(code)
                .query(this::mapRow).list()).stream().findFirst();
    }

    /** Matches an import row to an existing outfall: by local code, else by region and name. */
    Optional<Outfall> findByLocalCodeOrName(String regionCode, String localCode, String name) {
        List<Outfall> found = localCode == null ? List.of() : jdbc.sql(
                        "SELECT " + COLUMNS + " FROM outfall o WHERE o.region_code = ? AND o.local_code = ? LIMIT 2")
                .params(regionCode, localCode).query(this::mapRow).list();
        if (found.isEmpty()) {
            found = jdbc.sql("SELECT " + COLUMNS + " FROM outfall o WHERE o.region_code = ? AND o.name = ? LIMIT 2")
                    .params(regionCode, name).query(this::mapRow).list();
        }
        return found.size() == 1 ? withParties(found).stream().findFirst() : Optional.empty();
    }

    static final long COUNT_LIMIT = 10_000;

    LedgerPage<Outfall> search(LedgerQuery q, Jurisdiction j) {
        Source s = q.asOf() == null ? CURRENT : AS_OF;
        Where w = filters(s, q, j);
        String order = orderBy(s, q);
        // Counting stops at COUNT_LIMIT: beyond that a person refines the filter, and an exact count of a
        // nationwide match would cost more than the page itself. Exports and statistics count exactly.
        long total = w.bind(jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM " + s.from() + " WHERE " + w
                + " LIMIT :countLimit) c")).param("countLimit", COUNT_LIMIT + 1).query(Long.class).single();
        String select = s.snapshots() ? "SELECT v.snapshot::text FROM " : "SELECT " + COLUMNS + " FROM ";
        List<Outfall> items = w.bind(jdbc.sql(select + s.from() + " WHERE " + w + " ORDER BY " + order
                        + " LIMIT :limit OFFSET :offset"))
                .param("limit", q.size()).param("offset", (long) q.page() * q.size())
                .query(s.snapshots() ? (rs, i) -> fromJson(rs.getString(1)) : this::mapRow).list();
        return new LedgerPage<>(s.snapshots() ? items : withParties(items), Math.min(total, COUNT_LIMIT), total <= COUNT_LIMIT,
                q.page(), q.size());
    }

    /** Every match, in order, in chunks: for exports and the map, without holding the whole ledger in memory. */
    void forEach(LedgerQuery q, Jurisdiction j, Consumer<Outfall> sink) {
        Source s = q.asOf() == null ? CURRENT : AS_OF;
        Where w = filters(s, q, j);
        String select = s.snapshots() ? "SELECT v.snapshot::text FROM " : "SELECT " + COLUMNS + " FROM ";
        try (Stream<Outfall> rows = w.bind(jdbc.sql(select + s.from() + " WHERE " + w + " ORDER BY " + orderBy(s, q)))
                .withFetchSize(1000)
                .query(s.snapshots() ? (rs, i) -> fromJson(rs.getString(1)) : this::mapRow).stream()) {
            List<Outfall> chunk = new ArrayList<>(1000);
            rows.forEach(o -> {
                chunk.add(o);
                if (chunk.size() == 1000) {
                    (s.snapshots() ? chunk : withParties(chunk)).forEach(sink);
                    chunk.clear();
                }
            });
            (s.snapshots() ? chunk : withParties(chunk)).forEach(sink);
        }
    }

    record Version(int version, Instant validFrom, Instant validTo, String changedBy, String reason, Outfall snapshot) {
    }

    List<Version> versions(long id) {
        return jdbc.sql("""
                SELECT version, valid_from, valid_to, changed_by, reason, snapshot::text FROM outfall_version
                WHERE outfall_id = ? ORDER BY version""")
                .param(id)
                .query((rs, i) -> new Version(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), fromJson(rs.getString(6))))
                .list();
    }

    Optional<Outfall> asOf(long id, Instant at, Jurisdiction j) {
        LedgerQuery q = new LedgerQuery(null, null, null, null, null, null, null, at, null, false, 0, 1);
        Where w = filters(AS_OF, q, j).eq("v.outfall_id", "id", id);
        return w.bind(jdbc.sql("SELECT v.snapshot::text FROM outfall_version v WHERE " + w))
                .query((rs, i) -> fromJson(rs.getString(1))).optional();
    }

    private Where filters(Source s, LedgerQuery q, Jurisdiction j) {
        Where w = new Where(s).jurisdiction(j);
        if (s.snapshots()) {
            w.add("v.valid_from <= :asOf AND (v.valid_to IS NULL OR v.valid_to > :asOf)", "asOf", Timestamp.from(q.asOf()));
        }
        if (q.regionCode() != null) {
            w.add(s.regionCode() + " LIKE :region", "region", Region.significantPrefix(q.regionCode()) + "%");
        }
        if (q.typeCode() != null) {
            List<String> codes = typeCodes(q.typeCode());
            w.add(s.typeCode() + " IN (:types)", "types", codes.isEmpty() ? List.of("-") : codes);
        }
        if (q.regime() != null) {
            w.eq(s.regime(), "regime", q.regime().name());
        }
        if (q.lifecycle() != null) {
            w.eq(s.lifecycle(), "lifecycle", q.lifecycle().name());
        }
        if (q.waterBodyId() != null) {
            w.eq(s.waterBodyId(), "waterBody", q.waterBodyId());
        }
        if (q.partyId() != null) {
            w.add(partyCondition(s, "party"), "party", q.partyId());
        }
        if (q.text() != null) {
            w.add("(" + s.name() + " ILIKE :text OR " + s.nationalCode() + " ILIKE :text OR " + s.localCode()
                    + " ILIKE :text)", "text", "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        return w;
    }

    private List<String> typeCodes(String typeOrLevel1) {
        return types.all().stream()
                .filter(t -> t.code().equals(typeOrLevel1) || t.level1().name().equals(typeOrLevel1))
                .map(OutfallType::code).toList();
    }

    private static String partyCondition(Source s, String param) {
        return s.snapshots()
                ? "v.snapshot->'parties' @> jsonb_build_array(jsonb_build_object('organizationId', :" + param + "::bigint))"
                : "EXISTS (SELECT 1 FROM outfall_party p WHERE p.outfall_id = o.id AND p.organization_id = :" + param + ")";
    }

    private static String orderBy(Source s, LedgerQuery q) {
        String dir = q.descending() ? " DESC" : " ASC";
        // CODE sorts by region first: default codes begin with the county code, so the order is the same, and
        // (region_code, national_code) is an index that also serves the region filter.
        return switch (q.sort()) {
            case NAME -> s.name() + dir + ", " + s.id() + dir;
            case CODE -> s.regionCode() + dir + ", " + s.codeOrder() + dir;
            case UPDATED -> s.updatedAt() + dir + ", " + s.id() + dir;
            case REGION -> s.regionCode() + dir + ", " + s.name() + dir + ", " + s.id() + dir;
        };
    }

    /** A WHERE clause built from fixed SQL fragments and named parameters; user text only ever goes in parameters. */
    private final class Where {
        private final Source source;
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> params = new HashMap<>();

        Where(Source source) {
            this.source = source;
        }

        Where add(String condition, String name, Object value) {
            conditions.add(condition);
            params.put(name, value);
            return this;
        }

        Where eq(String column, String name, Object value) {
            return add(column + " = :" + name, name, value);
        }

        Where jurisdiction(Jurisdiction j) {
            return switch (j.scope()) {
                case NATIONAL -> this;
                case REGION -> add(source.regionCode() + " LIKE :jregion", "jregion", j.regionPrefix() + "%");
                case BASIN -> add(source.waterBodyId() + " = ANY(:jwater)", "jwater",
                        waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
                case PARTY -> add(partyCondition(source, "jparty"), "jparty", j.partyId());
            };
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
            for (var e : params.entrySet()) {
                spec = spec.param(e.getKey(), e.getValue());
            }
            return spec;
        }

        @Override
        public String toString() {
            return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        }
    }

    // ---- reads for imports ---------------------------------------------------------------------------------------

    /** Identity of an outfall as an import matches it: by national code, else by region and local code or name. */
    record ImportKey(long id, String nationalCode, String regionCode, String localCode, String name) {
    }

    /**
     * In one query, every outfall an import chunk may match: by any of the national codes, by region and local
     * code, or by region and name (the pairs are parallel arrays). The caller decides which match counts.
     */
    List<ImportKey> importCandidates(List<String> nationalCodes, List<String> localRegions, List<String> localCodes,
                                     List<String> nameRegions, List<String> names) {
        // One index lookup per key: LATERAL with LIMIT cannot be flattened into a hash join, so the plan stays
        // an index probe per key however large the table or stale its statistics (a join over the unnested keys
        // was planned as a full scan per chunk once the table grew inside the import transaction). Two matches
        // per key are enough to tell "unique" from "ambiguous".
        return jdbc.sql("""
                SELECT x.id, x.national_code, x.region_code, x.local_code, x.name
                FROM unnest(:codes::text[]) AS t(c)
                CROSS JOIN LATERAL (SELECT o.id, o.national_code, o.region_code, o.local_code, o.name FROM outfall o
                                    WHERE o.national_code = t.c LIMIT 1) x
                UNION
                SELECT x.id, x.national_code, x.region_code, x.local_code, x.name
                FROM unnest(:lregions::text[], :lcodes::text[]) AS t(r, c)
                CROSS JOIN LATERAL (SELECT o.id, o.national_code, o.region_code, o.local_code, o.name FROM outfall o
                                    WHERE o.region_code = t.r::char(6) AND o.local_code = t.c LIMIT 2) x
                UNION
                SELECT x.id, x.national_code, x.region_code, x.local_code, x.name
                FROM unnest(:nregions::text[], :names::text[]) AS t(r, n)
                CROSS JOIN LATERAL (SELECT o.id, o.national_code, o.region_code, o.local_code, o.name FROM outfall o
                                    WHERE o.region_code = t.r::char(6) AND o.name = t.n LIMIT 2) x""")
                .param("codes", nationalCodes.toArray(String[]::new))
                .param("lregions", localRegions.toArray(String[]::new)).param("lcodes", localCodes.toArray(String[]::new))
                .param("nregions", nameRegions.toArray(String[]::new)).param("names", names.toArray(String[]::new))
                .query((rs, i) -> new ImportKey(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    /** The current state of these outfalls with their parties, regardless of jurisdiction (check with {@link #visible}). */
    List<Outfall> findAll(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return withParties(jdbc.sql("SELECT " + COLUMNS + " FROM outfall o WHERE o.id = ANY(:ids)")
                .param("ids", ids.toArray(Long[]::new)).query(this::mapRow).list());
    }

    /** Which of these outfalls lie inside the jurisdiction. */
    java.util.Set<Long> visible(java.util.Collection<Long> ids, Jurisdiction j) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        Where w = new Where(CURRENT).add("o.id = ANY(:ids)", "ids", ids.toArray(Long[]::new)).jurisdiction(j);
        return new java.util.HashSet<>(w.bind(jdbc.sql("SELECT o.id FROM outfall o WHERE " + w)).query(Long.class).list());
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    /** Reserves consecutive sequence numbers for many keys in one statement; returns the last reserved per key. */
    Map<String, Integer> reserveSequences(Map<String, Integer> counts) {
        Map<String, Integer> last = new HashMap<>();
        jdbc.sql("""
                INSERT INTO code_sequence (prefix, last_value)
                SELECT * FROM unnest(?::text[], ?::int[])
                ON CONFLICT (prefix) DO UPDATE SET last_value = code_sequence.last_value + EXCLUDED.last_value
                RETURNING prefix, last_value""")
                .params(counts.keySet().toArray(String[]::new), counts.values().toArray(Integer[]::new))
                .query((rs, i) -> last.put(rs.getString(1), rs.getInt(2))).list();
        return last;
    }

    /** Which of these national codes are already used. */
    java.util.Set<String> existingNationalCodes(java.util.Collection<String> codes) {
        // an index probe per code, whatever the plan cache holds (see importCandidates)
        return new java.util.HashSet<>(jdbc.sql("""
                SELECT t.c FROM unnest(?::text[]) AS t(c)
                WHERE EXISTS (SELECT 1 FROM (SELECT 1 FROM outfall o WHERE o.national_code = t.c LIMIT 1) x)""")
                .param(codes.toArray(String[]::new)).query(String.class).list());
    }

    /**
     * Inserts new outfalls (id 0, version 1, national code set) with their parties and first versions, a few
     * statements per thousand rows (INSERT ... SELECT FROM unnest of column arrays) instead of a round trip per
     * row and table; imports of hundreds of thousands of rows depend on it. Returns them as stored, with ids.
     */
    List<Outfall> insertAll(List<Outfall> outfalls, String reason) {
        List<Outfall> stored = new ArrayList<>(outfalls.size());
        for (int from = 0; from < outfalls.size(); from += 1000) {
            stored.addAll(insertChunk(outfalls.subList(from, Math.min(outfalls.size(), from + 1000)), reason));
        }
        return stored;
    }

    private List<Outfall> insertChunk(List<Outfall> chunk, String reason) {
        int n = chunk.size();
        String[] code = new String[n], local = new String[n], name = new String[n], type = new String[n],
                regime = new String[n], lifecycle = new String[n], region = new String[n], mode = new String[n],
                pattern = new String[n];
        Long[] water = new Long[n];
        Double[] lon = new Double[n], lat = new Double[n], capacity = new Double[n];
        for (int i = 0; i < n; i++) {
            Outfall o = chunk.get(i);
            code[i] = o.nationalCode();
            local[i] = o.localCode();
            name[i] = o.name();
            type[i] = o.typeCode();
            regime[i] = o.regime().name();
            lifecycle[i] = o.lifecycle().name();
            region[i] = o.regionCode();
            water[i] = o.waterBodyId();
            lon[i] = o.longitude();
            lat[i] = o.latitude();
            mode[i] = o.dischargeMode() == null ? null : o.dischargeMode().name();
            pattern[i] = o.dischargePattern() == null ? null : o.dischargePattern().name();
            capacity[i] = o.designCapacity();
        }
        Outfall first = chunk.get(0);
        Map<String, Long> ids = new HashMap<>();
        jdbc.sql("""
                INSERT INTO outfall (national_code, local_code, name, type_code, regime, lifecycle, region_code,
                    water_body_id, longitude, latitude, discharge_mode, discharge_pattern, design_capacity,
                    sampling_points, inspection_wells, signboard, version, created_at, updated_at, updated_by)
                SELECT c, l, n, ty, rg, lc, r, w, lo::numeric, la::numeric, m, p, dc::numeric, '[]', '[]', NULL, 1,
                       :at, :at, :by
                FROM unnest(:code::text[], :local::text[], :name::text[], :type::text[], :regime::text[],
                            :lifecycle::text[], :region::text[], :water::bigint[], :lon::float8[], :lat::float8[],
                            :mode::text[], :pattern::text[], :capacity::float8[])
                     AS t(c, l, n, ty, rg, lc, r, w, lo, la, m, p, dc)
                RETURNING id, national_code""")
                .param("code", code).param("local", local).param("name", name).param("type", type)
                .param("regime", regime).param("lifecycle", lifecycle).param("region", region).param("water", water)
                .param("lon", lon).param("lat", lat).param("mode", mode).param("pattern", pattern)
                .param("capacity", capacity).param("at", Timestamp.from(first.createdAt()))
                .param("by", first.updatedBy())
                .query((rs, i) -> ids.put(rs.getString(2), rs.getLong(1))).list();
        List<Outfall> stored = new ArrayList<>(n);
        List<Long> pOutfall = new ArrayList<>(), pOrg = new ArrayList<>();
        List<Boolean> pLead = new ArrayList<>();
        List<Double> pShare = new ArrayList<>();
        Long[] vId = new Long[n];
        String[] vSnapshot = new String[n];
        for (int i = 0; i < n; i++) {
            Outfall o = chunk.get(i);
            long id = ids.get(o.nationalCode());
            // the order in which reads return parties: the lead first, then by organization
            List<Outfall.Party> parties = o.parties().stream().sorted(java.util.Comparator
                    .comparing((Outfall.Party p) -> !p.lead()).thenComparingLong(Outfall.Party::organizationId)).toList();
            Outfall s = new Outfall(id, o.nationalCode(), o.localCode(), o.name(), o.typeCode(), o.regime(),
                    o.lifecycle(), o.regionCode(), o.waterBodyId(), o.longitude(), o.latitude(), o.dischargeMode(),
                    o.dischargePattern(), o.designCapacity(), parties, o.samplingPoints(), o.inspectionWells(),
                    o.signboard(), o.version(), o.createdAt(), o.updatedAt(), o.updatedBy());
            for (Outfall.Party p : parties) {
                pOutfall.add(id);
                pOrg.add(p.organizationId());
                pLead.add(p.lead());
                pShare.add(p.sharePercent());
            }
            vId[i] = id;
            vSnapshot[i] = json.writeValueAsString(s);
            stored.add(s);
        }
        if (!pOutfall.isEmpty()) {
            jdbc.sql("""
                    INSERT INTO outfall_party (outfall_id, organization_id, lead, share_percent)
                    SELECT o, g, l, s::numeric FROM unnest(:o::bigint[], :g::bigint[], :l::boolean[], :s::float8[]) AS t(o, g, l, s)""")
                    .param("o", pOutfall.toArray(Long[]::new)).param("g", pOrg.toArray(Long[]::new))
                    .param("l", pLead.toArray(Boolean[]::new)).param("s", pShare.toArray(Double[]::new)).update();
        }
        jdbc.sql("""
                INSERT INTO outfall_version (outfall_id, version, valid_from, changed_by, reason, snapshot)
                SELECT o, 1, :at, :by, :reason, s::jsonb FROM unnest(:o::bigint[], :s::text[]) AS t(o, s)""")
                .param("o", vId).param("s", vSnapshot).param("at", Timestamp.from(first.createdAt()))
                .param("by", first.updatedBy()).param("reason", reason).update();
        return stored;
    }

    /** The next unused sequence number under a key; numbers are never handed out twice. */
    int nextSequence(String key) {
        return jdbc.sql("""
                INSERT INTO code_sequence (prefix, last_value) VALUES (?, 1)
                ON CONFLICT (prefix) DO UPDATE SET last_value = code_sequence.last_value + 1
                RETURNING last_value""").param(key).query(Integer.class).single();
    }

    boolean nationalCodeExists(String code) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM outfall WHERE national_code = ?)").param(code)
                .query(Boolean.class).single();
    }

    long insert(Outfall o) {
        long id = jdbc.sql("""
                INSERT INTO outfall (national_code, local_code, name, type_code, regime, lifecycle, region_code,
                    water_body_id, longitude, latitude, discharge_mode, discharge_pattern, design_capacity,
                    sampling_points, inspection_wells, signboard, version, created_at, updated_at, updated_by)
                VALUES (:nationalCode, :localCode, :name, :typeCode, :regime, :lifecycle, :regionCode, :waterBodyId,
                    :longitude, :latitude, :dischargeMode, :dischargePattern, :designCapacity, :samplingPoints::jsonb,
                    :inspectionWells::jsonb, :signboard::jsonb, :version, :createdAt, :updatedAt, :updatedBy)
                RETURNING id""")
                .params(columns(o)).query(Long.class).single();
        replaceParties(id, o.parties());
        return id;
    }

    /** Writes a new version if the stored one is still {@code expectedVersion}; false if someone got there first. */
    boolean update(Outfall o, int expectedVersion) {
        int rows = jdbc.sql("""
                UPDATE outfall SET national_code = :nationalCode, local_code = :localCode, name = :name,
                    type_code = :typeCode, regime = :regime, lifecycle = :lifecycle, region_code = :regionCode,
                    water_body_id = :waterBodyId, longitude = :longitude, latitude = :latitude,
                    discharge_mode = :dischargeMode, discharge_pattern = :dischargePattern,
                    design_capacity = :designCapacity, sampling_points = :samplingPoints::jsonb,
                    inspection_wells = :inspectionWells::jsonb, signboard = :signboard::jsonb, version = :version,
                    updated_at = :updatedAt, updated_by = :updatedBy
                WHERE id = :id AND version = :expectedVersion""")
                .params(withKeys(columns(o), o.id(), expectedVersion)).update();
        if (rows == 1) {
            replaceParties(o.id(), o.parties());
        }
        return rows == 1;
    }

    void appendVersion(Outfall o, String reason) {
        jdbc.sql("UPDATE outfall_version SET valid_to = ? WHERE outfall_id = ? AND valid_to IS NULL")
                .params(Timestamp.from(o.updatedAt()), o.id()).update();
        jdbc.sql("""
                INSERT INTO outfall_version (outfall_id, version, valid_from, changed_by, reason, snapshot)
                VALUES (?, ?, ?, ?, ?, ?::jsonb)""")
                .params(o.id(), o.version(), Timestamp.from(o.updatedAt()), o.updatedBy(), reason,
                        json.writeValueAsString(o))
                .update();
    }

    private void replaceParties(long id, List<Outfall.Party> parties) {
        jdbc.sql("DELETE FROM outfall_party WHERE outfall_id = ?").param(id).update();
        for (Outfall.Party p : parties) {
            jdbc.sql("INSERT INTO outfall_party (outfall_id, organization_id, lead, share_percent) VALUES (?, ?, ?, ?)")
                    .params(id, p.organizationId(), p.lead(), p.sharePercent()).update();
        }
    }

    private static Map<String, Object> withKeys(Map<String, Object> columns, long id, int expectedVersion) {
        columns.put("id", id);
        columns.put("expectedVersion", expectedVersion);
        return columns;
    }

    private Map<String, Object> columns(Outfall o) {
        Map<String, Object> m = new HashMap<>();
        m.put("nationalCode", o.nationalCode());
        m.put("localCode", o.localCode());
        m.put("name", o.name());
        m.put("typeCode", o.typeCode());
        m.put("regime", o.regime().name());
        m.put("lifecycle", o.lifecycle().name());
        m.put("regionCode", o.regionCode());
        m.put("waterBodyId", o.waterBodyId());
        m.put("longitude", o.longitude());
        m.put("latitude", o.latitude());
        m.put("dischargeMode", o.dischargeMode() == null ? null : o.dischargeMode().name());
        m.put("dischargePattern", o.dischargePattern() == null ? null : o.dischargePattern().name());
        m.put("designCapacity", o.designCapacity());
        m.put("samplingPoints", json.writeValueAsString(o.samplingPoints()));
        m.put("inspectionWells", json.writeValueAsString(o.inspectionWells()));
        m.put("signboard", o.signboard() == null ? null : json.writeValueAsString(o.signboard()));
        m.put("version", o.version());
        m.put("createdAt", Timestamp.from(o.createdAt()));
        m.put("updatedAt", Timestamp.from(o.updatedAt()));
        m.put("updatedBy", o.updatedBy());
        return m;
    }

    // ---- mapping -----------------------------------------------------------------------------------------------

    private Outfall mapRow(ResultSet rs, int i) throws SQLException {
        return new Outfall(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Regime.valueOf(rs.getString(6)), Lifecycle.valueOf(rs.getString(7)), rs.getString(8),
                (Long) rs.getObject(9, Long.class), dbl(rs, 10), dbl(rs, 11),
                rs.getString(12) == null ? null : DischargeMode.valueOf(rs.getString(12)),
                rs.getString(13) == null ? null : DischargePattern.valueOf(rs.getString(13)), dbl(rs, 14), List.of(),
                json.readValue(rs.getString(15), new TypeReference<List<Outfall.SamplingPoint>>() { }),
                json.readValue(rs.getString(16), new TypeReference<List<Outfall.InspectionWell>>() { }),
                rs.getString(17) == null ? null : json.readValue(rs.getString(17), Outfall.Signboard.class),
                rs.getInt(18), rs.getTimestamp(19).toInstant(), rs.getTimestamp(20).toInstant(), rs.getString(21));
    }

    private static Double dbl(ResultSet rs, int col) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(col);
        return v == null ? null : v.doubleValue();
    }

    private Outfall fromJson(String snapshot) {
        return json.readValue(snapshot, Outfall.class);
    }

    /** Loads the parties of a page of outfalls in one query, with their names from the platform. */
    private List<Outfall> withParties(List<Outfall> outfalls) {
        if (outfalls.isEmpty()) {
            return outfalls;
        }
        Long[] ids = outfalls.stream().map(Outfall::id).toArray(Long[]::new);
        record Row(long outfallId, long orgId, boolean lead, Double share) {
        }
        List<Row> rows = jdbc.sql("""
                SELECT outfall_id, organization_id, lead, share_percent FROM outfall_party
                WHERE outfall_id = ANY(?) ORDER BY outfall_id, lead DESC, organization_id""")
                .param(ids).query((rs, i) -> new Row(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), dbl(rs, 4))).list();
        if (rows.isEmpty()) {
            return outfalls;
        }
        Map<Long, Organization> orgs = organizations.byIds(rows.stream().map(Row::orgId).distinct().toList());
        Map<Long, List<Outfall.Party>> byOutfall = new HashMap<>();
        for (Row r : rows) {
            Organization org = orgs.get(r.orgId());
            byOutfall.computeIfAbsent(r.outfallId(), k -> new ArrayList<>()).add(new Outfall.Party(r.orgId(),
                    org == null ? "?" : org.name(), org == null ? null : org.uscc(), r.lead(), r.share()));
        }
        List<Outfall> result = new ArrayList<>(outfalls.size());
        for (Outfall o : outfalls) {
            List<Outfall.Party> parties = byOutfall.getOrDefault(o.id(), List.of());
            result.add(parties.isEmpty() ? o : withParties(o, parties));
        }
        return result;
    }

    static Outfall withParties(Outfall o, List<Outfall.Party> parties) {
        return new Outfall(o.id(), o.nationalCode(), o.localCode(), o.name(), o.typeCode(), o.regime(), o.lifecycle(),
                o.regionCode(), o.waterBodyId(), o.longitude(), o.latitude(), o.dischargeMode(), o.dischargePattern(),
                o.designCapacity(), List.copyOf(parties), o.samplingPoints(), o.inspectionWells(), o.signboard(),
                o.version(), o.createdAt(), o.updatedAt(), o.updatedBy());
    }
}
