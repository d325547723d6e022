package org.gongzhi.supervision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Spreadsheets;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import of level-1 survey points (卫星遥感/无人机航测解译, 三级排查 level 1) into a campaign, from CSV, XLSX or
 * GeoJSON (a FeatureCollection of Point features). Every row is checked and reported with its problems in Chinese
 * and English; the file is written only when no row has a problem (all or nothing), so a fixed file can simply be
 * uploaded again. A reference already in the campaign is "unchanged" and skipped, so re-importing is harmless.
 * Each new point is compared with the ledger: the nearest outfall within the campaign's radius is flagged as a
 * possible duplicate for the field team.
 */
@Service
class PointImport {

    static final int MAX_ROWS = 20_000;

    /** Columns: English key or Chinese name (or alias) in the header. */
    enum Column {
        REF("ref", "点位编号", "编号", "id", "解译编号"),
        LONGITUDE("longitude", "经度", "lon", "lng", "x"),
        LATITUDE("latitude", "纬度", "lat", "y"),
        REGION("regionCode", "行政区划代码", "区划代码", "region"),
        SOURCE("source", "来源", "数据来源"),
        TYPE("typeHint", "疑似类型", "类型", "type"),
        WATER("waterBodyId", "受纳水体ID", "waterBody"),
        NOTE("note", "备注", "说明");

        final String key;
        final List<String> names;

        Column(String key, String... names) {
            this.key = key;
            this.names = List.of(names);
        }

