package org.gongzhi.supervision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Region;
import org.gongzhi.platform.Regions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Progress of a campaign by stage (查、测、溯、治) and by county, with on-time rates: what a bureau reports upward
 * (排查整治进度表). The on-time rate is plans verified as completed by their deadline ÷ plans that are due (verified,
 * or open past their deadline); plans still within their deadline do not count yet.
 */
@Service
class Progress {

    /** One county's line (or the total line, regionCode null). */
    static final class Line {
        String regionCode;
        String regionName;
        long points, suspected, confirmed, merged, rejected, duplicates;
        long outfalls, sampled, traced;
        long plans, ban, merge, regularize, verified, onTime, overdue, escalated;

        Line(String regionCode, String regionName) {
            this.regionCode = regionCode;
            this.regionName = regionName;
        }

        public String getRegionCode() { return regionCode; }
        public String getRegionName() { return regionName; }
        public long getPoints() { return points; }
        public long getSuspected() { return suspected; }
        public long getConfirmed() { return confirmed; }
        public long getMerged() { return merged; }
        public long getRejected() { return rejected; }
        public long getDuplicates() { return duplicates; }
        public long getOutfalls() { return outfalls; }
        public long getSampled() { return sampled; }
        public long getTraced() { return traced; }
        public long getPlans() { return plans; }
        public long getBan() { return ban; }
        public long getMerge() { return merge; }
        public long getRegularize() { return regularize; }
        public long getVerified() { return verified; }
        public long getOnTime() { return onTime; }
        public long getOverdue() { return overdue; }
        public long getEscalated() { return escalated; }

        /** On-time rate in percent, or null when no plan is due yet. */
        public Double getOnTimeRate() {
            long due = verified + overdue;
            return due == 0 ? null : Math.round(1000.0 * onTime / due) / 10.0;
        }

        void add(Line o) {
            points += o.points; suspected += o.suspected; confirmed += o.confirmed; merged += o.merged;
            rejected += o.rejected; duplicates += o.duplicates; outfalls += o.outfalls; sampled += o.sampled;
            traced += o.traced; plans += o.plans; ban += o.ban; merge += o.merge; regularize += o.regularize;
            verified += o.verified; onTime += o.onTime; overdue += o.overdue; escalated += o.escalated;
        }
    }

    record Report(Campaigns.Campaign campaign, List<Line> lines, Line total, LocalDate asOf) {
    }

    private final JdbcClient jdbc;
    private final Scope scope;
    private final Campaigns campaigns;
    private final Regions regions;

