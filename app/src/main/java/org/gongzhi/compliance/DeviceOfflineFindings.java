package org.gongzhi.compliance;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gongzhi.monitoring.DeviceBackOnline;
import org.gongzhi.monitoring.DeviceWentOffline;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * A data logger that stops talking is a finding (issue 4: "device offline") and so reaches the inbox and the
 * webhooks like an exceedance: factor {@code device:<MN>}, statistic OFFLINE, window = the moment monitoring found it
 * offline. Back online resolves it as the system; the alert stays until someone acknowledges it.
 */
@Component
class DeviceOfflineFindings {

    static final String STATISTIC = "OFFLINE";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceOfflineFindings.class);

    private final Findings findings;
    private final Alerts alerts;

    DeviceOfflineFindings(Findings findings, Alerts alerts) {
        this.findings = findings;
        this.alerts = alerts;
    }

    @ApplicationModuleListener
    void on(DeviceWentOffline e) {
        try {
            offline(e);
        } catch (RuntimeException ex) { // never fail monitoring's offline check, which has already committed
            log.error("device-offline finding for {} failed", e.mn(), ex);
        }
    }

    private void offline(DeviceWentOffline e) {
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("note", "数采仪离线（在线监测模块判定）/ data logger offline (as judged by monitoring)");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mn", e.mn());
        values.put("lastContact", e.lastContact().toString());
        values.put("monitoringAlertId", e.alertId());
        var d = new Findings.Draft(e.outfallId(), "device:" + e.mn(), STATISTIC, e.at(), e.at(), Findings.Kind.DEVICE_OFFLINE,
                limit, null, null, null, null, null, values, null, null, false);
        findings.upsert(d).filter(s -> s.status() == Findings.Status.OPEN)
                .ifPresent(s -> alerts.raise(s.id(), d, Instant.now()));
    }

    @ApplicationModuleListener
    void on(DeviceBackOnline e) {
        findings.resolveBySystem(e.outfallId(), "device:" + e.mn(), STATISTIC, e.offlineSince(), e.offlineSince(),
                List.of(Findings.Kind.DEVICE_OFFLINE), "数采仪恢复在线 / data logger back online at " + e.at());
    }
}
