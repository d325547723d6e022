package org.gongzhi.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * GB/T 2260 regions, held in memory (about 3,300 rows that change once a year with a migration).
 */
@Service
public class Regions {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");

    private final Map<String, Region> byCode = new HashMap<>();
    private final Map<String, List<Region>> children = new HashMap<>();
    private final List<Region> provinces = new ArrayList<>();

    public Regions(JdbcClient jdbc) {
        jdbc.sql("SELECT code, name, level, parent_code FROM region WHERE valid_to IS NULL ORDER BY code")
                .query((rs, i) -> new Region(rs.getString(1), rs.getString(2), Region.Level.valueOf(rs.getString(3)),
                        rs.getString(4)))
                .list()
                .forEach(r -> {
                    byCode.put(r.code(), r);
                    if (r.parentCode() == null) {
                        provinces.add(r);
                    } else {
                        children.computeIfAbsent(r.parentCode(), k -> new ArrayList<>()).add(r);
                    }
                });
    }

    public Optional<Region> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    public List<Region> provinces() {
        return Collections.unmodifiableList(provinces);
    }

    public List<Region> children(String code) {
        return children.getOrDefault(code, List.of());
    }

    /** 东城区 → [北京市, 市辖区, 东城区]. */
    public List<Region> path(String code) {
        List<Region> path = new ArrayList<>();
        for (Region r = byCode.get(code); r != null; r = r.parentCode() == null ? null : byCode.get(r.parentCode())) {
            path.add(0, r);
        }
        return path;
    }

    /** The full name a person reads, skipping the 市辖区 placeholder of municipalities: 北京市东城区. */
    public String fullName(String code) {
        StringBuilder sb = new StringBuilder();
        for (Region r : path(code)) {
            if (!r.name().equals("市辖区") && !r.name().equals("县") && !r.name().startsWith("省直辖")) {
                sb.append(r.name());
            }
        }
        return sb.toString();
    }

    /**
     * Problems with a region code that an outfall is to be placed in: it must be 6 digits, a current GB/T 2260
     * code, and a county-level division (or a city without counties such as 东莞市).
     */
    public Optional<FieldProblem> checkOutfallRegion(String field, String code) {
        if (code == null || code.isBlank()) {
            return Optional.of(FieldProblem.of(field, code, "行政区划代码必填", "region code is required"));
        }
        if (!SIX_DIGITS.matcher(code).matches()) {
            return Optional.of(FieldProblem.of(field, code, "行政区划代码应为6位数字", "region code must be 6 digits"));
        }
        if (!byCode.containsKey(code)) {
            return Optional.of(FieldProblem.of(field, code, "不是现行的GB/T 2260行政区划代码",
                    "not a current GB/T 2260 region code"));
        }
        if (children.containsKey(code)) {
            return Optional.of(FieldProblem.of(field, code, "应填写县级行政区划代码，而不是省或市",
                    "must be a county-level code, not a province or city"));
        }
        return Optional.empty();
    }
}