    Progress(JdbcClient jdbc, Scope scope, Campaigns campaigns, Regions regions) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.campaigns = campaigns;
        this.regions = regions;
    }

    Report report(long campaignId, CurrentUser user) {
        Campaigns.Campaign c = campaigns.find(campaignId, user);
        return report(c, List.of(c.id()), user);
    }

    /** The region's progress over every campaign the caller can see (the bureau's dashboard), by county. */
    Report overall(CurrentUser user) {
        return report(null, campaigns.list(user).stream().map(Campaigns.Campaign::id).toList(), user);
    }

    private Report report(Campaigns.Campaign c, List<Long> campaignIds, CurrentUser user) {
        Long[] ids = campaignIds.toArray(Long[]::new);
        LocalDate today = LocalDate.now(Remediation.CHINA);
        Map<String, Line> lines = new TreeMap<>();
        count("""
                SELECT p.region_code, count(*), count(*) FILTER (WHERE p.status = 'SUSPECTED'),
                       count(*) FILTER (WHERE p.status = 'CONFIRMED'), count(*) FILTER (WHERE p.status = 'MERGED'),
                       count(*) FILTER (WHERE p.status = 'REJECTED'), count(*) FILTER (WHERE p.nearest_outfall_id IS NOT NULL)
                FROM campaign_point p WHERE p.campaign_id = ANY(:c) AND %s GROUP BY 1""", "p", false, ids, today, user, lines,
                (l, r) -> { l.points = r[0]; l.suspected = r[1]; l.confirmed = r[2]; l.merged = r[3]; l.rejected = r[4]; l.duplicates = r[5]; });
        count("SELECT co.region_code, count(*) FROM campaign_outfall co WHERE co.campaign_id = ANY(:c) AND %s GROUP BY 1",
                "co", false, ids, today, user, lines, (l, r) -> l.outfalls = r[0]);
        count("""
                SELECT t.region_code, count(DISTINCT t.outfall_id) FILTER (WHERE t.status = 'RESULTS_IN')
                FROM sampling_task t WHERE t.campaign_id = ANY(:c) AND %s GROUP BY 1""", "t", true, ids, today, user, lines,
                (l, r) -> l.sampled = r[0]);
        count("SELECT t.region_code, count(DISTINCT t.outfall_id) FROM trace_record t WHERE t.campaign_id = ANY(:c) AND %s GROUP BY 1",
                "t", true, ids, today, user, lines, (l, r) -> l.traced = r[0]);
        count("""
                SELECT r.region_code, count(*), count(*) FILTER (WHERE r.action = 'BAN'), count(*) FILTER (WHERE r.action = 'MERGE'),
                       count(*) FILTER (WHERE r.action = 'REGULARIZE'), count(*) FILTER (WHERE r.status = 'VERIFIED'),
                       count(*) FILTER (WHERE r.status = 'VERIFIED' AND (r.reported_at AT TIME ZONE 'Asia/Shanghai')::date <= r.deadline),
                       count(*) FILTER (WHERE r.status <> 'VERIFIED' AND r.deadline < :today),
                       count(*) FILTER (WHERE r.escalated_at IS NOT NULL AND r.status <> 'VERIFIED')
                FROM remediation_plan r WHERE r.campaign_id = ANY(:c) AND %s GROUP BY 1""", "r", true, ids, today, user, lines,
                (l, r) -> { l.plans = r[0]; l.ban = r[1]; l.merge = r[2]; l.regularize = r[3]; l.verified = r[4];
                    l.onTime = r[5]; l.overdue = r[6]; l.escalated = r[7]; });
        Line total = new Line(null, "合计 Total");
        lines.values().forEach(total::add);
        return new Report(c, new ArrayList<>(lines.values()), total, today);
    }

    private void count(String sql, String alias, boolean partyMay, Long[] campaignIds, LocalDate today, CurrentUser user,
                       Map<String, Line> lines, BiConsumer<Line, long[]> set) {
        Scope.Clause s = scope.of(alias, user, partyMay);
        var spec = jdbc.sql(sql.formatted(s.sql())).param("c", campaignIds).params(s.params());
        if (sql.contains(":today")) {
            spec = spec.param("today", today);
        }
        spec.query((rs, i) -> {
            int n = rs.getMetaData().getColumnCount();
            long[] values = new long[n - 1];
            for (int k = 2; k <= n; k++) {
                values[k - 2] = rs.getLong(k);
            }
            String code = rs.getString(1);
            set.accept(lines.computeIfAbsent(code, x -> new Line(x, regions.find(x).map(Region::name).orElse(x))), values);
            return code;
        }).list();
    }

    /** The report as an XLSX workbook: one sheet, a title line, a header row in Chinese and English, a line per county, the total. */
    byte[] xlsx(Report report) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("排查整治进度");
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            Row title = sheet.createRow(0);
            title.createCell(0).setCellValue((report.campaign() == null ? "全部排查整治 All campaigns" : report.campaign().name())
                    + " 排查整治进度表 (as of " + report.asOf() + ")");
            title.getCell(0).setCellStyle(bold);
            String[] headers = {"行政区划代码 Region code", "行政区 Region", "疑似点位 Suspected points", "待核实 To verify",
                    "确认 Confirmed", "合并 Merged", "非排污口 Not an outfall", "疑似重复 Possible duplicates",
                    "排污口 Outfalls", "已监测 Sampled", "已溯源 Traced", "整治方案 Plans", "取缔 Ban", "合并 Merge",
                    "规范 Regularize", "已验收 Verified", "按期完成 On time", "逾期未完成 Overdue", "已督办 Escalated",
                    "按期完成率% On-time rate %"};
            Row h = sheet.createRow(1);
            for (int i = 0; i < headers.length; i++) {
                h.createCell(i).setCellValue(headers[i]);
                h.getCell(i).setCellStyle(bold);
            }
            int r = 2;
            for (Line l : report.lines()) {
                write(sheet.createRow(r++), l);
            }
            Row t = sheet.createRow(r);
            write(t, report.total());
            t.forEach(cell -> cell.setCellStyle(bold));
            for (int i = 0; i < headers.length; i++) {
                sheet.setColumnWidth(i, i == 1 ? 18 * 256 : 12 * 256);
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static void write(Row row, Line l) {
        row.createCell(0).setCellValue(l.regionCode == null ? "" : l.regionCode);
        row.createCell(1).setCellValue(l.regionName);
        long[] v = {l.points, l.suspected, l.confirmed, l.merged, l.rejected, l.duplicates, l.outfalls, l.sampled, l.traced,
                l.plans, l.ban, l.merge, l.regularize, l.verified, l.onTime, l.overdue, l.escalated};
        for (int i = 0; i < v.length; i++) {
            row.createCell(2 + i).setCellValue(v[i]);
        }
        if (l.getOnTimeRate() != null) {
            row.createCell(2 + v.length).setCellValue(l.getOnTimeRate());
        } else {
            row.createCell(2 + v.length).setCellValue("—");
        }
    }
}