        static Optional<Column> of(String header) {
            if (header == null) {
                return Optional.empty();
            }
            for (String token : header.replace('\uFEFF', ' ').strip().split("[\\s()（）/|,，]+")) {
                for (Column c : values()) {
                    if (token.equalsIgnoreCase(c.key) || c.names.stream().anyMatch(token::equalsIgnoreCase)) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        }
    }

    record Report(long campaignId, String filename, String format, int rows, int created, int unchanged,
                  int possibleDuplicates, List<FieldProblem> problems, boolean written) {
    }

    private final Campaigns campaigns;
    private final AuditLog audit;
    private final JsonMapper json;

    PointImport(Campaigns campaigns, AuditLog audit, JsonMapper json) {
        this.campaigns = campaigns;
        this.audit = audit;
        this.json = json;
    }

    @Transactional
    Report importPoints(long campaignId, String filename, byte[] content, boolean dryRun, CurrentUser user) {
        Campaigns.requireFieldStaff(user);
        Campaigns.Campaign c = campaigns.find(campaignId, user);
        List<Campaigns.PointInput> rows = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        String format = read(content, rows, problems);
        Set<String> existing = campaigns.existingRefs(campaignId);
        Set<String> seen = new HashSet<>();
        List<Campaigns.PointInput> fresh = new ArrayList<>();
        int unchanged = 0;
        for (int i = 0; i < rows.size(); i++) {
            Campaigns.PointInput in = rows.get(i);
            int line = i + 2; // the header is line 1 (for GeoJSON: feature number + 1)
            List<FieldProblem> rowProblems = campaigns.checkPoint(c, in, user);
            if (rowProblems.isEmpty()) {
                String ref = in.ref().trim();
                if (!seen.add(ref)) {
                    rowProblems.add(FieldProblem.of("ref", ref, "文件中点位编号重复", "the reference appears twice in the file"));
                } else if (existing.contains(ref)) {
                    unchanged++;
                    continue;
                }
            }
            rowProblems.forEach(p -> problems.add(p.atRow(line)));
            if (rowProblems.isEmpty()) {
                fresh.add(in);
            }
        }
        if (rows.isEmpty() && problems.isEmpty()) {
            problems.add(FieldProblem.of("file", filename, "文件中没有点位", "the file has no points"));
        }
        if (rows.size() > MAX_ROWS) {
            problems.add(FieldProblem.of("file", rows.size(), "一次最多导入 " + MAX_ROWS + " 个点位", "at most " + MAX_ROWS + " points per file"));
        }
        int duplicates = 0;
        boolean write = problems.isEmpty() && !dryRun;
        if (write) {
            duplicates = campaigns.insertPoints(c, 1, fresh, user);
        }
        Report report = new Report(campaignId, filename, format, rows.size(), write ? fresh.size() : 0, unchanged, duplicates,
                problems.size() > 500 ? problems.subList(0, 500) : problems, write);
        if (write && !fresh.isEmpty()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("filename", filename);
            summary.put("created", fresh.size());
            summary.put("unchanged", unchanged);
            summary.put("possibleDuplicates", duplicates);
            audit.record(user, "IMPORT_POINTS", "campaign", String.valueOf(campaignId), "一级排查点位导入 level-1 points import",
                    null, summary);
        }
        return report;
    }

    private String read(byte[] content, List<Campaigns.PointInput> rows, List<FieldProblem> problems) {
        int start = 0;
        while (start < content.length && (Character.isWhitespace(content[start]) || (content[start] & 0xff) == 0xEF
                || (content[start] & 0xff) == 0xBB || (content[start] & 0xff) == 0xBF)) {
            start++;
        }
        if (start < content.length && content[start] == '{') {
            readGeoJson(new String(content, StandardCharsets.UTF_8), rows, problems);
            return "GEOJSON";
        }
        Spreadsheets.Format format = Spreadsheets.detect(content);
        Map<Column, Integer> layout = new LinkedHashMap<>();
        Spreadsheets.read(content, format, (number, cells) -> {
            if (number == 1) {
                for (int i = 0; i < cells.size(); i++) {
                    int col = i;
                    Column.of(cells.get(i)).ifPresent(c -> layout.putIfAbsent(c, col));
                }
                for (Column required : List.of(Column.REF, Column.LONGITUDE, Column.LATITUDE, Column.REGION)) {
                    if (!layout.containsKey(required)) {
                        problems.add(new FieldProblem(1, required.key, null, "缺少列：" + required.names.get(0) + " " + required.key,
                                "missing column: " + required.key));
                    }
                }
                return;
            }
            if (cells.stream().allMatch(s -> s == null || s.isBlank()) || !problems.isEmpty() && problems.get(0).row() == 1) {
                return;
            }
            rows.add(new Campaigns.PointInput(cell(cells, layout, Column.REF), upper(cell(cells, layout, Column.SOURCE)),
                    number(cells, layout, Column.LONGITUDE, number, problems), number(cells, layout, Column.LATITUDE, number, problems),
                    cell(cells, layout, Column.REGION), id(cell(cells, layout, Column.WATER), number, problems),
                    cell(cells, layout, Column.TYPE), cell(cells, layout, Column.NOTE)));
        });
        return format.name();
    }

    private void readGeoJson(String text, List<Campaigns.PointInput> rows, List<FieldProblem> problems) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (RuntimeException e) {
            throw new InvalidInputException(FieldProblem.of("file", null, "GeoJSON格式有误", "malformed GeoJSON"));
        }
        JsonNode features = root.path("features");
        if (!"FeatureCollection".equals(root.path("type").asString("")) || !features.isArray()) {
            throw new InvalidInputException(FieldProblem.of("file", root.path("type").asString(""), "须为GeoJSON FeatureCollection",
                    "must be a GeoJSON FeatureCollection"));
        }
        int n = 0;
        for (JsonNode f : features) {
            n++;
            JsonNode geometry = f.path("geometry");
            JsonNode props = f.path("properties");
            Double lon = null, lat = null;
            if ("Point".equals(geometry.path("type").asString("")) && geometry.path("coordinates").size() >= 2) {
                lon = geometry.path("coordinates").get(0).asDouble();
                lat = geometry.path("coordinates").get(1).asDouble();
            } else {
                problems.add(new FieldProblem(n + 1, "geometry", geometry.path("type").asString(""), "须为点（Point）几何",
                        "the geometry must be a Point"));
                continue;
            }
            String ref = text(props, "ref");
            if (ref == null && !f.path("id").isMissingNode() && !f.path("id").isNull()) {
                ref = f.path("id").asString();
            }
            Long water = props.hasNonNull("waterBodyId") ? props.get("waterBodyId").asLong() : null;
            rows.add(new Campaigns.PointInput(ref, upper(text(props, "source")), lon, lat, text(props, "regionCode"), water,
                    text(props, "typeHint"), text(props, "note")));
        }
    }

    private static String text(JsonNode props, String key) {
        JsonNode v = props.get(key);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static String cell(List<String> cells, Map<Column, Integer> layout, Column c) {
        Integer i = layout.get(c);
        if (i == null || i >= cells.size()) {
            return null;
        }
        String v = cells.get(i);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String upper(String s) {
        return s == null ? null : switch (s.trim()) {
            case "无人机" -> "UAV";
            case "卫星", "卫星遥感", "遥感" -> "SATELLITE";
            case "现场" -> "FIELD";
            default -> s.trim().toUpperCase();
        };
    }

    private static Double number(List<String> cells, Map<Column, Integer> layout, Column c, int row, List<FieldProblem> problems) {
        String v = cell(cells, layout, c);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(row, c.key, v, "不是数字", "not a number"));
            return Double.NaN;
        }
    }

    private static Long id(String v, int row, List<FieldProblem> problems) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(row, Column.WATER.key, v, "不是有效的编号", "not a valid id"));
            return null;
        }
    }
}
