package org.gongzhi.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The registry of water bodies (水体) that outfalls discharge into. */
@Service
public class WaterBodies {

    private static final Pattern TARGET_CLASS = Pattern.compile("I|II|III|IV|V");
    private static final String COLUMNS = "id, name, kind, basin, hj932_code, target_class, region_code";

    private final JdbcClient jdbc;
    private final AuditLog audit;

    public WaterBodies(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public Optional<WaterBody> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM water_body WHERE id = ?").param(id).query(WaterBodies::map)
                .optional();
    }

    public Optional<WaterBody> findByName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM water_body WHERE name = ? ORDER BY id LIMIT 1").param(name)
                .query(WaterBodies::map).optional();
    }

    public List<Long> idsInBasin(Basin basin) {
        return jdbc.sql("SELECT id FROM water_body WHERE basin = ?").param(basin.name()).query(Long.class).list();
    }

    public List<WaterBody> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM water_body ORDER BY basin, name").query(WaterBodies::map).list();
    }

    @Transactional
    public WaterBody create(String name, WaterBody.Kind kind, Basin basin, String hj932Code, String targetClass,
                            String regionCode, Regions regions) {
        List<FieldProblem> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add(FieldProblem.of("name", name, "名称必填", "name is required"));
        }
        if (kind == null) {
            problems.add(FieldProblem.of("kind", null, "水体类型必填", "kind is required"));
        }
        if (basin == null) {
            problems.add(FieldProblem.of("basin", null, "流域必填", "basin is required"));
        }
        if (targetClass != null && !targetClass.isBlank() && !TARGET_CLASS.matcher(targetClass).matches()) {
            problems.add(FieldProblem.of("targetClass", targetClass, "水质目标应为GB 3838的I–V类",
                    "target class must be a GB 3838 class I to V"));
        }
        if (regionCode != null && !regionCode.isBlank() && regions.find(regionCode).isEmpty()) {
            problems.add(FieldProblem.of("regionCode", regionCode, "不是现行的行政区划代码", "not a current region code"));
        }
        if (problems.isEmpty() && hj932Code != null && !hj932Code.isBlank() && jdbc.sql(
                "SELECT EXISTS (SELECT 1 FROM water_body WHERE hj932_code = ?)").param(hj932Code.trim())
                .query(Boolean.class).single()) {
            problems.add(FieldProblem.of("hj932Code", hj932Code, "该HJ 932水体编码已登记", "this HJ 932 code is already registered"));
        }
        if (problems.isEmpty() && blankToNull(regionCode) != null && jdbc.sql(
                "SELECT EXISTS (SELECT 1 FROM water_body WHERE name = ? AND region_code = ?)")
                .params(name.trim(), blankToNull(regionCode)).query(Boolean.class).single()) {
            problems.add(FieldProblem.of("name", name, "该行政区内已有同名水体", "a water body of this name already exists in this region"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long id = jdbc.sql("""
                INSERT INTO water_body (name, kind, basin, hj932_code, target_class, region_code)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(name.trim(), kind.name(), basin.name(), blankToNull(hj932Code), blankToNull(targetClass),
                        blankToNull(regionCode))
                .query(Long.class).single();
        WaterBody wb = find(id).orElseThrow();
        audit.record("CREATE", "water_body", String.valueOf(id), null, null, wb);
        return wb;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static WaterBody map(ResultSet rs, int i) throws SQLException {
        return new WaterBody(rs.getLong(1), rs.getString(2), WaterBody.Kind.valueOf(rs.getString(3)),
                Basin.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7));
    }
}
