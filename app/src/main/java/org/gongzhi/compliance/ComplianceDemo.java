package org.gongzhi.compliance;

import java.time.LocalDate;
import java.util.List;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.LedgerQuery;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.platform.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo standards for the outfalls that the monitoring demo feeds (the first two 苏州 municipal, park and industrial
 * outfalls by national code): GB 18918-2002 一级A for the treatment plants (built after 2006), GB 8978-1996 一级 for
 * the industrial ones, valid from 60 days back. Assigning re-evaluates stored data (the backfill path), so it does not
 * matter whether the monitoring demo's packets arrive before or after. Runs once: a restart finds the assignments.
 */
@Component
@Order(40)
@ConditionalOnProperty(name = "gongzhi.demo.enabled", havingValue = "true")
class ComplianceDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ComplianceDemo.class);

    private final Ledger ledger;
    private final Compliance compliance;
    private final StandardPacks packs;

    ComplianceDemo(Ledger ledger, Compliance compliance, StandardPacks packs) {
        this.ledger = ledger;
        this.compliance = compliance;
        this.packs = packs;
    }

    @Override
    public void run(ApplicationArguments args) {
        CurrentUser system = CurrentUser.system();
        LocalDate from = LocalDate.now(Evaluator.CHINA).minusDays(60);
        int assigned = 0;
        for (String type : List.of("URBAN_WWTP", "PARK_WWTP", "IND_ENT")) {
            List<Outfall> outfalls = ledger.search(new LedgerQuery("320500", type, null, null, null, null, null, null,
                    null, false, 0, 2), system).items();
            for (Outfall o : outfalls) {
                if (!packs.assignments(o.id()).isEmpty()) {
                    continue;
                }
                boolean wwtp = !type.equals("IND_ENT");
                compliance.assign(o.id(), new Compliance.AssignmentInput(wwtp ? "GB18918-2002" : "GB8978-1996", null,
                        wwtp ? "一级A" : "一级", wwtp ? null : "其他", null, wwtp ? Boolean.FALSE : null, from,
                        "演示数据：排放标准 demo standard"), system);
                assigned++;
            }
        }
        if (assigned > 0) {
            log.info("Demo compliance: standards assigned to {} monitored outfalls", assigned);
        }
    }
}
