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
     * The outfalls inside the caller's jurisdiction within {@code metres} of a point, nearest first (at most 10).
     * For duplicate checks of surveyed points (排查): a bounding box on the coordinates, then the great-circle
     * distance (haversine on a 6,371 km sphere, ample at tens of metres). Cancelled outfalls and those found not
     * to be outfalls are left out: they cannot be the same outlet again.
     */
    public java.util.List<Nearby> near(double longitude, double latitude, double metres, CurrentUser user) {
        double dLat = metres / 111_320.0;
        double dLon = metres / (111_320.0 * Math.max(Math.cos(Math.toRadians(latitude)), 0.01));
        Jurisdiction j = user.jurisdiction();
        String where = switch (j.scope()) {
            case NATIONAL -> "TRUE";
            case REGION -> "o.region_code LIKE :j";
            case BASIN -> "coalesce(o.water_body_id = ANY(:j), false)";
            case PARTY -> "EXISTS (SELECT 1 FROM outfall_party p WHERE p.outfall_id = o.id AND p.organization_id = :j)";
        };
        var spec = jdbc.sql("""
                SELECT * FROM (
                  SELECT o.id, o.national_code, o.name, o.region_code,
                         2 * 6371000 * asin(sqrt(power(sin(radians(o.latitude - :lat) / 2), 2)
                           + cos(radians(:lat)) * cos(radians(o.latitude)) * power(sin(radians(o.longitude - :lon) / 2), 2))) AS d
                  FROM outfall o
                  WHERE o.longitude BETWEEN :lon - :dLon AND :lon + :dLon AND o.latitude BETWEEN :lat - :dLat AND :lat + :dLat
                    AND o.lifecycle NOT IN ('CANCELLED', 'NOT_AN_OUTFALL') AND """ + " " + where + """
                ) n WHERE d <= :m ORDER BY d, id LIMIT 10""")
                .param("lon", longitude).param("lat", latitude).param("dLon", dLon).param("dLat", dLat).param("m", metres);
        spec = switch (j.scope()) {
            case NATIONAL -> spec;
            case REGION -> spec.param("j", j.regionPrefix() + "%");
            case BASIN -> spec.param("j", waterBodies.idsInBasin(j.basin()).toArray(Long[]::new));
            case PARTY -> spec.param("j", j.partyId());
        };
        return spec.query((rs, i) -> new Nearby(new OutfallRef(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4)), rs.getDouble(5))).list();
    }
}
