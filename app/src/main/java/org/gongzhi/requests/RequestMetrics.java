package org.gongzhi.requests;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Regions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * 响应率、解决率、满意率 (Beijing Regulation Art 32: the core of appraisal) per unit, category, region or month, over
 * the requests received in a period and visible to the caller. The official formulas were not found [U]; these follow
 * the practitioner implementation in other-systems.md §2.2, with the weights as configuration:
 * <ul>
 * <li>response rate = requests with a first response ÷ requests (on-time responses are counted separately);</li>
 * <li>resolution rate = requests answered as resolved ÷ requests;</li>
 * <li>satisfaction rate = (满意 + w × 基本满意) ÷ rated requests, w = {@code gongzhi.requests.metrics.basic-weight} (0.9);</li>
 * <li>composite = a × response + b × resolution + c × satisfaction (0.1 / 0.5 / 0.4).</li>
 * </ul>
 * Merged duplicates are left out. Each row carries its count, so that small samples are read as such (FixMyStreet #1957).
 */
@Service
public class RequestMetrics {

    public enum By { UNIT, CATEGORY, REGION, MONTH }

    public record Row(String key, String label, long total, long responded, long respondedOnTime, long resolved,
                      long rated, long satisfied, long basicallySatisfied, long unsatisfied, long reopened,
                      Double avgHoursToResponse, Double p90HoursToResponse, Double avgHoursToClose,
                      Double p90HoursToClose, Double responseRate, Double resolutionRate, Double satisfactionRate,
                      Double composite) {
    }

    private final JdbcClient jdbc;
    private final Organizations organizations;
    private final Regions regions;
    private final ServiceCatalogue catalogue;
    private final double basicWeight;
    private final double wResponse;
    private final double wResolution;
    private final double wSatisfaction;

    RequestMetrics(JdbcClient jdbc, Organizations organizations, Regions regions, ServiceCatalogue catalogue,
                   @Value("${gongzhi.requests.metrics.basic-weight:0.9}") double basicWeight,
                   @Value("${gongzhi.requests.metrics.response-weight:0.1}") double wResponse,
                   @Value("${gongzhi.requests.metrics.resolution-weight:0.5}") double wResolution,
                   @Value("${gongzhi.requests.metrics.satisfaction-weight:0.4}") double wSatisfaction) {
        this.jdbc = jdbc;
        this.organizations = organizations;
        this.regions = regions;
        this.catalogue = catalogue;
        this.basicWeight = basicWeight;
        this.wResponse = wResponse;
        this.wResolution = wResolution;
        this.wSatisfaction = wSatisfaction;
    }

    /** Requests received on the days {@code from..to} (China time, both included), grouped. */
    public List<Row> compute(By by, LocalDate from, LocalDate to, CurrentUser user) {
        String key = switch (by) {
            case UNIT -> "r.assigned_org_id::text";
            case CATEGORY -> "r.service_code";
            case REGION -> "r.region_code";
            case MONTH -> "to_char(r.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')";
        };
        var spec = jdbc.sql("SELECT " + key + """
                 AS k, count(*),
                       count(*) FILTER (WHERE r.responded_at IS NOT NULL),
                       count(*) FILTER (WHERE r.responded_at IS NOT NULL AND r.responded_at <= r.response_due),
                       count(*) FILTER (WHERE r.resolved),
                       count(*) FILTER (WHERE r.rating IS NOT NULL),
                       count(*) FILTER (WHERE r.rating = 'SATISFIED'),
                       count(*) FILTER (WHERE r.rating = 'BASICALLY_SATISFIED'),
                       count(*) FILTER (WHERE r.rating = 'UNSATISFIED'),
                       count(*) FILTER (WHERE r.reopen_count > 0),
                       avg(extract(epoch FROM r.responded_at - r.received_at)) / 3600,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.responded_at - r.received_at)) / 3600,
                       avg(extract(epoch FROM r.closed_at - r.received_at)) / 3600,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.received_at)) / 3600
                FROM public_request r
                WHERE r.duplicate_of IS NULL AND r.received_at >= :from AND r.received_at < :to AND """
                + " " + RequestStore.scope(user.jurisdiction()) + " GROUP BY 1 ORDER BY 1")
                .param("from", Timestamp.from(from.atStartOfDay(Deadlines.CHINA).toInstant()))
                .param("to", Timestamp.from(to.plusDays(1).atStartOfDay(Deadlines.CHINA).toInstant()));
        List<Object[]> raw = RequestStore.bindScope(spec, user).query((rs, i) -> {
            Object[] o = new Object[14];
            for (int c = 0; c < 14; c++) {
                o[c] = rs.getObject(c + 1);
            }
            return o;
        }).list();
        Map<Long, Organization> units = by == By.UNIT
                ? organizations.byIds(raw.stream().map(o -> Long.parseLong((String) o[0])).toList()) : Map.of();
        List<Row> rows = new ArrayList<>();
        for (Object[] o : raw) {
            String k = (String) o[0];
            String label = switch (by) {
                case UNIT -> units.containsKey(Long.parseLong(k)) ? units.get(Long.parseLong(k)).name() : k;
                case CATEGORY -> catalogue.find(k).map(ServiceCatalogue.ServiceType::nameZh).orElse(k);
                case REGION -> regions.fullName(k);
                case MONTH -> k;
            };
            long total = n(o[1]);
            long rated = n(o[5]);
            Double response = total == 0 ? null : n(o[2]) / (double) total;
            Double resolution = total == 0 ? null : n(o[4]) / (double) total;
            Double satisfaction = rated == 0 ? null : (n(o[6]) + basicWeight * n(o[7])) / rated;
            Double composite = response == null || satisfaction == null ? null
                    : wResponse * response + wResolution * resolution + wSatisfaction * satisfaction;
            rows.add(new Row(k, label, total, n(o[2]), n(o[3]), n(o[4]), rated, n(o[6]), n(o[7]), n(o[8]), n(o[9]),
                    d(o[10]), d(o[11]), d(o[12]), d(o[13]), response, resolution, satisfaction, composite));
        }
        return rows;
    }

    private static long n(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double d(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
