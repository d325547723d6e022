package org.gongzhi.ledger;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.WaterBodies;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Batch look-ups of outfalls for other modules (monitoring lists thousands of devices at once): which of these
 * outfalls the caller may see, with the few fields a list needs. Same jurisdiction rules as
 * {@link Ledger#find}: region subtree, basin (water bodies of the basin), or the party's own outfalls.
 */
@Service
public class LedgerLookup {

    /** What another module may show about an outfall next to its own data. */
    public record OutfallRef(long id, String nationalCode, String name, String regionCode) {
    }

    private final JdbcClient jdbc;
    private final WaterBodies waterBodies;

    LedgerLookup(JdbcClient jdbc, WaterBodies waterBodies) {
        this.jdbc = jdbc;
        this.waterBodies = waterBodies;
    }

    /** The outfalls among {@code ids} that lie inside the caller's jurisdiction, by id (in id order). */
    public Map<Long, OutfallRef> visible(Collection<Long> ids, CurrentUser user) {
        Map<Long, OutfallRef> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Jurisdiction j = user.jurisdiction();
        String where = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> "o.region_code LIKE :j";
            case BASIN -> "o.water_body_id = ANY(:j)";
            case PARTY -> "EXISTS (SELECT 1 FROM outfall_party p WHERE p.outfall_id = o.id AND p.organization_id = :j)";
        };
        var spec = jdbc.sql("SELECT o.id, o.national_code, o.name, o.region_code FROM outfall o "
                + "WHERE o.id = ANY(:ids) AND " + where + " ORDER BY o.id").param("ids", ids.toArray(Long[]::new));
        spec = switch (j.scope()) {
            case NATIONAL -> spec;
            case REGION -> spec.param("j", j.regionPrefix() + "%");
            case BASIN -> spec.param("j", waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
            case PARTY -> spec.param("j", j.partyId());
        };
        spec.query((rs, i) -> new OutfallRef(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list().forEach(r -> out.put(r.id(), r));
        return out;
    }

    /**
     * How a national code (国家统一编码) of an uploaded row resolves: the outfall and whether the caller may see it.
     * For an outfall outside the jurisdiction only {@code visible=false} is told (no id, no name), so that an
     * importer can say "not in your jurisdiction" instead of "unknown" without revealing more.
     */
    public record CodeMatch(String nationalCode, OutfallRef outfall, boolean visible) {
    }

    /**
     * The outfalls with these national codes, in ONE query (imports resolve thousands of rows at once): a code
     * that no outfall carries is absent from the map; a code of an outfall outside the caller's jurisdiction maps
     * to a match with {@code visible=false} and no outfall. Codes are compared exactly (they are upper-case).
     */
    public Map<String, CodeMatch> byNationalCodes(Collection<String> codes, CurrentUser user) {
        Map<String, CodeMatch> out = new LinkedHashMap<>();
        if (codes.isEmpty()) {
            return out;
        }
        Jurisdiction j = user.jurisdiction();
        String visible = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> "o.region_code LIKE :j";
            case BASIN -> "coalesce(o.water_body_id = ANY(:j), false)";
            case PARTY -> "EXISTS (SELECT 1 FROM outfall_party p WHERE p.outfall_id = o.id AND p.organization_id = :j)";
        };
        var spec = jdbc.sql("SELECT o.id, o.national_code, o.name, o.region_code, " + visible + " FROM outfall o "
                + "WHERE o.national_code = ANY(:codes)").param("codes", codes.toArray(String[]::new));
        spec = switch (j.scope()) {
            case NATIONAL -> spec;
            case REGION -> spec.param("j", j.regionPrefix() + "%");
            case BASIN -> spec.param("j", waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
            case PARTY -> spec.param("j", j.partyId());
        };
        spec.query((rs, i) -> rs.getBoolean(5)
                        ? new CodeMatch(rs.getString(2), new OutfallRef(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)), true)
                        : new CodeMatch(rs.getString(2), null, false))
                .list().forEach(m -> out.put(m.nationalCode(), m));
        return out;
    }

    /** Every outfall id inside the caller's jurisdiction among {@code ids}; see {@link #visible}. */
    public java.util.Set<Long> visibleIds(Collection<Long> ids, CurrentUser user) {
        return visible(ids, user).keySet();
    }

    /** An outfall near a point, with its distance in metres. */
    public record Nearby(OutfallRef outfall, double distanceMetres) {
    }

    /**
     * The outfalls inside the caller's jurisdiction within {@code metres} of a point, nearest first (at most 10), with
     * the same rules as {@link #nearest} (used by the requests module to route a pin to a region).
     */
    public java.util.List<Nearby> near(double longitude, double latitude, double metres, CurrentUser user) {
        Jurisdiction j = user.jurisdiction();
        String where = positionScope(j);
        double dLon = metres / (111_320.0 * Math.max(Math.cos(Math.toRadians(latitude)), 0.01));
        var spec = jdbc.sql("""
                SELECT * FROM (
                  SELECT o.id, o.national_code, o.name, o.region_code,
                         2 * 6371000 * asin(sqrt(power(sin(radians(o.latitude - :lat) / 2), 2)
                           + cos(radians(:lat)) * cos(radians(o.latitude)) * power(sin(radians(o.longitude - :lon) / 2), 2))) AS d
                  FROM outfall o
                  WHERE o.latitude BETWEEN CAST(:lat - :dLat AS numeric) AND CAST(:lat + :dLat AS numeric)
                    AND o.longitude BETWEEN CAST(:lon - :dLon AS numeric) AND CAST(:lon + :dLon AS numeric)
                    AND o.lifecycle NOT IN ('CANCELLED', 'NOT_AN_OUTFALL') AND""" + " " + where + """
                ) n WHERE d <= :m ORDER BY d, id LIMIT 10""")
                .param("lon", longitude).param("lat", latitude).param("dLon", dLon).param("dLat", metres / 111_320.0)
                .param("m", metres);
        spec = bindPositionScope(spec, j);
        return spec.query((rs, i) -> new Nearby(new OutfallRef(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4)), rs.getDouble(5))).list();
    }

    /**
     * For each point, the nearest outfall inside the caller's jurisdiction within {@code metres} (absent when none),
     * in ONE query for up to a few thousand points (imports check every row): keyed by the point's index in the list.
     * A bounding box on the coordinates (index outfall_position_idx), then the
     * great-circle distance (haversine on a 6,371 km sphere, ample at tens of metres). Cancelled outfalls and those
     * found not to be outfalls are left out: they cannot be the same outlet again.
     */
    public Map<Integer, Nearby> nearest(java.util.List<double[]> lonLats, double metres, CurrentUser user) {
        Map<Integer, Nearby> out = new LinkedHashMap<>();
        if (lonLats.isEmpty()) {
            return out;
        }
        Jurisdiction j = user.jurisdiction();
        String where = positionScope(j);
        var spec = jdbc.sql("""
                SELECT q.i, n.id, n.national_code, n.name, n.region_code, n.d
                FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[])) WITH ORDINALITY AS q(lon, lat, i)
                CROSS JOIN LATERAL (
                  SELECT o.id, o.national_code, o.name, o.region_code,
                         2 * 6371000 * asin(sqrt(power(sin(radians(o.latitude - q.lat) / 2), 2)
                           + cos(radians(q.lat)) * cos(radians(o.latitude)) * power(sin(radians(o.longitude - q.lon) / 2), 2))) AS d
                  FROM outfall o
                  -- bounds as numeric, the columns' type, so that the index on (latitude, longitude) is used
                  WHERE o.latitude BETWEEN CAST(q.lat - :dLat AS numeric) AND CAST(q.lat + :dLat AS numeric)
                    AND o.longitude BETWEEN CAST(q.lon - :m / (111320.0 * greatest(cos(radians(q.lat)), 0.01)) AS numeric)
                                        AND CAST(q.lon + :m / (111320.0 * greatest(cos(radians(q.lat)), 0.01)) AS numeric)
                    AND o.lifecycle NOT IN ('CANCELLED', 'NOT_AN_OUTFALL') AND""" + " " + where + """
                  ORDER BY d, o.id LIMIT 1) n
                WHERE n.d <= :m""")
                .param("lons", lonLats.stream().map(p -> p[0]).toArray(Double[]::new))
                .param("lats", lonLats.stream().map(p -> p[1]).toArray(Double[]::new))
                .param("dLat", metres / 111_320.0).param("m", metres);
        spec = bindPositionScope(spec, j);
        spec.query((rs, k) -> Map.entry(rs.getInt(1) - 1, new Nearby(new OutfallRef(rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5)), rs.getDouble(6)))).list().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The jurisdiction clause of {@link #near} and {@link #nearest} (parameter :j). */
    private static String positionScope(Jurisdiction j) {
        return switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> "o.region_code LIKE :j";
            case BASIN -> "coalesce(o.water_body_id = ANY(:j), false)";
            case PARTY -> "EXISTS (SELECT 1 FROM outfall_party p WHERE p.outfall_id = o.id AND p.organization_id = :j)";
        };
    }

    private JdbcClient.StatementSpec bindPositionScope(JdbcClient.StatementSpec spec, Jurisdiction j) {
        return switch (j.scope()) {
            case NATIONAL -> spec;
            case REGION -> spec.param("j", j.regionPrefix() + "%");
            case BASIN -> spec.param("j", waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
            case PARTY -> spec.param("j", j.partyId());
        };
    }
}
