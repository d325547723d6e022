package org.gongzhi.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.UserAccounts;
import org.gongzhi.supervision.Supervision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Field supervision in the demo city (after {@link DemoData}): a 2026 排查整治 campaign of 苏州市 with level-1 UAV
 * points (one of them next to an outfall already in the ledger, so the duplicate flag shows), and today's inspections
 * for the demo inspector, one of them on the demo party's outfall after a public request. Idempotent: it looks for
 * its campaign first. Everything goes through the supervision module's public API.
 */
@Component
@Order(20)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class SupervisionDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SupervisionDemo.class);
    static final String CAMPAIGN = "2026年苏州市入河排污口排查整治（演示）";

    private final Supervision supervision;
    private final Ledger ledger;
    private final UserAccounts users;

    SupervisionDemo(Supervision supervision, Ledger ledger, UserAccounts users) {
        this.supervision = supervision;
        this.ledger = ledger;
        this.users = users;
    }

    @Override
    public void run(ApplicationArguments args) {
        CurrentUser city = users.findUser("suzhou").orElse(null);
        if (city == null || supervision.campaignExists(CAMPAIGN, city)) {
            return;
        }
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        long campaign = supervision.startCampaign(CAMPAIGN, "320500", LocalDate.of(today.getYear(), 1, 1),
                LocalDate.of(today.getYear(), 12, 31), city);
        Outfall near = ledger.search(new LedgerQuery("320506", null, null, null, null, null, null, null, null, false, 0, 1), city)
                .items().get(0);
        StringBuilder csv = new StringBuilder("点位编号 ref,经度 longitude,纬度 latitude,行政区划代码 regionCode,来源 source,疑似类型 typeHint,备注 note\n");
        double[][] points = {{120.5312, 31.2411}, {120.5788, 31.1967}, {120.6402, 31.0831}, {120.7011, 31.3355},
                {120.5203, 31.3720}, {120.9841, 31.3902}, {120.7633, 31.6420}};
        String[] regions = {"320506", "320506", "320509", "320576", "320505", "320583", "320581"};
        String[] hints = {"OTH_RURAL_SCATTERED", "", "OTH_URBAN_STORM", "", "IND_ENT_STORM", "OTH_RURAL_SCATTERED", ""};
        for (int i = 0; i < points.length; i++) {
            csv.append(String.format(Locale.ROOT, "UAV-2026-%03d,%.6f,%.6f,%s,UAV,%s,无人机航测解译疑似排口%n", i + 1,
                    points[i][0], points[i][1], regions[i], hints[i]));
        }
        // about 20 m east of an outfall already in the ledger: flagged as a possible duplicate
        csv.append(String.format(Locale.ROOT, "UAV-2026-%03d,%.6f,%.6f,%s,UAV,,与台账排口位置接近%n", points.length + 1,
                near.longitude() + 0.0002, near.latitude(), near.regionCode()));
        int created = supervision.importPoints(campaign, "uav-2026.csv", csv.toString().getBytes(StandardCharsets.UTF_8), city);

        int inspections = 0;
        CurrentUser party = users.findUser("party").orElse(null);
        if (users.findUser("inspector").isPresent()) {
            if (party != null) {
                List<Outfall> own = ledger.search(new LedgerQuery(null, null, null, null, null, party.organizationId(), null, null,
                        null, false, 0, 1), city).items();
                if (!own.isEmpty()) {
                    // ad hoc: an inspection after a public request names a real request (checked), which the
                    // requests module schedules from the request's own page
                    supervision.scheduleInspection(own.get(0).id(), Supervision.InspectionOrigin.AD_HOC, null,
                            "inspector", today, city);
                    inspections++;
                }
            }
            supervision.scheduleInspection(near.id(), Supervision.InspectionOrigin.AD_HOC, null, "inspector", today, city);
            inspections++;
        }
        log.info("Demo supervision: campaign with {} UAV points, {} inspections for today", created, inspections);
    }
}
